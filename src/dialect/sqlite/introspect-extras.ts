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
  /** `COLLATE name` of the column's own definition (not one inside a CHECK or default). */
  readonly collation?: string;
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
    out.set(name, { enumValues: enumCheck(rest, name), expression: generation(rest), collation: collationOf(rest) });
  }
  return out;
}

/** The optional Column fields of a column from its text and table_xinfo's `hidden`. */
export function sqliteColumnExtras(text: SqliteColumnText | undefined, hidden: number): Pick<Column, 'enum' | 'generated' | 'collation'> {
  const out: { enum?: Column['enum']; generated?: Column['generated']; collation?: string } = {};
  // Collation names are case-blind: upper case; BINARY is the default (the normal form: absent).
  const collation = text?.collation?.toUpperCase();
  if (collation !== undefined && collation !== 'BINARY') out.collation = collation;
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

/**
 * The collation of a column definition: `COLLATE name` outside quotes and parentheses (a CHECK
 * or DEFAULT (...) may hold its own), the name unquoted.
 */
function collationOf(rest: string): string | undefined {
  let masked = rest.replace(/'(?:[^']|'')*'|"(?:[^"]|"")*"|`(?:[^`]|``)*`|\[[^\]]*\]/g, (m) => '_'.repeat(m.length));
  for (let open = masked.indexOf('('); open >= 0; open = masked.indexOf('(')) {
    const end = Math.min(closing(masked, open), masked.length - 1);
    masked = masked.slice(0, open) + ' '.repeat(end - open + 1) + masked.slice(end + 1);
  }
  const at = /\bcollate\s+/i.exec(masked);
  if (!at) return undefined;
  const m = /^(?:"((?:[^"]|"")*)"|`((?:[^`]|``)*)`|\[([^\]]*)\]|'((?:[^']|'')*)'|([\w$]+))/.exec(rest.slice(at.index + at[0].length));
  if (!m) return undefined;
  return m[1]?.replace(/""/g, '"') ?? m[2]?.replace(/``/g, '`') ?? m[3] ?? m[4]?.replace(/''/g, "'") ?? m[5];
}

/**
 * The table options after the column list of a CREATE TABLE (`STRICT`, `WITHOUT ROWID`, in
 * upper case and single spaces), which kiln's models cannot say: Table.unmanaged entries of
 * kind 'table option', kept by kiln/sqlite's rebuild and createTable.
 */
export function tableOptionsOf(sql: string): string[] {
  const open = sql.indexOf('(');
  if (open < 0) return [];
  const tail = sql.slice(closing(sql, open) + 1).trim();
  if (!tail) return [];
  return tail.split(',').map((o) => o.trim().replace(/\s+/g, ' ').toUpperCase()).filter((o) => o !== '');
}

/**
 * Clauses of a CREATE TABLE that kiln can neither say nor recreate through knex: a foreign key
 * `DEFERRABLE INITIALLY DEFERRED` and a conflict clause other than the default
 * (`ON CONFLICT REPLACE|IGNORE|FAIL|ROLLBACK`). Table.unmanaged entries of kind 'clause' with
 * no statement: a migration that would re-create the table (a rebuild, a down() re-creating a
 * dropped table) is refused naming them (src/render/table.ts refuseUnrecreatable).
 */
export function unrecreatableClauses(sql: string): string[] {
  const masked = sql.replace(/'(?:[^']|'')*'|"(?:[^"]|"")*"|`(?:[^`]|``)*`|\[[^\]]*\]/g, (m) => ' '.repeat(m.length));
  const found = new Set<string>();
  for (const m of masked.matchAll(/\bdeferrable\s+initially\s+deferred\b/gi)) {
    if (!/\bnot\s+$/i.test(masked.slice(0, m.index))) found.add('DEFERRABLE INITIALLY DEFERRED');
  }
  for (const m of masked.matchAll(/\bon\s+conflict\s+(rollback|fail|ignore|replace)\b/gi)) found.add(`ON CONFLICT ${m[1].toUpperCase()}`);
  return [...found];
}
