/**
 * What kiln/guard counts (src/public/guard.ts): the rows whose stored value a column change
 * alters. The dialects decide which conditions apply (src/dialect/<name>/runtime.ts); the
 * integer ranges and the float-to-integer rule are shared here.
 */
import { INTEGER_TYPES, LOB_BYTES, type ColumnType, type LobSize } from '../schema/types';

export interface GuardType {
  readonly type: string;
  readonly length?: number | null;
  readonly unsigned?: boolean;
  /** decimal: total digits and digits after the point (absent: an unconstrained numeric). */
  readonly precision?: number;
  readonly scale?: number;
  /** enum: its values (a value not among the new ones is a row the change alters). */
  readonly values?: readonly string[];
  /** text, LargeBinary: MySQL/MariaDB's TEXT/BLOB size (see Column.size); absent: TEXT/BLOB. */
  readonly size?: LobSize;
}

/** A text column or a LargeBinary (a guard's binary carries no length: Binary(n) is never sized). */
const isLob = (t: GuardType) => t.type === 'text' || (t.type === 'binary' && !t.length);

/**
 * The byte limit of the MySQL TEXT/BLOB `to` where it holds less than `from` can (a smaller
 * size; anything becoming a TINYTEXT/TINYBLOB), or undefined. Only MySQL/MariaDB's columns carry a size.
 */
export function lobShrinksTo(from: GuardType, to: GuardType): number | undefined {
  if (!isLob(to)) return undefined;
  const limit = LOB_BYTES[to.size ?? ''];
  const shrinks = isLob(from) && from.type === to.type ? limit < LOB_BYTES[from.size ?? ''] : to.size === 'tiny';
  return shrinks ? limit : undefined;
}

/**
 * Rows holding an enum value the change removes: `?? IN ('gone', ...)`, or null. Values are SQL
 * string literals (`backslashes`: MySQL's escaping); a `?` is escaped for Knex's bindings.
 */
export function removedEnumValues(from: GuardType, to: GuardType, backslashes = false): string | null {
  if (!from.values || !to.values) return null;
  const gone = from.values.filter((v) => !to.values!.includes(v));
  if (!gone.length) return null;
  const quote = (v: string) => `'${(backslashes ? v.replace(/\\/g, '\\\\') : v).replace(/'/g, "''").replace(/\?/g, '\\?')}'`;
  return `?? IN (${gone.map(quote).join(', ')})`;
}

const FRACTIONAL = new Set(['float', 'real', 'decimal']);

const RANGE: Record<string, [string, string]> = {
  tinyint: ['-128', '127'],
  'tinyint unsigned': ['0', '255'],
  mediumint: ['-8388608', '8388607'],
  'mediumint unsigned': ['0', '16777215'],
  smallint: ['-32768', '32767'],
  'smallint unsigned': ['0', '65535'],
  integer: ['-2147483648', '2147483647'],
  'integer unsigned': ['0', '4294967295'],
  bigint: ['-9223372036854775808', '9223372036854775807'],
  'bigint unsigned': ['0', '18446744073709551615'],
};

/** The integer types a double (53-bit mantissa) and a real (24-bit) hold every value of. */
const EXACT_IN: Record<'float' | 'real', ReadonlySet<string>> = {
  float: new Set(['tinyint', 'smallint', 'mediumint', 'integer']),
  real: new Set(['tinyint', 'smallint', 'mediumint']),
};

/**
 * Whether a column of type `from` becoming a float (double) or real can round a stored value:
 * a bigint past 2^53 (an integer past 2^24 for a real), a decimal with more digits than a
 * double keeps, a double becoming a real, and a custom type (SQLite: a NUMERIC-affinity column
 * whose integers a REAL column rounds).
 */
export function floatRounds(from: string, to: string): boolean {
  if (to !== 'float' && to !== 'real') return false;
  if (INTEGER_TYPES.has(from as ColumnType)) return !EXACT_IN[to].has(from);
  return from === 'decimal' || from === 'custom' || (from === 'float' && to === 'real');
}

