import { KilnError } from '../errors';
import { COLUMN_TYPES, REFERENTIAL_ACTIONS } from '../schema/types';
import type { ColumnDefault, ColumnType, ReferentialAction } from '../schema/types';
import type { ColumnSpec } from './column';
import { NUMBER_TYPES, decimalText, normalizeExpression, typedLiteral } from '../schema/defaults';

/**
 * The longest identifier every supported database keeps whole (PostgreSQL's NAMEDATALEN - 1), for
 * the names the compiler checks itself (views, triggers, sequences, relationships). The names of
 * tables, columns and constraints are checked by each database's projection, against its own
 * limit (src/dialect/shared-names.ts refuseLongNames): SQLite has none, MySQL takes 64.
 */
export const MAX_IDENTIFIER = 63;

export function fail(message: string, hint?: string): never {
  throw new KilnError('MODEL', message, hint === undefined ? {} : { hint });
}

/**
 * `what` is e.g. "table name", "column name", "index name". `limited` false: the length is the
 * projection's to check (a table's, a column's or a constraint's name).
 */
export function checkIdentifier(where: string, what: string, name: unknown, dotted = false, limited = true): string {
  if (typeof name !== 'string' || name.trim() === '') fail(`${where}: ${what} is empty`);
  // A name that starts or ends with white space, or holds a control character, does not survive
  // the round trip (databases and terminals trim or mangle it): refused rather than diffed forever.
  // eslint-disable-next-line no-control-regex -- control characters are what is refused
  if (/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(name)) {
    fail(`${where}: ${what} ${shown(name)} contains a control character`, 'use a name of printable characters');
  }
  if (/^\s|\s$/.test(name)) fail(`${where}: ${what} ${shown(name)} starts or ends with white space`, 'remove the spaces');
  if (limited && name.length > MAX_IDENTIFIER) {
    fail(`${where}: ${what} '${name}' is longer than ${MAX_IDENTIFIER} characters`, 'give it a shorter name');
  }
  // Knex reads a dot in any identifier as a qualifier (schema.table, table.column) and there is
  // no way to quote it through the schema builder: the name would reach the database split.
  if (!dotted && name.includes('.')) fail(`${where}: ${what} '${name}' contains '.', which Knex reads as a qualifier`, 'use a name without a dot');
  // Knex's PostgreSQL client turns every '?' of a statement into $1, $2... even inside a quoted
  // name: the table would be created under another name (and diff as drop + create forever).
  if (name.includes('?')) fail(`${where}: ${what} '${name}' contains '?', which Knex on PostgreSQL reads as a parameter`, "use a name without '?'");
  return name;
}

/** A name quoted for a one-line message: control and invisible characters shown as \uXXXX. */
export function shown(name: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are what is escaped
  const escaped = name.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\ufeff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return `'${escaped}'`;
}

export function checkType(where: string, type: string): ColumnType {
  if (!(COLUMN_TYPES as readonly string[]).includes(type)) fail(`${where}: unknown column type '${String(type)}'`);
  return type as ColumnType;
}

/** The types that take a length, and the length each has when none is given (undefined: none). */
const LENGTHS: ReadonlyMap<ColumnType, number | null | undefined> = new Map<ColumnType, number | null | undefined>([
  ['string', 255],
  ['char', 1],
  ['binary', null],
  ['varbinary', undefined],
]);

/**
 * The normal-form length: the given one (a positive integer) or the type's default (255 for
 * strings, 1 for char, none for a LargeBinary); null for types without a length.
 */
export function checkLength(where: string, type: ColumnType, length: unknown): number | null {
  if (!LENGTHS.has(type)) return null;
  if (length === undefined || length === null) {
    const dflt = LENGTHS.get(type);
    if (dflt === undefined) fail(`${where}: ${type} needs a length`, `e.g. VarBinary(16)`);
    return dflt;
  }
  if (typeof length !== 'number' || !Number.isInteger(length) || length <= 0) {
    fail(`${where}: length ${describe(length)} is not a positive integer`);
  }
  return length;
}

const NUMERIC = NUMBER_TYPES;

/**
 * A raw default that is a plain literal (`-1`, `(-1.5)`, `'it''s'`, `true`) as every introspector
 * reads it back: a typed literal (else `db check` shows `-1 -> -1` forever). null otherwise.
 */
