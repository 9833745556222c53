import * as fs from 'node:fs';
import type { MigrationFile } from '../runner/files';

/**
 * The tables the migration history knows: every table a file in the migrations folder creates
 * or renames to (`createTable('x'`, `createTableIfNotExists('x'`, `renameTable('a', 'x')`, a raw
 * `CREATE TABLE x`), kiln-generated or hand-written, `up` or `down`. A table that never appears
 * there was made outside kiln (an existing database, another application): `db migrate` will
 * not drop it while it holds rows (src/app/drop-guard.ts).
 *
 * Read from the files rather than kept in a table of kiln's own: it is the same on every clone
 * and database, survives a squash (the squashed file creates the same tables), a rebase and a
 * hand edit, and a baseline (`kiln db baseline`) declares every table it creates.
 */
export function declaredTables(files: readonly MigrationFile[]): Set<string> {
  const names = new Set<string>();
  for (const f of files) {
    let source: string;
    try {
      source = fs.readFileSync(f.path, 'utf8');
    } catch {
      continue;
    }
    for (const name of tablesIn(source)) names.add(name);
  }
  return names;
}

const STRING = String.raw`('(?:\\[\s\S]|[^'\\])*'|"(?:\\[\s\S]|[^"\\])*"|\x60(?:\\[\s\S]|[^\x60\\$])*\x60)`;
const CREATE = new RegExp(String.raw`\bcreateTable(?:IfNotExists|Like)?\s*\(\s*${STRING}`, 'g');
const RENAME = new RegExp(String.raw`\brenameTable\s*\(\s*${STRING}\s*,\s*${STRING}`, 'g');
const RAW_CREATE = /\bcreate\s+(?:temporary\s+|temp\s+)?table\s+(?:if\s+not\s+exists\s+)?(?:(?:[`"[][^`"\]]+[`"\]]|\w+)\.)?(?:[`"[]([^`"\]]+)[`"\]]|(\w+))/gi;

/** The table names a migration's source creates or renames to. */
export function tablesIn(source: string): string[] {
  const out: string[] = [];
  for (const m of source.matchAll(CREATE)) pushLiteral(out, m[1]);
  for (const m of source.matchAll(RENAME)) pushLiteral(out, m[2]);
  for (const m of source.matchAll(RAW_CREATE)) out.push(m[1] ?? m[2]);
  return out;
}

function pushLiteral(out: string[], literal: string): void {
  const value = unquote(literal);
  if (value !== null) out.push(value);
}

/** The value of a JavaScript string literal (the escapes kiln's renderer writes and the common ones), or null. */
export function unquote(literal: string): string | null {
  const body = literal.slice(1, -1);
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (ch !== '\\') {
      out += ch;
      continue;
    }
    const next = body[++i];
    const simple: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f', v: '\v', '0': '\0' };
    if (next in simple) out += simple[next];
    else if (next === 'x' || next === 'u') {
      const braced = next === 'u' && body[i + 1] === '{';
      const hex = braced ? body.slice(i + 2, body.indexOf('}', i)) : body.slice(i + 1, i + (next === 'x' ? 3 : 5));
      if (!/^[0-9a-f]+$/i.test(hex)) return null;
      out += String.fromCodePoint(parseInt(hex, 16));
      i += braced ? hex.length + 2 : hex.length;
    } else if (next === '\n') continue;
    else out += next;
  }
  return out;
}
