import { normalizeExpression } from '../../schema/defaults';
import type { Column } from '../../schema/types';

/**
 * What SQLite keeps only in the CREATE TABLE text, per column: the enum CHECK kiln writes
 * (`CHECK ("col" IN ('a', 'b'))`, read as Column.enum, not as a table check) and a generated
 * column's expression (`GENERATED ALWAYS AS (expr) STORED|VIRTUAL`, or the short `AS (expr)`;
 * PRAGMA table_xinfo says which columns are generated: hidden 2 virtual, 3 stored).
 */
export interface SqliteColumnText {
  readonly enumValues?: string[];
  readonly expression?: string;
}

/** Column name -> what its definition says, from a CREATE TABLE statement. */
export function columnTexts(sql: string): Map<string, SqliteColumnText> {
  const out = new Map<string, SqliteColumnText>();
  const open = sql.indexOf('(');
  if (open < 0) return out;
  for (const part of splitTopLevel(sql.slice(open + 1, closing(sql, open)))) {
    const head = /^\s*(?:"((?:[^"]|"")*)"|`((?:[^`]|``)*)`|\[([^\]]*)\]|([\w$]+))/.exec(part);
    if (!head) continue;
    const name = head[1]?.replace(/""/g, '"') ?? head[2]?.replace(/``/g, '`') ?? head[3] ?? head[4];
    if (head[4] && /^(constraint|primary|unique|check|foreign)$/i.test(head[4])) continue;
    const rest = part.slice(head[0].length);
    out.set(name, { enumValues: enumCheck(rest, name), expression: generation(rest) });
  }
  return out;
}

/** The optional Column fields of a column from its text and table_xinfo's `hidden`. */
export function sqliteColumnExtras(text: SqliteColumnText | undefined, hidden: number): Pick<Column, 'enum' | 'generated'> {
  const out: { enum?: Column['enum']; generated?: Column['generated'] } = {};
  if (text?.enumValues) out.enum = { name: null, values: text.enumValues };
  if ((hidden === 2 || hidden === 3) && text?.expression !== undefined) {
    out.generated = { expression: normalizeExpression(text.expression), stored: hidden === 3 };
  }
  return out;
}

/** Index of the parenthesis closing the one at `open` (quotes skipped), or the text's end. */
function closing(s: string, open: number): number {
  let depth = 0;
  for (let i = open; i < s.length; i++) {
    const ch = s[i];
    if (ch === "'" || ch === '"' || ch === '`' || ch === '[') {
      const end = s.indexOf(ch === '[' ? ']' : ch, i + 1);
      i = end < 0 ? s.length : end;
    } else if (ch === '(') depth++;
    else if (ch === ')' && --depth === 0) return i;
  }
  return s.length;
}

function splitTopLevel(body: string): string[] {
  const parts: string[] = [];
  let start = 0;
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (ch === "'" || ch === '"' || ch === '`' || ch === '[') {
      const end = body.indexOf(ch === '[' ? ']' : ch, i + 1);
      i = end < 0 ? body.length : end;
    } else if (ch === '(') i = closing(body, i);
    else if (ch === ',') {
      parts.push(body.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(body.slice(start));
  return parts;
}

/** The parenthesised text after the first match of `re` outside quotes, or undefined. */
function parenthesisedAfter(text: string, re: RegExp): string[] {
  const out: string[] = [];
  const masked = text.replace(/'(?:[^']|'')*'|"(?:[^"]|"")*"|`(?:[^`]|``)*`|\[[^\]]*\]/g, (m) => ' '.repeat(m.length));
  for (const m of masked.matchAll(re)) {
    const open = m.index + m[0].length - 1;
    out.push(text.slice(open + 1, closing(text, open)));
  }
  return out;
}

const STRING_LIST = /^\s*'(?:[^']|'')*'(?:\s*,\s*'(?:[^']|'')*')*\s*$/;

function enumCheck(rest: string, column: string): string[] | undefined {
  for (const body of parenthesisedAfter(rest, /\bcheck\s*\(/gi)) {
    const m = /^\s*(?:"((?:[^"]|"")*)"|`((?:[^`]|``)*)`|\[([^\]]*)\]|([\w$]+))\s+in\s*\(([\s\S]*)\)\s*$/i.exec(body);
    if (!m) continue;
    const name = m[1]?.replace(/""/g, '"') ?? m[2]?.replace(/``/g, '`') ?? m[3] ?? m[4];
    if (name !== column || !STRING_LIST.test(m[5])) continue;
    return [...m[5].matchAll(/'((?:[^']|'')*)'/g)].map((v) => v[1].replace(/''/g, "'"));
  }
  return undefined;
}

function generation(rest: string): string | undefined {
  return parenthesisedAfter(rest, /\b(?:generated\s+always\s+)?as\s*\(/gi)[0];
}
