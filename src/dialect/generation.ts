import type { Knex } from 'knex';
import type { IntrospectOptions } from '../introspect';
import type { Operation, OperationOf } from '../ops/types';
import type { Column, Schema, Sequence, Unmanaged } from '../schema/types';
import type { SequenceOption } from '../schema/sequence';
import type { ExtrasRender } from './extras-render';
import type { DialectViews } from './views';
import type { DialectTriggers } from './triggers';

/** What a dialect decides about reading, planning and rendering a schema (see Dialect). */
export interface DialectGeneration {
  /** Knex's client name (`client: 'pg'`). */
  readonly knexClient: string;
  /**
   * The model schema as this database stores it, so that the pure diff compares like with
   * like: the dialect's type rules for the *model* side (introspection owns the database side).
   * `defaultSchema`: the config's `schema`, else `public` (PostgreSQL: where a model's
   * `Enum(..., { name: 'public.mood' })` names the default schema's type).
   */
  project(schema: Schema, defaultSchema?: string): Schema;
  /**
   * What `up` runs for the changes `compare` found (one op per logical change): where the
   * database cannot do a change in place (SQLite's ALTER TABLE), the plan rebuilds the table;
   * ops may also be reordered or marked so that the migration runs there.
   */
  plan(changes: readonly Operation[], database: Schema, models: Schema): Operation[];
  /**
   * The live database as a canonical Schema (normalised at this boundary). The introspector
   * is loaded on first use, so a command never loads the code of a dialect it does not speak.
   */
  introspect(knex: Knex, options: IntrospectOptions): Promise<Schema>;
  /** Reading views and the database's rendering of a model's view (./views; loaded on first use). */
  readonly views: DialectViews;
  /** Reading triggers and their statements (./triggers; loaded on first use). */
  readonly triggers: DialectTriggers;
  /**
   * The domains the tables' columns use, each with its CREATE DOMAIN (PostgreSQL only; absent =
   * none), for `db baseline`: a fresh database needs them before the tables.
   */
  readonly domains?: { read(knex: Knex, options: IntrospectOptions): Promise<readonly { name: string; sql: string; tables: readonly string[] }[]> };
  /**
   * The extensions the database's own objects use and the ones those require, a requirement
   * first, each with the schema of its objects and its version (PostgreSQL only; absent = none),
   * for `db baseline`: a fresh database needs them first. `unused`: the other installed ones (by
   * name), which nothing kiln reads depends on: the baseline names them in a warning.
   */
  readonly extensions?: { read(knex: Knex): Promise<{ readonly used: readonly { name: string; schema: string; version: string }[]; readonly unused: readonly string[] }> };
  /**
   * Which of `names` are schemas of the database (PostgreSQL: the schemas of enum types kiln does
   * not read, src/autogenerate.ts); absent = the database has no schemas.
   */
  readonly schemasPresent?: (knex: Knex, names: readonly string[]) => Promise<string[]>;
  /** Standalone sequences (issue 12 item 4; PostgreSQL, MariaDB); absent = the database has none. */
  readonly sequences?: DialectSequences;
  /** How ops render for this database (src/render/ asks these hooks). */
  readonly render: DialectRender;
  /**
   * The integer columns (`table\0column`) the projection makes unsigned where a model says
   * nothing, read from a database schema (MySQL/MariaDB); absent: none (no unsigned integers).
   */
  readonly unsignedByDefault?: (database: Schema) => ReadonlySet<string>;
}

/** Where databases differ on standalone sequences (src/schema/sequence.ts holds PostgreSQL's rules). */
export interface DialectSequences {
  /** The database's sequences, every option in its normal form (src/schema/types.ts Sequence). */
  read(knex: Knex, options: IntrospectOptions): Promise<Sequence[]>;
  /**
   * A model's sequence as this database stores it: the options the model does not say
   * (`Sequence.given`) are this database's defaults; one it cannot have is refused (KilnError
   * naming the sequence). The result has no `given`.
   */
  project(s: Sequence): Sequence;
  /** The options of `s` that differ from this database's defaults: what CREATE SEQUENCE and a pulled model say. */
  said(s: Sequence): SequenceOption[];
  /** An option's clause where this database spells it its own way (MariaDB: NOCYCLE), else undefined. */
  clause?(s: Sequence, option: SequenceOption): string | undefined;
  /**
   * Refuses the models' sequences (`names`, quoted) where this server has none although the
   * dialect can (MySQL 8 beside MariaDB): a KilnError naming them. Absent: every server has them.
   */
  refuseServer?(knex: Knex, names: readonly string[]): Promise<void>;
  /**
   * True where sequences are tables to the catalog (MariaDB), so the config's include/exclude
   * leave them out as they leave tables out: a model sequence it leaves out is refused.
   */
  readonly filteredAsTables?: true;
}

