import { ColumnBuilder, makeColumn } from './column';

/** DateTime/Time options: a zone-storing type (PostgreSQL only) and fractional-second digits (0-6). */
export interface TemporalOptions {
  /** PostgreSQL timestamptz/timetz. DateTime() keeps each database's default (timestamptz on PostgreSQL). */
  readonly timezone?: boolean;
  readonly precision?: number;
}

/** Text/LargeBinary options: the MySQL/MariaDB size of the TEXT/BLOB family (absent: TEXT/BLOB, 64 KB). */
export interface LobOptions {
  readonly size?: 'tiny' | 'medium' | 'long';
}

/**
 * Column type builders with SQLAlchemy's names. They shadow the globals `String`, `Date` and
 * `JSON` in a file that imports them, as `db.String` would in Python; nothing else in kiln
 * should import from here.
 */

export interface Fresh<T, L, Auto extends boolean = false> {
  t: T;
  lit: L;
  nullable: true;
  def: false;
  pk: false;
  auto: Auto;
  name: null;
}

/** A date or time value: Knex returns strings or Date objects depending on the driver. */
type DateValue = string | globalThis.Date;

export function Integer(): ColumnBuilder<Fresh<number, number, true>> {
  return makeColumn('integer');
}

export function BigInteger(): ColumnBuilder<Fresh<number, number, true>> {
  return makeColumn('bigint');
}

/** A VARCHAR; length defaults to 255. */
export function String(length?: number): ColumnBuilder<Fresh<string, string>> {
  return makeColumn('string', length);
}

/**
 * TEXT. `size` picks MySQL/MariaDB's TINYTEXT (255 bytes), MEDIUMTEXT (16 MB) or LONGTEXT
 * (4 GB) instead of TEXT's 64 KB; PostgreSQL and SQLite have one unbounded text type.
 */
export function Text(options?: LobOptions): ColumnBuilder<Fresh<string, string>> {
  return makeColumn('text', undefined, options === undefined ? undefined : { ...options });
}

export function Date(): ColumnBuilder<Fresh<DateValue, string>> {
  return makeColumn('date');
}

export function Time(options?: TemporalOptions): ColumnBuilder<Fresh<string, string>> {
  return makeColumn('time', undefined, options === undefined ? undefined : { ...options });
}

export function DateTime(options?: TemporalOptions): ColumnBuilder<Fresh<DateValue, string>> {
  return makeColumn('datetime', undefined, options === undefined ? undefined : { ...options });
}

/** A duration (SQLAlchemy's timedelta). */
export function Interval(): ColumnBuilder<Fresh<string, string>> {
  return makeColumn('interval');
}

/** Double precision (8 bytes); `Double` is the same type. */
export function Float(): ColumnBuilder<Fresh<number, number>> {
  return makeColumn('float');
}

export const Double = Float;

export function Boolean(): ColumnBuilder<Fresh<boolean, boolean>> {
  return makeColumn('boolean');
}

/** Any JSON value; a literal default is JSON text. */
export function JSON(): ColumnBuilder<Fresh<unknown, string>> {
  return makeColumn('json');
}

/** SQLAlchemy's PickleType; in kiln, an alias of JSON. */
export const PickleType = JSON;

/** A BLOB (PostgreSQL bytea); `size` as for Text: MySQL/MariaDB's TINYBLOB, MEDIUMBLOB or LONGBLOB. */
export function LargeBinary(options?: LobOptions): ColumnBuilder<Fresh<Buffer, string>> {
  return makeColumn('binary', undefined, options === undefined ? undefined : { ...options });
}

export interface EnumOptions {
  /**
   * The type's name where the database names it (PostgreSQL); default `<table>_<column>`. A bare
   * name lives in the table's schema; `shared.mood` names type `mood` of schema `shared` (the
   * first '.' separates them), and a type whose name holds a '.' is written with its schema:
   * `public.Odd.Name`.
   */
  readonly name?: string;
}

/**
 * One of a fixed list of strings: PostgreSQL a named ENUM type, MySQL/MariaDB `ENUM(...)`,
 * SQLite a text column with `CHECK (col IN (...))`. `Row<>` types it as the union of the values.
 */
export function Enum<const V extends readonly [string, ...string[]]>(...values: V): ColumnBuilder<Fresh<V[number], V[number]>>;
export function Enum<const V extends readonly [string, ...string[]]>(...args: [...V, EnumOptions]): ColumnBuilder<Fresh<V[number], V[number]>>;
export function Enum(...args: unknown[]): ColumnBuilder<Fresh<string, string>> {
  const last = args[args.length - 1];
  const options = typeof last === 'object' && last !== null ? (last as EnumOptions) : undefined;
  const values = options ? args.slice(0, -1) : args;
  const builder = makeColumn<Fresh<string, string>>('enum');
  return new ColumnBuilder({ ...builder.spec, enumSpec: { values, name: options?.name ?? null } });
}
