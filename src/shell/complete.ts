import type { REPLServer } from 'node:repl';
import type { Schema } from '../schema/types';

type Completion = [string[], string];
/** readline's (legacy) completer: a callback, not a promise. */
type Completer = (line: string, cb: (err: Error | null, value?: Completion) => void) => void;

/**
 * Tab completion beyond Node's (which completes the names in scope and their properties):
 * table and column names inside a string (`knex('no<Tab>`, `.where('bo<Tab>`), and the table
 * argument of `.schema`. `tables()` gives the names known now (the models' tables, plus the
 * live database's once `.tables` or `.schema` has read them).
 */
export function completeNames(server: REPLServer, names: () => { tables: string[]; columns: string[] }): void {
  const node = (server as unknown as { completer: Completer }).completer;
  const ours: Completer = (line, cb) => {
    const own = ownCompletion(line, names());
    if (own) cb(null, own);
    else node.call(server, line, cb);
  };
  (server as unknown as { completer: Completer }).completer = ours;
}

export function ownCompletion(line: string, known: { tables: string[]; columns: string[] }): Completion | null {
  const command = /^\s*\.schema\s+(\S*)$/.exec(line);
  if (command) return [matching(known.tables, command[1]), command[1]];
  const quoted = /(['"`])([\w$.]*)$/.exec(line);
  if (!quoted || count(line.slice(0, quoted.index), quoted[1]) % 2 !== 0) return null;
  const word = quoted[2];
  return [matching(unique([...known.tables, ...known.columns]), word), word];
}

function matching(list: readonly string[], prefix: string): string[] {
  return list.filter((n) => n.startsWith(prefix)).sort();
}

function count(text: string, ch: string): number {
  return text.split(ch).length - 1;
}

function unique(list: string[]): string[] {
  return [...new Set(list)];
}

/** Table names and column names (bare and `table.column`) of a schema. */
export function namesOf(schema: Schema): { tables: string[]; columns: string[] } {
  const tables = schema.tables.map((t) => t.name);
  const columns = schema.tables.flatMap((t) => t.columns.flatMap((c) => [c.name, `${t.name}.${c.name}`]));
  return { tables, columns: unique(columns) };
}