function literalOfRaw(sql: string, type: ColumnType): ColumnDefault | null {
  const quoted = /^'((?:[^']|'')*)'$/s.exec(sql);
  const found = quoted
    ? typedLiteral(quoted[1].replace(/''/g, "'"), type)
    : /^-?\d+(\.\d+)?(e[+-]?\d+)?$/i.test(sql) || /^(true|false)$/i.test(sql)
      ? typedLiteral(sql.toLowerCase(), type)
      : null;
  if (!found || found.kind !== 'literal') return null;
  const expected = NUMERIC.has(type) ? 'number' : type === 'boolean' ? 'boolean' : 'string';
  return typeof found.value === expected && (expected === 'string' || !quoted) ? found : null;
}

export function checkDefault(where: string, type: ColumnType, spec: ColumnSpec['default']): ColumnDefault | null {
  if (spec === null) return null;
  if (spec.kind === 'expression') {
    if (typeof spec.sql !== 'string' || spec.sql.trim() === '') fail(`${where}: defaultRaw needs a SQL expression`);
    const sql = spec.sql.trim();
    // The same normal form as every introspector (src/schema/defaults.ts).
    return literalOfRaw(normalizeExpression(sql), type) ?? { kind: 'expression', sql: normalizeExpression(sql) };
  }
  const value = spec.value;
  if (type === 'decimal') return { kind: 'literal', value: checkDecimalDefault(where, value) };
  if (NUMERIC.has(type)) {
    if (typeof value !== 'number') fail(`${where}: default ${describe(value)} is not a number`);
    if (!Number.isFinite(value)) fail(`${where}: default ${describe(value)} is not a finite number`);
    if (type !== 'float' && type !== 'real' && !Number.isInteger(value)) fail(`${where}: default ${describe(value)} is not an integer`);
  } else if (type === 'boolean') {
    if (typeof value !== 'boolean') fail(`${where}: default ${describe(value)} is not a boolean`);
  } else {
    if (typeof value !== 'string') fail(`${where}: default ${describe(value)} is not a string`);
  }
  return { kind: 'literal', value: value as string | number | boolean };
}

/** A decimal default: a finite number or a decimal string, as its canonical text. */
function checkDecimalDefault(where: string, value: unknown): string {
  const text = typeof value === 'number' && Number.isFinite(value) ? String(value) : typeof value === 'string' ? value : '';
  if (!/^\s*[+-]?(\d+\.?\d*|\.\d+)\s*$/.test(text)) {
    fail(`${where}: default ${describe(value)} is not a decimal number`, "give a number, or a decimal string such as '10.50'");
  }
  return decimalText(text);
}

export function checkAction(where: string, which: 'ON DELETE' | 'ON UPDATE', action: unknown): ReferentialAction {
  if (action === null || action === undefined) return 'NO ACTION';
  const upper = typeof action === 'string' ? action.trim().replace(/\s+/g, ' ').toUpperCase() : '';
  if (!(REFERENTIAL_ACTIONS as readonly string[]).includes(upper)) {
    fail(`${where}: unknown ${which} action ${describe(action)}`, `expected one of ${REFERENTIAL_ACTIONS.join(', ')}`);
  }
  return upper as ReferentialAction;
}

/** 'author.id' -> ['author', 'id']. */
export function checkTarget(where: string, target: unknown): [string, string] {
  const parts = typeof target === 'string' ? target.split('.') : [];
  if (parts.length < 2 || parts.length > 3 || parts.some((p) => p === '')) {
    fail(`${where}: foreign key target ${describe(target)} is not 'table.column' (or 'schema.table.column')`);
  }
  // 'billing.invoice.id': a table in another PostgreSQL schema, named `billing.invoice` (src/schema/qualified.ts).
  return [parts.slice(0, -1).join('.'), parts[parts.length - 1]];
}

export function describe(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined) return String(value);
  try {
    return JSON.stringify(value) ?? typeof value;
  } catch {
    return typeof value;
  }
}

/** The closest of `names` to `name` (edit distance at most 2), for "did you mean" hints. */
export function closest(name: string, names: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of names) {
    const d = distance(name, candidate);
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return best;
}

function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length];
}

export function didYouMean(name: string, names: Iterable<string>): string | undefined {
  const c = closest(name, names);
  return c === undefined ? undefined : `did you mean '${c}'?`;
}
