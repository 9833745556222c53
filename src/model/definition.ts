import type { AnyColumn } from './column';
import type { RelationshipSpec } from './relationship';

export type Columns = Record<string, AnyColumn>;

/** A multi-column index or unique rule; columns by field or database name. */
export interface IndexOption {
  readonly columns: readonly string[];
  readonly name?: string;
}

export interface ModelIndexOption {
  /** Plain key columns (field or database names); exactly one of `columns` and `on`. */
  readonly columns?: readonly string[];
  /** An expression key, e.g. `lower(email)` (not on MySQL/MariaDB). */
  readonly on?: string;
  readonly name?: string;
  /** A unique index: the same as an entry of `uniques` when it has no other option. */
  readonly unique?: boolean;
  /** A partial index's predicate, e.g. `deleted_at is null` (not on MySQL/MariaDB). */
  readonly where?: string;
  /** Per key column: 'asc' or 'desc'. */
  readonly order?: readonly ('asc' | 'desc')[];
  /** PostgreSQL access method: btree (default), hash, gin, gist, brin. */
  readonly method?: string;
  /** PostgreSQL INCLUDE columns. */
  readonly include?: readonly string[];
  /**
   * Only on these databases (absent: on all). E.g. a partial index kept off MySQL/MariaDB,
   * which have none: `dialects: ['postgres', 'sqlite']`. The other databases have no such index.
   */
  readonly dialects?: readonly ('sqlite' | 'postgres' | 'mysql')[];
}

/** A table-level CHECK constraint; unnamed ones are named `<table>_<n>_check` (n from 1). */
export interface CheckOption {
  readonly expression: string;
  readonly name?: string;
}

/**
 * A table-level foreign key, SQLAlchemy's ForeignKeyConstraint: several columns (field or database
 * names) referencing as many columns of one table (`['a.x', 'a.y']`), which must be its primary
 * key or a unique rule (on SQLite, `loose: true` lifts that). Default name `<table>_<columns>_foreign`.
 */
export interface ForeignKeyOption {
  readonly columns: readonly string[];
  readonly references: readonly string[];
  readonly onDelete?: import('./foreign-key').ReferentialActionInput;
  readonly onUpdate?: import('./foreign-key').ReferentialActionInput;
  readonly name?: string;
  /** SQLite only: a target that is not a key (see ForeignKeyOptions.loose). */
  readonly loose?: boolean;
  /** A target table kiln does not read (see ForeignKeyOptions.external). */
  readonly external?: boolean;
}

export type PrimaryKeyOption = readonly string[] | { readonly columns: readonly string[]; readonly name?: string };

export interface TableOptions {
  indexes?: readonly ModelIndexOption[];
  uniques?: readonly IndexOption[];
  /** A composite primary key (or mark each column with `.primaryKey()`). */
  primaryKey?: PrimaryKeyOption;
  /** CHECK constraints on the table. */
  checks?: readonly CheckOption[];
  /** Foreign keys of several columns (one column: `.references()` on it). */
  foreignKeys?: readonly ForeignKeyOption[];
  /** A comment on the table (PostgreSQL, MySQL/MariaDB; ignored on SQLite). */
  comment?: string;
  /**
   * PostgreSQL: the schema the table lives in (default: the config's `schema`, else `public`);
   * it must be one of the config's `schemas`. Foreign keys name its tables `billing.invoice.id`.
   */
  schema?: string;
}

export interface ModelOptions extends TableOptions {
  /** Default: the model name in snake_case (`BlogPost` -> `blog_post`). */
  tableName?: string;
  relationships?: Record<string, RelationshipSpec>;
}

export const DEFINITION_BRAND: unique symbol = Symbol.for('kiln.definition');

export interface Definition<C extends Columns = Columns> {
  readonly [DEFINITION_BRAND]: true;
  readonly kind: 'model' | 'table';
  /** The model name (for table(): the table name). */
  readonly name: string;
  /** The table's name, `schema.table` when the options name a schema (src/schema/qualified.ts). */
  readonly tableName: string;
  readonly columns: Readonly<C>;
  readonly relationships: Readonly<Record<string, RelationshipSpec>>;
  readonly indexes: readonly ModelIndexOption[];
  readonly uniques: readonly IndexOption[];
  readonly primaryKey: PrimaryKeyOption | null;
  readonly checks?: readonly CheckOption[];
  readonly foreignKeys?: readonly ForeignKeyOption[];
  readonly comment?: string;
  /** The `schema` option as given (checked by the compiler). */
  readonly schema?: unknown;
}

/**
 * Flask-SQLAlchemy's rule: `Note` -> `note`, `BlogPost` -> `blog_post`,
 * `HTTPRequest` -> `http_request`.
 */
export function snakeCase(name: string): string {
  return name
    .replace(/((?<=[a-z0-9])[A-Z]|(?!^)[A-Z](?=[a-z]))/g, '_$1')
    .toLowerCase()
    .replace(/^_+/, '');
}

/** A mapped model: `model('Note', { id: Integer().primaryKey(), body: Text() })`. */
export function model<C extends Columns>(name: string, columns: C, options: ModelOptions = {}): Definition<C> {
  return define('model', name, options.tableName ?? snakeCase(String(name)), columns, options, options.relationships ?? {});
}

/** A plain table with no model, e.g. a many-to-many association table. */
export function table<C extends Columns>(name: string, columns: C, options: TableOptions = {}): Definition<C> {
  return define('table', name, name, columns, options, {});
}

function define<C extends Columns>(
  kind: 'model' | 'table',
  name: string,
  tableName: string,
  columns: C,
  options: TableOptions,
  relationships: Record<string, RelationshipSpec>,
): Definition<C> {
  return Object.freeze({
    [DEFINITION_BRAND]: true as const,
    kind,
    name,
    tableName: typeof options.schema === 'string' ? `${options.schema}.${tableName}` : tableName,
    ...(options.schema !== undefined ? { schema: options.schema } : {}),
    columns: Object.freeze({ ...columns }),
    relationships: Object.freeze({ ...relationships }),
    indexes: Object.freeze([...(options.indexes ?? [])]),
    uniques: Object.freeze([...(options.uniques ?? [])]),
    primaryKey: options.primaryKey ?? null,
    checks: Object.freeze([...(options.checks ?? [])]),
    foreignKeys: options.foreignKeys,
    comment: options.comment,
  });
}

export function isDefinition(value: unknown): value is Definition {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[DEFINITION_BRAND] === true;
}