/** What differs between the server databases' casts (`??` is the column). */
export interface CastRules {
  /** The test for a value whose text is longer than the new length. */
  tooLong(length: number): string;
  /** The test for a value of type `from` that a cast to boolean changes, or null. */
  notBoolean(from: GuardType): string | null;
  /** The test for a number that a cast to a float (double) or real rounds. */
  notExactAs(to: 'float' | 'real'): string;
}

/**
 * The conditions of a server database (PostgreSQL, MySQL/MariaDB) that casts strings,
 * numbers and datetimes: true for a row whose stored value the change alters.
 */
export function castConditions(from: GuardType, to: GuardType, rules: CastRules, backslashes = false): string | null {
  const conditions: string[] = [];
  const removed = removedEnumValues(from, to, backslashes);
  if (removed) conditions.push(removed);
  if ((to.type === 'string' || to.type === 'char') && to.length) conditions.push(rules.tooLong(to.length));
  if (from.type === 'datetime' && to.type === 'date') conditions.push('?? <> CAST(?? AS DATE)');
  if (from.type === 'datetime' && to.type === 'time') conditions.push('?? IS NOT NULL');
  if (to.type === 'boolean' && from.type !== 'boolean') {
    const notBoolean = rules.notBoolean(from);
    if (notBoolean) conditions.push(notBoolean);
  }
  if (to.type === 'decimal') conditions.push(...decimalConditions(from, to));
  // A custom type's values may not be numbers at all: only the known numeric types are compared.
  if (floatRounds(from.type, to.type) && from.type !== 'custom') conditions.push(rules.notExactAs(to.type as 'float' | 'real'));
  const lobLimit = lobShrinksTo(from, to);
  // octet_length counts bytes, as the TEXT/BLOB limits do.
  if (lobLimit !== undefined) conditions.push(`octet_length(??) > ${lobLimit}`);
  if (INTEGER_TYPES.has(to.type as ColumnType) && FRACTIONAL.has(from.type)) conditions.push('?? <> floor(??)');
  if (INTEGER_TYPES.has(to.type as ColumnType)) {
    const [min, max] = RANGE[`${to.type}${to.unsigned ? ' unsigned' : ''}`];
    const [fromMin, fromMax] = RANGE[`${from.type}${from.unsigned ? ' unsigned' : ''}`] ?? ['', ''];
    if (fromMin === '' || BigInt(fromMin) < BigInt(min)) conditions.push(`?? < ${min}`);
    if (fromMax === '' || BigInt(fromMax) > BigInt(max)) conditions.push(`?? > ${max}`);
  }
  return conditions.length ? conditions.map((c) => `(${c})`).join(' OR ') : null;
}

/** Digits an integer type can hold. */
const INTEGER_DIGITS: Record<string, number> = { tinyint: 3, smallint: 5, mediumint: 8, integer: 10, bigint: 20 };

/**
 * A value that a decimal(p,s) rounds (more digits after the point than s) or cannot hold (p-s
 * digits or more before the point: PostgreSQL and strict MySQL refuse, MySQL otherwise clamps).
 */
function decimalConditions(from: GuardType, to: GuardType): string[] {
  if (to.precision === undefined) return [];
  const scale = to.scale ?? 0;
  const whole = to.precision - scale;
  const out: string[] = [];
  const fromDecimal = from.type === 'decimal' && from.precision !== undefined;
  const roundsFrom = from.type === 'float' || from.type === 'real' || (from.type === 'decimal' && (!fromDecimal || (from.scale ?? 0) > scale));
  if (roundsFrom) out.push(`?? <> round(??, ${scale})`);
  const fromWhole = fromDecimal ? from.precision! - (from.scale ?? 0) : (INTEGER_DIGITS[from.type] ?? Infinity);
  if (fromWhole > whole) out.push(`abs(??) >= 1${'0'.repeat(whole)}`);
  return out;
}
