/**
 * The comparison key of a SQL expression (a CHECK constraint, an index key or predicate), so
 * that what a model says and what a database prints back compare equal. Each database prints
 * an expression its own way: PostgreSQL adds parentheses and casts (`((price >= (0)::numeric))`,
 * `= ANY (ARRAY[...])` for IN, `~~` for LIKE), MariaDB backquotes names, SQLite keeps the text as
 * written. The key is textual (no database is asked): tokens joined by one space (comments
 * dropped), keywords and
 * names lower case with their quotes removed, `::type` casts and grouping parentheses removed,
 * `!=` as `<>`, `x = ANY (ARRAY[a, b])` as `x in (a, b)`, `x BETWEEN a AND b` (single tokens or
 * negative numbers; PostgreSQL's `'-4'::integer` is `-4`)
 * as `x >= a and x <= b`, MySQL charset introducers removed.
 * Removing grouping parentheses can make two different expressions share a key (`(a or b) and
 * c` and `a or (b and c)`): accepted, such a pair is not told apart by `db check`.
 */

import { dropRedundantGrouping } from './expression-grouping';
import type { Check, Index } from './types';

export type Token = { readonly kind: 'word' | 'string' | 'number' | 'op'; readonly text: string };

const OPERATORS = ['!~~*', '!~~', '~~*', '->>', '::', '<=', '>=', '<>', '!=', '||', '~~', '->', '=>'];
const TYPE_WORDS = new Set(['varying', 'precision', 'without', 'with', 'time', 'zone']);
/** Words after which `(` groups rather than calls. */
const KEYWORDS = new Set(['and', 'or', 'not', 'is', 'null', 'like', 'ilike', 'between', 'when', 'then', 'else', 'case', 'end', 'true', 'false', 'where', 'distinct', 'from', 'as']);

