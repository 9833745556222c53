import type { ForeignKeyOptions, ForeignKeySpec } from './foreign-key';
import { ForeignKey } from './foreign-key';

/**
 * A column as the user declared it. Builders only record what was said; every check happens
 * in compileModels, where the message can name the model and the field.
 */
export interface ColumnSpec {
  /** Canonical type (src/schema/types.ts COLUMN_TYPES); checked at compile time. */
  readonly type: string;
  /** Only meaningful for `string`; undefined means the default (255). */
  readonly length: unknown;
  readonly primaryKey: boolean;
  /** true, or a constraint name. */
  readonly unique: boolean | string;
  /** true, or an index name. */
  readonly index: boolean | string;
  /** null: not said (nullable unless primary key). */
  readonly nullable: boolean | null;
  readonly default: { readonly kind: 'literal'; readonly value: unknown } | { readonly kind: 'expression'; readonly sql: unknown } | null;
  /** null: not said (true for a lone Integer or BigInteger primary key, false for a SmallInteger, TinyInteger or MediumInteger one). */
  readonly autoIncrement: boolean | null;
  /** The database column name; null: the field name. */
  readonly name: string | null;
  readonly foreignKey: ForeignKeySpec | null;
  /** Enum(...): the values and the options object as given (checked at compile time). */
  readonly enumSpec?: { readonly values: readonly unknown[]; readonly name: unknown };
  /** .computed(expression, { stored }) as given. */
  readonly computed?: { readonly expression: unknown; readonly stored: unknown };
  /** .identity({ always, ...sequence options }) as given. */
  readonly identity?: { readonly always: unknown; readonly sequence?: Record<string, unknown> };
  /** The type's parameters as given to its builder; checked at compile time (compile-types.ts). */
  readonly typeOptions?: TypeOptions;
  /** `.comment(text)`; undefined: none. */
  readonly comment?: unknown;
  /** `.collate(name)` as given; undefined: not said. */
  readonly collation?: unknown;
  /** `.unsigned(value)` as given; undefined: not said (see ColumnBuilder.unsigned). */
  readonly unsigned?: unknown;
  /** `.check(expression, name?)`, in call order. */
  readonly checks?: readonly { readonly expression: unknown; readonly name?: unknown }[];
}

/** Numeric's precision/scale, DateTime/Time's zone and precision, Array's element, Custom's spelling, Text/LargeBinary's size. */
export interface TypeOptions {
  readonly precision?: unknown;
  readonly scale?: unknown;
  readonly timezone?: unknown;
  /** Array: the element's column builder. */
  readonly element?: unknown;
  /** Custom: the database's spelling of the type. */
  readonly custom?: unknown;
  /** Text/LargeBinary: MySQL's TEXT/BLOB size ('tiny', 'medium', 'long'). */
  readonly size?: unknown;
}

/** `.identity()`'s options: ALWAYS or BY DEFAULT, and its sequence's options (PostgreSQL). */
export interface IdentityBuilderOptions extends Omit<import('./sequence').SequenceOptions, 'as'> {
  readonly always?: boolean;
}

/**
 * What the type system knows about a column, for Row/Insert inference.
 * - t: the TypeScript type of a value; lit: what `.default()` accepts
 * - nullable: as declared (a primary key is never null whatever this says)
 * - def: has a default; pk: part of the primary key; auto: would auto-increment as a lone key
 * - name: the database name given by `.name()`, or null for the field name
 */
export interface ColumnState {
  readonly t: unknown;
  readonly lit: unknown;
  readonly nullable: boolean;
  readonly def: boolean;
  readonly pk: boolean;
  readonly auto: boolean;
  readonly name: string | null;
}

type With<S, P> = { [K in keyof S]: K extends keyof P ? P[K] : S[K] };

export const COLUMN_BRAND: unique symbol = Symbol.for('kiln.column');

/** An immutable column declaration: every option returns a new builder. */
export class ColumnBuilder<S extends ColumnState = ColumnState> {
  readonly [COLUMN_BRAND] = true as const;
  /** Phantom: carries the inferred state, never set at runtime. */
  declare readonly __state?: S;
  readonly spec: ColumnSpec;

  constructor(spec: ColumnSpec) {
    this.spec = Object.freeze({ ...spec });
    Object.freeze(this);
  }

  /** Part of the primary key (several columns marked: a composite key). Implies not null. */
  primaryKey(): ColumnBuilder<With<S, { pk: true }>> {
    return this.with({ primaryKey: true });
  }

  /** A single-column unique constraint, named `<table>_<column>_unique` unless named here. */
  unique(name?: string): ColumnBuilder<S> {
    return this.with({ unique: name ?? true });
  }

  /** A single-column index, named `<table>_<column>_index` unless named here. */
  index(name?: string): ColumnBuilder<S> {
    return this.with({ index: name ?? true });
  }

  notNull(): ColumnBuilder<With<S, { nullable: false }>> {
    return this.with({ nullable: false });
  }

  nullable<B extends boolean = true>(value?: B): ColumnBuilder<With<S, { nullable: B }>> {
    return this.with({ nullable: value ?? true });
  }

