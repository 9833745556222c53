import { checkName } from '../../schema/naming';
import type { Check, Column, Index, Unmanaged } from '../../schema/types';

/**
 * SQLite's CHECK constraints and indexes beyond plain columns, read from the SQL text SQLite
 * keeps (sqlite_master) and PRAGMA index_xinfo: the only places SQLite says them.
 */

/** Skips a quoted string or identifier starting at `i`; returns the index after it. */
function skipQuoted(sql: string, i: number): number {
  const close = sql[i] === '[' ? ']' : sql[i];
  let j = i + 1;
  while (j < sql.length) {
    if (sql[j] === close) {
      if (close !== ']' && sql[j + 1] === close) j += 2;
      else return j + 1;
    } else j++;
  }
  return j;
}

const QUOTES = new Set(["'", '"', '`', '[']);

/**
 * The statement with its comments (`-- ...` to the line's end, `/* ... *\/`) made one space
 * each, quoted text left as it is. SQLite keeps a CREATE statement's text as written, comments
 * included, and every reading of that text here skips quotes: an apostrophe in a comment
 * (`-- it's the key`) opened a "string" that swallowed the rest of the statement, and its
 * CHECKs, COLLATEs and generated columns were silently lost.
 */
export function withoutComments(sql: string): string {
  if (!sql.includes('--') && !sql.includes('/*')) return sql;
  let out = '';
  let from = 0;
  for (let i = 0; i < sql.length; ) {
    const ch = sql[i];
    if (QUOTES.has(ch)) {
      i = skipQuoted(sql, i);
      continue;
    }
    const line = ch === '-' && sql[i + 1] === '-';
    if (!line && !(ch === '/' && sql[i + 1] === '*')) {
      i++;
      continue;
    }
    const end = line ? sql.indexOf('\n', i + 2) : sql.indexOf('*/', i + 2);
    out += `${sql.slice(from, i)} `;
    i = end < 0 ? sql.length : line ? end : end + 2;
    from = i;
  }
  return out + sql.slice(from);
}

/** The index of the `)` closing the `(` at `open`, or -1. */
export function closingParen(sql: string, open: number): number {
  let depth = 0;
  for (let i = open; i < sql.length; ) {
    const ch = sql[i];
    if (QUOTES.has(ch)) {
      i = skipQuoted(sql, i);
      continue;
    }
    if (ch === '(') depth++;
    if (ch === ')' && --depth === 0) return i;
    i++;
  }
  return -1;
}

/** Top-level comma-separated parts of a list (quotes and parentheses respected). */
export function splitTopLevel(list: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < list.length; ) {
    const ch = list[i];
    if (QUOTES.has(ch)) {
      i = skipQuoted(list, i);
      continue;
    }
    if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (ch === ',' && depth === 0) {
      parts.push(list.slice(start, i).trim());
      start = i + 1;
    }
    i++;
  }
  parts.push(list.slice(start).trim());
  return parts;
}

/** `check (` at lastIndex (sticky: no copy of the rest of the text per character). */
const CHECK_AT = /check\s*\(/iy;

const IDENT = /^(?:"((?:[^"]|"")+)"|`((?:[^`]|``)+)`|\[([^\]]+)\]|([A-Za-z_][\w$]*))/;

function unquote(m: RegExpExecArray): string {
  return m[1]?.replace(/""/g, '"') ?? m[2]?.replace(/``/g, '`') ?? m[3] ?? m[4];
}

/**
 * Every CHECK (...) of a CREATE TABLE text, table- and column-level, in order: named by its
 * `CONSTRAINT name`, else `<table>_<n>_check` (n counts the unnamed ones from 1). A check of
 * the form `col IN (...)` on an enum column is the enum's own (Column.enum): left out.
 */
