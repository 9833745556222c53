import { ColumnBuilder, makeColumn } from './column';
import type { Fresh } from './column-types';

/**
 * The column types of real schemas beyond the tutorial's (issue 11). Like ./column-types, they
 * shadow globals (`Array`) in a file that imports them. What each becomes on each database:
 * src/dialect/<name>/column-types.ts.
 */

/** A 2-byte integer. */
export function SmallInteger(): ColumnBuilder<Fresh<number, number>> {
  return makeColumn('smallint');
}

/**
 * A 1-byte integer: MySQL/MariaDB `tinyint` (-128..127, `.unsigned()` 0..255; `tinyint(1)` is
 * Boolean()). PostgreSQL has none: `smallint` there; SQLite `integer`.
 */
export function TinyInteger(): ColumnBuilder<Fresh<number, number>> {
  return makeColumn('tinyint');
}

/**
 * A 3-byte integer: MySQL/MariaDB `mediumint` (-8388608..8388607, `.unsigned()` 0..16777215).
 * PostgreSQL has none: `integer` there; SQLite `integer`.
 */
export function MediumInteger(): ColumnBuilder<Fresh<number, number>> {
  return makeColumn('mediumint');
}

/**
 * An exact decimal number: `Numeric(10, 2)`. Drivers return it as a string (`'10.50'`; SQLite,
 * which has no decimal storage, returns a number); a literal default is a number or a decimal
 * string.
 */
export function Numeric(precision?: number, scale?: number): ColumnBuilder<Fresh<string, string | number>> {
  return makeColumn('decimal', undefined, { precision, scale });
}

export const Decimal = Numeric;

/** A 4-byte float (PostgreSQL `real`, MySQL `float`; SQLite stores 8 bytes whatever is said). */
export function Real(): ColumnBuilder<Fresh<number, number>> {
  return makeColumn('real');
}

/** A fixed-length string, `CHAR(n)` (n defaults to 1). */
export function Char(length?: number): ColumnBuilder<Fresh<string, string>> {
  return makeColumn('char', length);
}

/** A UUID (PostgreSQL `uuid`; `char(36)` on MySQL/MariaDB and SQLite). */
export function Uuid(): ColumnBuilder<Fresh<string, string>> {
  return makeColumn('uuid');
}

/** PostgreSQL's binary JSON; JSON on the other databases. */
export function Jsonb(): ColumnBuilder<Fresh<unknown, string>> {
  return makeColumn('jsonb');
}

/** A fixed-length binary string, `BINARY(n)` (MySQL/MariaDB; bytea/blob with no length elsewhere). */
export function Binary(length: number): ColumnBuilder<Fresh<Buffer, string>> {
  return makeColumn('binary', length);
}

/** A variable-length binary string, `VARBINARY(n)` (MySQL/MariaDB; bytea/blob with no length elsewhere). */
export function VarBinary(length: number): ColumnBuilder<Fresh<Buffer, string>> {
  return makeColumn('varbinary', length);
}

type ValueOfBuilder<C> = C extends ColumnBuilder<infer S> ? S['t'] : never;

/** A PostgreSQL array of `element` (`Array(Integer())`); refused on the other databases. */
function ArrayOf<C extends ColumnBuilder<any>>(element: C): ColumnBuilder<Fresh<ValueOfBuilder<C>[], string>> { // eslint-disable-line @typescript-eslint/no-explicit-any
  return makeColumn('array', undefined, { element });
}

export { ArrayOf as Array };

/**
 * A type kiln has no builder for, in the database's own spelling (`Custom('citext')`), compared
 * by its normalised spelling. `T` is what the driver returns (a string unless said).
 */
export function Custom<T = string>(spelling: string): ColumnBuilder<Fresh<T, string>> {
  return makeColumn('custom', undefined, { custom: spelling });
}