  /** A literal database default (number, string or boolean, matching the column type). */
  default(value: S['lit']): ColumnBuilder<With<S, { def: true }>> {
    return this.with({ default: { kind: 'literal', value } });
  }

  /** A SQL expression default, e.g. `defaultRaw('CURRENT_TIMESTAMP')`. */
  defaultRaw(sql: string): ColumnBuilder<With<S, { def: true }>> {
    return this.with({ default: { kind: 'expression', sql } });
  }

  /**
   * A lone Integer/BigInteger primary key auto-increments; `autoIncrement(false)` opts out. A
   * lone SmallInteger, TinyInteger or MediumInteger key auto-increments only when said: `autoIncrement()`.
   */
  autoIncrement<B extends boolean = true>(value?: B): ColumnBuilder<With<S, { auto: B }>> {
    return this.with({ autoIncrement: value ?? true });
  }

  /** The column's name in the database, when it differs from the field name. */
  name<N extends string>(name: N): ColumnBuilder<With<S, { name: N }>> {
    return this.with({ name });
  }

  /** A foreign key to `'table.column'`, its primary key or a unique rule (SQLite: anything, with `loose: true`). */
  references(target: string, options: ForeignKeyOptions = {}): ColumnBuilder<S> {
    return this.with({ foreignKey: ForeignKey(target, options) });
  }

  /** Alias of {@link references}: `Integer().foreignKey(ForeignKey('author.id'))`. */
  foreignKey(fk: ForeignKeySpec): ColumnBuilder<S> {
    return this.with({ foreignKey: fk });
  }

  /**
   * A generated column (SQLAlchemy's Computed): `GENERATED ALWAYS AS (expression) STORED`, or
   * VIRTUAL with `{ stored: false }` where the database has it (not PostgreSQL 15). The
   * database computes the value: it is never written, so it is optional in `Insert<>`.
   */
  computed(expression: string, options: { stored?: boolean } = {}): ColumnBuilder<With<S, { def: true }>> {
    return this.with({ computed: { expression, stored: options.stored ?? true } });
  }

  /**
   * An identity column: PostgreSQL `GENERATED BY DEFAULT AS IDENTITY` (`{ always: true }`:
   * GENERATED ALWAYS); elsewhere the same as auto-increment. An integer-type column: a lone
   * primary key, or (PostgreSQL) any other. The sequence's options (`start`, `increment`,
   * `minValue`, `maxValue`, `cache`, `cycle`, as for `sequence()`) are PostgreSQL's alone.
   */
  identity(options: IdentityBuilderOptions = {}): ColumnBuilder<With<S, { auto: true }>> {
    const { always, ...sequence } = options;
    return this.with({ identity: { always: always ?? false, ...(Object.keys(sequence).length ? { sequence } : {}) } });
  }

  /** A comment on the column (PostgreSQL, MySQL/MariaDB; SQLite has none and ignores it). */
  comment(text: string): ColumnBuilder<S> {
    return this.with({ comment: text });
  }

  /**
   * The column's collation, in the database's spelling: `.collate('NOCASE')` (SQLite),
   * `.collate('C')` (PostgreSQL), `.collate('utf8mb4_bin')` (MySQL/MariaDB). For String, Text,
   * Char, Enum and Custom columns. Where the models say none, kiln keeps the database's.
   */
  collate(name: string): ColumnBuilder<S> {
    return this.with({ collation: name });
  }

  /**
   * MySQL/MariaDB: an UNSIGNED integer (Integer, SmallInteger, BigInteger, TinyInteger, MediumInteger). Unsaid, kiln makes
   * a lone auto-increment key unsigned (Knex's `increments` is `int unsigned`) and every integer
   * foreign key to an unsigned column unsigned too; `.unsigned(false)` keeps such a column
   * signed (`INT AUTO_INCREMENT` written by hand). PostgreSQL and SQLite have no unsigned
   * integers: there it says nothing.
   */
  unsigned(value = true): ColumnBuilder<S> {
    return this.with({ unsigned: value });
  }

  /** A CHECK constraint on the table, named `<table>_<column>_check` unless named here. */
  check(expression: string, name?: string): ColumnBuilder<S> {
    return this.with({ checks: [...(this.spec.checks ?? []), name === undefined ? { expression } : { expression, name }] });
  }

  private with<T extends ColumnState>(patch: Partial<ColumnSpec>): ColumnBuilder<T> {
    return new ColumnBuilder<T>({ ...this.spec, ...patch });
  }
}

export type AnyColumn = ColumnBuilder<any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export function isColumnBuilder(value: unknown): value is ColumnBuilder {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[COLUMN_BRAND] === true;
}

/** A fresh builder for a canonical type. */
export function makeColumn<S extends ColumnState>(type: string, length?: unknown, typeOptions?: TypeOptions): ColumnBuilder<S> {
  return new ColumnBuilder<S>({
    ...(typeOptions === undefined ? {} : { typeOptions }),
    type,
    length,
    primaryKey: false,
    unique: false,
    index: false,
    nullable: null,
    default: null,
    autoIncrement: null,
    name: null,
    foreignKey: null,
  });
}
