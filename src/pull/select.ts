/**
 * `--tables` / `--exclude`: table (and view) names or globs (`*` any run of characters, `?` one).
 * A plain name in `--tables` that matches no table is an error (a typo must not pull nothing).
 */
import { KilnError } from '../errors';
import { makeSchema } from '../schema/build';
import type { Schema } from '../schema/types';

function matcher(pattern: string): (name: string) => boolean {
  if (!/[*?]/.test(pattern)) return (name) => name === pattern;
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 's');
  return (name) => re.test(name);
}

export function selectTables(schema: Schema, tables: readonly string[] = [], exclude: readonly string[] = []): Schema {
  const known = new Set([...schema.tables, ...(schema.views ?? []), ...(schema.sequences ?? [])].map((t) => t.name));
  for (const name of tables) {
    if (!/[*?]/.test(name) && !known.has(name)) {
      throw new KilnError('BAD_ARGUMENT', `--tables: no table or view named '${name}' in the database`);
    }
  }
  const include = tables.map(matcher);
  const leave = exclude.map(matcher);
  const chosen = (name: string) => (include.length === 0 || include.some((m) => m(name))) && !leave.some((m) => m(name));
  const picked = schema.tables.filter((t) => chosen(t.name));
  const tableNames = new Set(picked.map((t) => t.name));
  return makeSchema(
    picked,
    (schema.views ?? []).filter((v) => chosen(v.name)),
    // A trigger goes with its table.
    (schema.triggers ?? []).filter((t) => tableNames.has(t.table)),
    (schema.sequences ?? []).filter((s) => chosen(s.name)),
  );
}