/** The rendering rules in which databases differ; src/render/ holds the rest. */
export interface DialectRender {
  /**
   * Whether ALTER TABLE changes columns, keys and foreign keys in place. Where it does not
   * (SQLite), the planner sends rebuildTable, and rendering such an op is a kiln bug.
   */
  readonly alterInPlace: boolean;
  /**
   * The builder call of a column's type where this database needs its own (`name` already a
   * JS literal; e.g. `t.decimal('price', 10, 2)`, `t.specificType('tags', 'text[]')`), or
   * undefined for the common call (src/render/column.ts).
   */
  columnType(c: Column, name: string): string | undefined;
  /**
   * A column whose default knex does not write as this database needs it (MySQL/MariaDB: knex
   * leaves out the default of a TEXT/BLOB column, and MySQL 8 takes one on TEXT/BLOB/JSON only
   * as a parenthesised expression): the type's builder call (`name` already a JS literal) and
   * the `.defaultTo()` argument; undefined for the common rendering (src/render/column.ts).
   */
  columnDefault?(c: Column, name: string): { readonly call: string; readonly value: string } | undefined;
  /** The builder call of an Interval column (`name` already a JS literal). */
  intervalColumn(name: string): string;
  /** The statement dropping a column, or undefined for Knex's `t.dropColumn`. */
  dropColumn(op: OperationOf<'dropColumn'>): string | undefined;
  /** The statement renaming a column, or undefined for Knex's `t.renameColumn`. */
  renameColumn(op: OperationOf<'renameColumn'>): string | undefined;
  /**
   * The builder call creating a lone auto-increment key column (`name` already a JS literal)
   * where Knex's `increments`/`bigIncrements` would not give it (MySQL: a signed one; a
   * SmallInteger key everywhere it reaches the renderer: knex has no `smallIncrements`), or
   * undefined for those. The call must make the column the primary key, as `increments` does.
   */
  incrementsColumn?(c: Column, name: string): string | undefined;
  /** The statements of an alterColumn involving auto-increment, or undefined for Knex's `.alter()`. */
  alterAutoIncrement(table: string, from: Column, to: Column): string | undefined;
  /** Enums, generated and identity columns (./extras-render). */
  readonly extras: ExtrasRender;
  /**
   * The builder call of a column with a collation (`c.collation` set), given the call without
   * it: knex says `.collate()` on MySQL only, so SQLite and PostgreSQL spell the type with its
   * COLLATE clause through `t.specificType`. Throws a KilnError where the type cannot take one.
   */
  collate(c: Column, name: string, call: string): string;
  /**
   * The builder calls restating a table's options (its Unmanaged entries of kind 'table option')
   * inside knex's createTable callback (MySQL/MariaDB: `t.engine()`, `t.charset()`,
   * `t.collate()`); absent where they follow the column list instead (SQLite's STRICT,
   * WITHOUT ROWID, through kiln/sqlite's createTable).
   */
  tableOptionCalls?(options: readonly Unmanaged[]): string[];
  /**
   * A comment as it must be handed to knex's `.comment()` / `t.comment()` so that the statement
   * knex writes holds exactly `text` (knex 3.3 escapes comments wrongly or not at all, and on
   * PostgreSQL turns every '?' into a parameter).
   */
  commentText(text: string): string;
  /**
   * SQL text as it must be handed to `knex.raw` with no bindings so that the statement holds
   * exactly `sql` (knex on PostgreSQL turns every '?' into a parameter).
   */
  rawText(sql: string): string;
  /** A quoted identifier, for the constraint name knex splices unquoted into `t.check()`. */
  quoteName(name: string): string;
  /**
   * The statement changing only a column's comment (absent: removed), or undefined for knex's
   * `.alter()` with `.comment()` (MySQL's MODIFY must restate the column anyway).
   */
  alterColumnComment(table: string, column: string, comment: string | undefined): string | undefined;
  /** Online-safe generation (src/render/online.ts); absent where the database has none (SQLite). */
  readonly online?: OnlineRender;
}

/**
 * How a change to an existing table is written so that the application keeps running
 * (config `online`): the statements use kiln/online's helpers (src/public/online.ts).
 */
export interface OnlineRender {
  /**
   * The online-safe statements of `op` (on a table that exists before the migration), or
   * undefined for its plain statements, which src/render/online.ts runs in a `ddl()` step.
   */
  op(op: Operation): string | undefined;
  /** Why the server can only make this change by copying the table (writes wait), or undefined. */
  copies(op: Operation): string | undefined;
}
