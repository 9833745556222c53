import { INTEGER_TYPES, type ColumnDefault, type ColumnType } from './types';

/**
 * The normal form of column defaults, shared by the model compiler and every introspector
 * (a difference here is a spurious diff):
 * - white space outside string literals is squashed to one space; redundant outer parentheses
 *   go (`(1 + 2)` -> `1 + 2`: PostgreSQL and MariaDB drop them, SQLite keeps what was written);
 * - `'text'::text` / `::character varying` / `::bpchar` casts PostgreSQL adds to string literals
 *   go (`lower('ABC'::text)` -> `lower('ABC')`);
 * - MariaDB's spellings are the standard ones: curdate() -> CURRENT_DATE, curtime() ->
 *   CURRENT_TIME, lcase( -> lower(, ucase( -> upper(;
 * - a time function spelled any way (now(), current_timestamp(), CURRENT_TIMESTAMP,
 *   localtimestamp, transaction_timestamp()) is the expression CURRENT_TIMESTAMP;
 * - any other bare keyword or `fn()` is upper-cased; other expressions stay as written;
 * - a literal is typed by its column: number for integer/smallint/tinyint/mediumint/bigint/float/real, boolean for
 *   boolean, the canonical decimal text for decimal (decimalText), a string otherwise.
 */
export function normalizeExpression(sql: string): string {
  // MariaDB prints `concat('a','b')`: one space after each comma, none before.
  let s = stripOuterParens(outsideQuotes(sql.trim(), (code) => code.replace(/\s+/g, ' ').replace(/ ?, ?/g, ', ')));
  s = s.replace(/('(?:[^']|'')*')(?:::(?:text|character varying|bpchar)\b)?/gi, '$1');
  s = outsideQuotes(s, (code) =>
    code
      .replace(/\bcurdate\s*\(\s*\)|\bcurrent_date\s*\(\s*\)/gi, 'CURRENT_DATE')
      .replace(/\bcurtime\s*\(\s*\)|\bcurrent_time\s*\(\s*\)/gi, 'CURRENT_TIME')
      .replace(/\blcase\s*\(/gi, 'lower(')
      .replace(/\bucase\s*\(/gi, 'upper('),
  );
  s = stripOuterParens(s);
  if (/^(now\(\)|current_timestamp(\(\))?|localtimestamp(\(\))?|transaction_timestamp\(\))$/i.test(s)) return 'CURRENT_TIMESTAMP';
  // With fractional-second digits (a DateTime({ precision }) default; MariaDB prints it lower case).
  const precise = /^(?:now|current_timestamp)\(\s*(\d)\s*\)$/i.exec(s);
  if (precise) return `CURRENT_TIMESTAMP(${precise[1]})`;
  return /^[A-Za-z_]+(\(\))?$/.test(s) ? s.toUpperCase() : s;
}

/** Applies `fn` to the parts of `sql` outside single-quoted string literals. */
function outsideQuotes(sql: string, fn: (code: string) => string): string {
  return sql
    .split(/('(?:[^']|'')*')/)
    .map((part, i) => (i % 2 ? part : fn(part)))
    .join('');
}

/** `((1 + 2))` -> `1 + 2`; `(1) + (2)` stays. */
function stripOuterParens(sql: string): string {
  let s = sql.trim();
  while (s.startsWith('(') && s.endsWith(')') && balanced(s.slice(1, -1))) s = s.slice(1, -1).trim();
  return s;
}

const TRUE_WORDS = ['1', 'true', 't', 'yes', 'on', "b'1'"];
const FALSE_WORDS = ['0', 'false', 'f', 'no', 'off', "b'0'"];

/**
 * A literal default read as text (PostgreSQL, MySQL), typed by the column's type. SQLite's
 * stored defaults follow other rules: see sqliteLiteralValue in src/dialect/sqlite/introspect-types.ts.
 */
export function typedLiteral(text: string, type: ColumnType): ColumnDefault {
  // NaN and the infinities (PostgreSQL's float, real and numeric take them): no number a model
  // can write says them, and as a string no Float() model accepts them (`db pull` refused the
  // table). As the quoted literal (`.defaultRaw("'NaN'")`) they read back the same.
  if ((type === 'float' || type === 'real' || type === 'decimal') && /^[+-]?(nan|infinity)$/i.test(text.trim())) return { kind: 'expression', sql: `'${text.trim()}'` };
  if (type === 'decimal') return { kind: 'literal', value: decimalText(text) };
  if (NUMBER_TYPES.has(type)) {
    const n = Number(text);
    // An integer a JavaScript number cannot hold (a bigint past 2^53) stays its exact text, as
    // an expression: as a number, 9007199254740993 became ...992, and the models then said another
    // value than the database (9223372036854775807 even one no bigint holds).
    if (INTEGER_TYPES.has(type) && /^\s*[+-]?\d+\s*$/.test(text) && !Number.isSafeInteger(n)) return { kind: 'expression', sql: decimalText(text) };
    if (text.trim() !== '' && Number.isFinite(n)) return { kind: 'literal', value: n };
    // A number past a double's range (9e999: SQLite's infinity) is no number a model writes: its text, as an expression.
    if (/^\s*[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?\s*$/i.test(text)) return { kind: 'expression', sql: text.trim() };
  }
  if (type === 'boolean') {
    const b = text.toLowerCase();
    if (TRUE_WORDS.includes(b)) return { kind: 'literal', value: true };
    if (FALSE_WORDS.includes(b)) return { kind: 'literal', value: false };
    // MySQL's boolean is tinyint(1), which takes `DEFAULT 2`: no true/false says it, and as a
    // string it was a default no Boolean() model accepts (`db pull` refused the table). The
    // number as an expression (`.defaultRaw('2')`) reads back the same.
    if (/^\s*[+-]?\d+\s*$/.test(text)) return { kind: 'expression', sql: text.trim() };
  }
  return { kind: 'literal', value: text };
}


/** The column types whose literal defaults are numbers. */
export const NUMBER_TYPES: ReadonlySet<ColumnType> = new Set<ColumnType>([...INTEGER_TYPES, 'float', 'real']);

/**
 * A decimal literal's canonical text, as kiln compares decimal defaults (the databases print
 * them padded to the scale, `10.50`, or as written): no sign for zero, no `+`, no leading or
 * trailing zeros (`-010.500` -> `-10.5`, `1.0` -> `1`). Text that is not a plain decimal number
 * stays as it is.
 */
export function decimalText(text: string): string {
  const m = /^\s*([+-]?)0*(\d*)(?:\.(\d*?)0*)?\s*$/.exec(text);
  if (!m || (m[2] === '' && (m[3] ?? '') === '' && !/\d/.test(text))) return text;
  const whole = m[2] === '' ? '0' : m[2];
  const frac = m[3] ?? '';
  const body = frac === '' ? whole : `${whole}.${frac}`;
  return m[1] === '-' && body !== '0' ? `-${body}` : body;
}

/** Whether parentheses balance outside single-quoted string literals. */
export function balanced(s: string): boolean {
  let depth = 0;
  let quoted = false;
  for (const ch of s) {
    if (ch === "'") quoted = !quoted;
    else if (!quoted && ch === '(') depth++;
    else if (!quoted && ch === ')' && --depth < 0) return false;
  }
  return depth === 0 && !quoted;
}
