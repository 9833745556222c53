import type { Knex } from 'knex';
import type { ResolvedConfig } from '../config/load';
import { KilnError } from '../errors';
import type { Operation } from '../ops/types';
import type { MigrationFile } from '../runner/files';
import { declaredTables } from './declared-tables';

/**
 * `db migrate` never writes a DROP for a table that holds rows and that the migration history
 * never declared (src/app/declared-tables.ts): such a table came from outside kiln, and dropping
 * it is almost always a missing model or a missing `exclude`, not a wish. It refuses, naming the
 * tables with their row counts and the three ways out. `allowDrop` lists the tables the user
 * really wants dropped (`--allow-drop TABLE`); naming a table this migration does not drop is
 * refused too (a typo would otherwise go unnoticed). A table whose model was deleted (declared
 * in the history) is dropped as before, with the data-loss warning.
 */
export async function guardDrops(
  knex: Knex,
  config: ResolvedConfig,
  files: readonly MigrationFile[],
  changes: readonly Operation[],
  allowDrop: readonly string[] = [],
): Promise<void> {
  const dropped = changes.flatMap((op) => (op.kind === 'dropTable' ? [op.table.name] : []));
  const unknown = allowDrop.filter((t) => !dropped.includes(t));
  if (unknown.length) {
    throw new KilnError('BAD_ARGUMENT', `--allow-drop ${unknown.join(', ')}: this migration does not drop ${unknown.length > 1 ? 'these tables' : 'that table'}${dropped.length ? ` (it drops ${dropped.join(', ')})` : ''}`);
  }
  const candidates = dropped.filter((t) => !allowDrop.includes(t));
  if (!candidates.length) return;
  const declared = declaredTables(files);
  const guarded: { table: string; rows: number }[] = [];
  for (const table of candidates) {
    if (declared.has(table)) continue;
    const rows = await rowCount(knex, config.schema, table);
    if (rows > 0) guarded.push({ table, rows });
  }
  if (!guarded.length) return;
  guarded.sort((a, b) => (a.table < b.table ? -1 : a.table > b.table ? 1 : 0));
  const list = guarded.map((g) => `${g.table} (${g.rows} row${g.rows === 1 ? '' : 's'})`).join(', ');
  throw new KilnError(
    'DATA_LOSS',
    `refusing to drop ${guarded.length} table${guarded.length > 1 ? 's' : ''} that kiln's migrations never created and that hold rows: ${list}; ` +
      "either write models for them ('kiln db pull'), or leave them alone ('exclude' in the config), or drop them for real ('--allow-drop TABLE')",
  );
}

async function rowCount(knex: Knex, schema: string | undefined, table: string): Promise<number> {
  // A table of another schema is named `billing.invoice` (src/schema/qualified.ts), which Knex qualifies itself.
  const query = schema && !table.includes('.') ? knex(table).withSchema(schema) : knex(table);
  // One row is enough to refuse; counting them all is for the message (Chinook: thousands, fast).
  const [row] = (await query.count({ n: '*' })) as { n: number | string }[];
  return Number(row?.n ?? 0);
}
