import type { ColumnDefault, ColumnType } from '../../schema/types';
import { balanced, normalizeExpression } from '../../schema/defaults';
import { normalizeTypeSpelling } from '../../schema/element';

/**
 * SQLite's declared column types and default texts -> canonical normal forms.
 *
 * Declared types are what the CREATE TABLE said (SQLite keeps the text). Knex 3.3 on SQLite
 * writes: increments -> `integer not null primary key autoincrement`, string(n) ->
 * `varchar(n)`, text -> `text`, integer -> `integer`, bigInteger -> `bigint`, float, double
 * and decimal -> `float`, boolean -> `boolean`, date/time -> `date`/`time`, datetime and
 * timestamp -> `datetime`, json -> `json`, binary -> `blob`, specificType(x, 'interval') ->
 * `interval`. Those (and the usual synonyms) map by name; anything else maps by SQLite's
 * own affinity rules (https://www.sqlite.org/datatype3.html, 3.1): contains INT -> integer;
 * CHAR/CLOB/TEXT -> text (or string(n) for `...char(n)`); BLOB or no type -> binary;
 * REAL/FLOA/DOUB -> float; any other name (NUMERIC affinity: `decimal(10,2)`, `numeric`,
 * `money`, `uuid`) -> custom, in its spelling.
 */
const BY_NAME: Readonly<Record<string, ColumnType>> = {
  integer: 'integer',
  int: 'integer',
  tinyint: 'integer',
  smallint: 'integer',
  mediumint: 'integer',
  int2: 'integer',
  int4: 'integer',
  bigint: 'bigint',
  int8: 'bigint',
  'unsigned big int': 'bigint',
  text: 'text',
  clob: 'text',
  mediumtext: 'text',
  longtext: 'text',
  date: 'date',
  time: 'time',
  datetime: 'datetime',
  timestamp: 'datetime',
  timestamptz: 'datetime',
  interval: 'interval',
  float: 'float',
  double: 'float',
  'double precision': 'float',
  real: 'float',
  boolean: 'boolean',
  bool: 'boolean',
  json: 'json',
  jsonb: 'json',
  blob: 'binary',
  binary: 'binary',
  varbinary: 'binary',
  bytea: 'binary',
};

const STRING_TYPES = new Set(['varchar', 'character varying', 'nvarchar', 'varying character', 'nchar', 'native character', 'char', 'character']);

export interface SqliteType {
  readonly type: ColumnType;
  readonly length: number | null;
  /** A custom type's normalised spelling (a declared type with no affinity kiln can name). */
  readonly custom?: string;
}

/** `varchar(70)` -> string 70; `INTEGER` -> integer; unknown names by affinity. */
export function parseSqliteType(declared: string): SqliteType {
  const text = declared.trim().toLowerCase().replace(/\s+/g, ' ');
  const m = /^([^(]*?)\s*(?:\(\s*([^)]*)\))?$/.exec(text);
  const base = (m?.[1] ?? text).trim();
  const firstArg = m?.[2] ? Number.parseInt(m[2], 10) : NaN;
  if (STRING_TYPES.has(base)) return { type: 'string', length: Number.isFinite(firstArg) ? firstArg : 255 };
  const named = BY_NAME[base];
  if (named) return { type: named, length: null };
  const type = byAffinity(base, firstArg);
  if (type === 'custom') return { type, length: null, custom: normalizeTypeSpelling(text) };
  return { type, length: type === 'string' ? firstArg : null };
}

function byAffinity(base: string, firstArg: number): ColumnType {
  if (base.includes('int')) return 'integer';
  if (base.includes('char') && Number.isFinite(firstArg)) return 'string';
  if (base.includes('char') || base.includes('clob') || base.includes('text')) return 'text';
  if (base === '' || base.includes('blob')) return 'binary';
  // REAL affinity: float. Any other name (NUMERIC affinity: `numeric(10,2)`, `decimal`, `money`)
  // keeps its spelling as a custom type (`Custom('numeric(10,2)')`), so a model can say it and
  // a rebuild keeps the affinity: a NUMERIC column stores 12345678901234567 as an integer, where
  // a float one would round it (kiln's own Numeric() is `float` on SQLite: never read here).
  if (/real|floa|doub/.test(base)) return 'float';
  return 'custom';
}