export function checksOf(table: string, sql: string, columns: readonly Column[]): Check[] {
  const out: Check[] = [];
  let unnamed = 0;
  for (let i = 0; i < sql.length; ) {
    const ch = sql[i];
    if (QUOTES.has(ch)) {
      i = skipQuoted(sql, i);
      continue;
    }
    CHECK_AT.lastIndex = i;
    const m = ch === 'c' || ch === 'C' ? CHECK_AT.exec(sql) : null;
    if (!m || /[\w$]/.test(sql[i - 1] ?? '')) {
      i++;
      continue;
    }
    const open = i + m[0].length - 1;
    const close = closingParen(sql, open);
    if (close < 0) break;
    const expression = sql.slice(open + 1, close).trim();
    const named = /constraint\s+("(?:[^"]|"")+"|`(?:[^`]|``)+`|\[[^\]]+\]|[A-Za-z_][\w$]*)\s*$/i.exec(sql.slice(0, i));
    i = close + 1;
    if (isEnumCheck(expression, columns)) continue;
    out.push({ name: named ? unquote(IDENT.exec(named[1])!) : checkName(table, ++unnamed), expression });
  }
  return out;
}

/**
 * Whether a check is an enum column's own `col IN ('a', 'b')`, which enumgen reads as Column.enum
 * (./introspect-extras columnTexts): same column, same values in the same order.
 */
function isEnumCheck(expression: string, columns: readonly Column[]): boolean {
  const m = IDENT.exec(expression);
  if (!m) return false;
  const list = /^\s*in\s*\(([\s\S]*)\)\s*$/i.exec(expression.slice(m[0].length));
  const col = columns.find((c) => c.name === unquote(m));
  if (!list || !col?.enum || !/^\s*'(?:[^']|'')*'(?:\s*,\s*'(?:[^']|'')*')*\s*$/.test(list[1])) return false;
  const values = [...list[1].matchAll(/'((?:[^']|'')*)'/g)].map((v) => v[1].replace(/''/g, "'"));
  return JSON.stringify(values) === JSON.stringify(col.enum.values);
}

/** One key part of an index as PRAGMA index_xinfo reports it (key columns only). */
export interface KeyPart {
  /** null: an expression. */
  readonly col: string | null;
  readonly desc: boolean;
  readonly coll: string;
}

/**
 * An index that is more than plain columns (partial, on an expression, or with a descending
 * key), from its CREATE INDEX text: an Index, or Unmanaged when kiln's model cannot say it
 * (a COLLATE, several key parts one of which is an expression, a '?' knex would misread).
 */
export function specialIndex(name: string, unique: boolean, partial: boolean, parts: readonly KeyPart[], sql: string | null): Index | Unmanaged {
  const unmanaged: Unmanaged = { kind: 'index', name, sql: sql ?? '' };
  if (sql === null || sql.includes('?') || parts.some((p) => p.coll.toUpperCase() !== 'BINARY')) return unmanaged;
  const head = /^\s*create\s+(?:unique\s+)?index\s+(?:if\s+not\s+exists\s+)?(?:"(?:[^"]|"")+"|`(?:[^`]|``)+`|\[[^\]]+\]|[\w$]+)\s+on\s+(?:"(?:[^"]|"")+"|`(?:[^`]|``)+`|\[[^\]]+\]|[\w$]+)\s*/i.exec(sql);
  if (!head || sql[head[0].length] !== '(') return unmanaged;
  const open = head[0].length;
  const close = closingParen(sql, open);
  if (close < 0) return unmanaged;
  const texts = splitTopLevel(sql.slice(open + 1, close));
  const rest = sql.slice(close + 1).trim();
  const where = /^where\s+([\s\S]+)$/i.exec(rest);
  if ((rest !== '' && !where) || Boolean(where) !== partial || texts.length !== parts.length) return unmanaged;
  const expressions = parts.filter((p) => p.col === null).length;
  if (expressions > 0 && parts.length > 1) return unmanaged;
  const index: { -readonly [K in keyof Index]: Index[K] } = { name, columns: parts.map((p) => p.col ?? '').filter(Boolean) };
  if (expressions === 1) index.expression = unwrap(texts[0].replace(/\s+(asc|desc)$/i, '').trim());
  if (parts.some((p) => p.desc)) index.order = parts.map((p) => (p.desc ? 'desc' : 'asc'));
  if (where) index.where = where[1].trim();
  if (unique) index.unique = true;
  return index;
}

/** The expression without the parentheses wrapping all of it (`((lower(a)))` -> `lower(a)`). */
function unwrap(text: string): string {
  let out = text;
  while (out.startsWith('(') && closingParen(out, 0) === out.length - 1) out = out.slice(1, -1).trim();
  return out;
}