export function tokenize(sql: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < sql.length) {
    const ch = sql[i];
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    // A comment says nothing about the SQL: SQLite keeps a view's or trigger's text as written,
    // PostgreSQL a function body, MySQL/MariaDB a trigger body (`/*!` is MySQL code, kept).
    if (sql.startsWith('--', i)) {
      const end = sql.indexOf('\n', i);
      i = end < 0 ? sql.length : end + 1;
      continue;
    }
    if (sql.startsWith('/*', i) && sql[i + 2] !== '!') {
      const end = sql.indexOf('*/', i + 2);
      i = end < 0 ? sql.length : end + 2;
      continue;
    }
    if (ch === "'") {
      let j = i + 1;
      while (j < sql.length && !(sql[j] === "'" && sql[j + 1] !== "'")) j += sql[j] === "'" || sql[j] === '\\' ? 2 : 1;
      out.push({ kind: 'string', text: sql.slice(i, j + 1).replace(/\\'/g, "''") });
      i = j + 1;
      continue;
    }
    if (ch === '"' || ch === '`') {
      let j = i + 1;
      while (j < sql.length && !(sql[j] === ch && sql[j + 1] !== ch)) j += sql[j] === ch ? 2 : 1;
      out.push({ kind: 'word', text: sql.slice(i + 1, j).split(ch + ch).join(ch).toLowerCase() });
      i = j + 1;
      continue;
    }
    const number = /^\d+(?:\.\d+)?(?:e[+-]?\d+)?/i.exec(sql.slice(i));
    if (number) {
      out.push({ kind: 'number', text: String(Number(number[0])) });
      i += number[0].length;
      continue;
    }
    const word = /^[A-Za-z_][\w$]*/.exec(sql.slice(i));
    if (word) {
      i += word[0].length;
      // A MySQL charset introducer (`_utf8mb4'a'`) says nothing about the value.
      if (!(/^_[a-z0-9]+$/i.test(word[0]) && sql[i] === "'")) out.push({ kind: 'word', text: word[0].toLowerCase() });
      continue;
    }
    const op = OPERATORS.find((o) => sql.startsWith(o, i)) ?? ch;
    out.push({ kind: 'op', text: op });
    i += op.length;
  }
  return out;
}

const is = (t: Token | undefined, text: string) => t !== undefined && t.kind !== 'string' && t.text === text;

/** Drops `::type` casts (`::character varying(20)[]`). */
function dropCasts(tokens: Token[]): Token[] {
  const out: Token[] = [];
  for (let i = 0; i < tokens.length; i++) {
    if (!is(tokens[i], '::')) {
      out.push(tokens[i]);
      continue;
    }
    i++; // the type's first word
    unquoteNumber(out, tokens[i]);
    while (tokens[i + 1]?.kind === 'word' && TYPE_WORDS.has(tokens[i + 1].text)) i++;
    if (is(tokens[i + 1], '(')) {
      while (i + 1 < tokens.length && !is(tokens[i + 1], ')')) i++;
      i++;
    }
    while (is(tokens[i + 1], '[') && is(tokens[i + 2], ']')) i += 2;
  }
  return out;
}

const NUMERIC_TYPES = new Set(['integer', 'int', 'int2', 'int4', 'int8', 'bigint', 'smallint', 'numeric', 'decimal', 'real', 'double', 'float4', 'float8']);

/**
 * PostgreSQL prints a negative number in a CHECK as a cast string (`'-4'::integer`): the same
 * as the `-4` the model wrote, so the string becomes the tokens `-` and `4` again.
 */
function unquoteNumber(out: Token[], type: Token | undefined): void {
  const last = out[out.length - 1];
  if (last?.kind !== 'string' || type?.kind !== 'word' || !NUMERIC_TYPES.has(type.text)) return;
  const m = /^'(-?)(\d+(?:\.\d+)?(?:e[+-]?\d+)?)'$/i.exec(last.text);
  if (!m) return;
  out.pop();
  if (m[1]) out.push({ kind: 'op', text: '-' });
  out.push({ kind: 'number', text: String(Number(m[2])) });
}

/** Whether `(` after `prev` opens a call's arguments or an IN list rather than a group. */
const opensCall = (prev: Token | undefined): boolean => prev !== undefined && prev.kind === 'word' && !KEYWORDS.has(prev.text);

/** Drops grouping parentheses, keeping those of function calls and IN lists. */
function dropGrouping(tokens: Token[]): Token[] {
  const out: Token[] = [];
  const kept: boolean[] = [];
  for (const t of tokens) {
    if (is(t, '(')) {
      const call = opensCall(out[out.length - 1]);
      kept.push(call);
      if (call) out.push(t);
    } else if (is(t, ')')) {
      if (kept.pop() ?? true) out.push(t);
    } else out.push(t);
  }
  return out;
}

/** `= any ( array [ a , b ] )` -> `in ( a , b )`; `<> all (...)` -> `not in (...)`. */
function anyArrayToIn(tokens: Token[]): Token[] {
  const out: Token[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const eq = is(tokens[i], '=') && is(tokens[i + 1], 'any');
    const ne = is(tokens[i], '<>') && is(tokens[i + 1], 'all');
    if ((eq || ne) && is(tokens[i + 2], '(') && is(tokens[i + 3], 'array') && is(tokens[i + 4], '[')) {
      const close = tokens.findIndex((t, j) => j > i + 4 && is(t, ']'));
      if (close > 0 && is(tokens[close + 1], ')')) {
        if (ne) out.push({ kind: 'word', text: 'not' });
        out.push({ kind: 'word', text: 'in' }, { kind: 'op', text: '(' }, ...tokens.slice(i + 5, close), { kind: 'op', text: ')' });
        i = close + 1;
        continue;
      }
    }
    out.push(tokens[i]);
  }
  return out;
}

/** An operand of BETWEEN at `i`: one token that is not an operator, or a negative number (`-` `4`). */
function operandAt(tokens: Token[], i: number): Token[] | null {
  const t = tokens[i];
  if (t === undefined) return null;
  if (t.kind !== 'op') return [t];
  return is(t, '-') && tokens[i + 1]?.kind === 'number' ? [t, tokens[i + 1]] : null;
}

/** `w between a and b` (single tokens or negative numbers) -> `w >= a and w <= b`, as PostgreSQL prints it back. */
function expandBetween(tokens: Token[]): Token[] {
  const out: Token[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const w = out[out.length - 1];
    const a = is(tokens[i], 'between') ? operandAt(tokens, i + 1) : null;
    const and = a ? tokens[i + 1 + a.length] : undefined;
    const b = a && is(and, 'and') ? operandAt(tokens, i + 2 + a.length) : null;
    if (w && a && b && !is(out[out.length - 2], 'not') && w.kind !== 'op') {
      out.push({ kind: 'op', text: '>=' }, ...a, and!, w, { kind: 'op', text: '<=' }, ...b);
      i += 1 + a.length + b.length;
      continue;
    }
    out.push(tokens[i]);
  }
  return out;
}

const SPELLINGS: Readonly<Record<string, string>> = { '!=': '<>', '~~': 'like', '!~~': 'not like', '~~*': 'ilike', '!~~*': 'not ilike' };

const joined = (tokens: readonly Token[]): string => tokens.map((t) => (t.kind === 'op' ? (SPELLINGS[t.text] ?? t.text) : t.text)).join(' ');

/** The comparison key of an expression (see the module comment). */
export function expressionKey(sql: string): string {
  return joined(expandBetween(anyArrayToIn(dropGrouping(dropCasts(tokenize(sql))))));
}

/**
 * The comparison key of a generated column's expression: as {@link expressionKey}, but only
 * the grouping parentheses that operator precedence makes redundant are removed
 * (./expression-grouping), so that a change of grouping (`(a + b) * c` -> `a + b * c`) is a
 * change, while the database's fully parenthesised print-out still matches the model.
 */
export function groupedExpressionKey(sql: string): string {
  return joined(anyArrayToIn(dropRedundantGrouping(dropCasts(tokenize(sql)), opensCall)));
}

/** Indexes match by key and options, expressions by their comparison key (never by name). */
export function indexSignature(i: Index): string {
  return JSON.stringify([
    i.columns,
    i.expression === undefined ? null : expressionKey(i.expression),
    i.order ?? null,
    i.where === undefined ? null : expressionKey(i.where),
    i.method ?? null,
    i.include ?? null,
    i.unique ?? false,
  ]);
}

export const checkSignature = (c: Check): string => expressionKey(c.expression);