const EXPRESSIONS = new Set(['CURRENT_TIMESTAMP', 'CURRENT_DATE', 'CURRENT_TIME']);

/** Removes redundant outer parentheses: `((1))` -> `1` (not `(1) + (2)`). */
function stripParens(sql: string): string {
  let s = sql.trim();
  while (s.startsWith('(') && s.endsWith(')') && balanced(s.slice(1, -1))) s = s.slice(1, -1).trim();
  return s;
}


const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** A string literal's value (`'it''s'` -> `it's`), or null if the text is not one literal. */
function unquote(s: string): string | null {
  if (s.length < 2 || !s.startsWith("'") || !s.endsWith("'")) return null;
  const body = s.slice(1, -1);
  if (/(^|[^'])'([^']|$)/.test(body.replace(/''/g, ''))) return null;
  return body.replace(/''/g, "'");
}

/**
 * SQLite's stored default text -> normal form, typed by the column type: integer/bigint/float
 * get numbers, boolean gets true/false (from 1/0, '1'/'0', true/false), others strings; text
 * that is not a value of the column's type (`INTEGER DEFAULT 'n/a'`) is an expression.
 * NULL -> null; CURRENT_TIMESTAMP/DATE/TIME -> expression; anything else -> expression, verbatim.
 */
export function parseSqliteDefault(text: string | null, type: ColumnType): ColumnDefault | null {
  if (text === null || text === undefined) return null;
  const s = stripParens(text);
  const upper = s.toUpperCase();
  if (upper === 'NULL') return null;
  if (EXPRESSIONS.has(upper)) return { kind: 'expression', sql: upper };
  const quoted = unquote(s);
  const raw = quoted ?? (NUMBER.test(s) || upper === 'TRUE' || upper === 'FALSE' ? s : null);
  if (raw === null) return { kind: 'expression', sql: normalizeExpression(s) };
  const value = sqliteLiteralValue(raw, type, quoted !== null);
  return value === null ? { kind: 'expression', sql: normalizeExpression(s) } : { kind: 'literal', value };
}

/**
 * The value of a literal SQLite default under SQLite's own rules (TRUE/FALSE are 1/0 for
 * numbers; an unquoted word that is not a value of the type is null: read as an expression).
 */
function sqliteLiteralValue(raw: string, type: ColumnType, quoted: boolean): string | number | boolean | null {
  const lower = raw.trim().toLowerCase();
  if (type === 'boolean') {
    if (lower === '1' || lower === 'true') return true;
    if (lower === '0' || lower === 'false') return false;
    // Any other text (SQLite takes `BOOLEAN DEFAULT 'maybe'`): the quoted SQL, an expression,
    // which a model can say (`.defaultRaw("'maybe'")`); as a string it was a literal no
    // Boolean() column accepts, and `db pull` refused the table.
    return null;
  }
  if (type === 'integer' || type === 'bigint' || type === 'float') {
    if (lower === 'true' || lower === 'false') return lower === 'true' ? 1 : 0;
    if (!NUMBER.test(raw.trim())) return null; // `INTEGER DEFAULT 'n/a'`: an expression, as above
    // An integer past 2^53 is no JavaScript number: read as an expression, every digit kept (src/schema/defaults.ts typedLiteral).
    const n = Number(raw);
    // 9e999 is SQLite's infinity: no number a model writes; read as an expression (`.defaultRaw('9e999')`).
    if (!Number.isFinite(n)) return null;
    return type !== 'float' && /^[+-]?\d+$/.test(raw.trim()) && !Number.isSafeInteger(n) ? null : n;
  }
  if (!quoted && (lower === 'true' || lower === 'false')) return null;
  return raw;
}
