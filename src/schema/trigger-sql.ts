import { tokenize } from './expression';
import type { Trigger } from './types';

/** Tokens joined by one space (case, whitespace and quoting make no difference), trailing ';' dropped. */
export function sqlKey(sql: string): string {
  const tokens = tokenize(sql);
  while (tokens.length && tokens[tokens.length - 1].text === ';') tokens.pop();
  return tokens.map((t) => t.text).join(' ');
}

/**
 * Everything compared about a trigger (issue 12 item 2): its table, timing, events (as a set),
 * `UPDATE OF` columns, row or statement, condition (the database's rendering of a model's
 * when the dialect could ask it: Trigger.comparable), PostgreSQL's function name, and the
 * body's tokens. A database trigger a model cannot say compares by its whole statement: it
 * differs from every model's.
 */
export function triggerKey(t: Trigger): string {
  if (t.unsayable) return `unsayable\n${sqlKey(t.sql ?? '')}\n${sqlKey(t.body)}`;
  const when = t.comparable ?? t.when;
  return [
    t.table,
    t.timing,
    [...t.events].sort().join(' or '),
    (t.of ?? []).join(','),
    t.forEach,
    when === undefined ? '' : sqlKey(stripParens(when)),
    t.function ?? '',
    sqlKey(t.body),
  ].join('\n');
}

/** `((a > b))` -> `a > b`: the grouping parentheses a database adds around a whole condition. */
export function stripParens(sql: string): string {
  let s = sql.trim();
  while (s.startsWith('(') && s.endsWith(')') && balanced(s.slice(1, -1))) s = s.slice(1, -1).trim();
  return s;
}

function balanced(s: string): boolean {
  let depth = 0;
  let quote: string | null = null;
  for (const ch of s) {
    if (quote) {
      if (ch === quote) quote = null;
      continue;
    }
    if (ch === "'" || ch === '"') quote = ch;
    else if (ch === '(') depth++;
    else if (ch === ')' && --depth < 0) return false;
  }
  return depth === 0;
}

/** Whether a trigger's condition or `UPDATE OF` names `column` (a word token, case-insensitively). */
export function triggerNames(t: Trigger, column: string): boolean {
  if ((t.of ?? []).includes(column)) return true;
  const when = t.comparable ?? t.when;
  return when !== undefined && tokenize(when).some((k) => k.kind === 'word' && k.text === column.toLowerCase());
}
