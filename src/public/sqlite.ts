import type { Knex } from 'knex';

/**
 * kiln/sqlite: the SQLite table rebuild that loses nothing. Generated migrations call it for
 * every change SQLite cannot make in place (column type, nullability, default, dropped column
 * with an index, foreign keys, primary key).
 *
 * Unlike knex's own rebuild (`.alter()`, `dropColumn`, `foreign()` on an existing table), it
 * keeps the table's triggers, keeps every row of tables that reference it (no cascade: it
 * refuses to run with foreign keys on), leaves no temporary table behind on failure (it runs
 * inside the migration's transaction) and checks foreign keys before it returns.
 *
 * This module imports nothing at run time: it is loaded by every migration that uses it.
 */

export interface RebuildSpec {
  /** The complete new table: columns, primary key, foreign keys (no uniques or indexes). */
  readonly columns: (t: Knex.CreateTableBuilder) => void;
  /** Unique rules and indexes, created once the table has its final name. */
  readonly indexes?: (t: Knex.AlterTableBuilder) => void;
  /** [newColumn, oldColumn] pairs to copy; new columns not listed take their default. */
  readonly copy: ReadonlyArray<readonly [newColumn: string, oldColumn: string]>;
}

interface TriggerRow {
  name: string;
  sql: string;
}

interface FkViolation {
  table: string;
  rowid: number | null;
  parent: string;
}

export const TMP_PREFIX = '_kiln_tmp_';

/** Rebuilds `table` as described by `spec`, keeping its rows, indexes and triggers. */
export async function rebuildTable(knex: Knex, table: string, spec: RebuildSpec): Promise<void> {
  await refuseWithForeignKeysOn(knex, table);
  const tmp = `${TMP_PREFIX}${table}`;
  const triggers = await rows<TriggerRow>(
    knex.raw("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ? AND sql IS NOT NULL", [table]),
  );
  const sequence = await readSequence(knex, table);
  // Rows that already broke a foreign key before the rebuild are not its doing.
  const before = (await foreignKeyViolations(knex, table)).length;
  await knex.raw('DROP TABLE IF EXISTS ??', [tmp]);
  await knex.schema.createTable(tmp, spec.columns);
  await copyRows(knex, table, tmp, spec.copy);
  await knex.raw('DROP TABLE ??', [table]);
  await knex.raw('PRAGMA legacy_alter_table = ON');
  try {
    await knex.raw('ALTER TABLE ?? RENAME TO ??', [tmp, table]);
  } finally {
    await knex.raw('PRAGMA legacy_alter_table = OFF');
  }
  if (sequence !== null) {
    await knex.raw('UPDATE sqlite_sequence SET seq = ? WHERE name = ? AND seq < ?', [sequence, table, sequence]);
  }
  if (spec.indexes) await knex.schema.alterTable(table, spec.indexes);
  for (const trigger of triggers) await knex.raw(trigger.sql);
  const after = await foreignKeyViolations(knex, table);
  if (after.length > before) {
    const v = after[0];
    throw new Error(
      `kiln rebuildTable('${table}'): foreign key violation after the rebuild: ${after.length - before} new row(s) of ` +
        `'${v.table}' reference missing rows of '${v.parent}' (first rowid ${v.rowid})`,
    );
  }
}

async function rows<T>(query: PromiseLike<unknown>): Promise<T[]> {
  return (await query) as T[];
}

async function refuseWithForeignKeysOn(knex: Knex, table: string): Promise<void> {
  const [row] = await rows<{ foreign_keys: number }>(knex.raw('PRAGMA foreign_keys'));
  if (row && Number(row.foreign_keys) === 1) {
    throw new Error(
      `kiln rebuildTable('${table}'): foreign keys are ON, so dropping the old table would delete ` +
        `the rows of every table that references it with ON DELETE CASCADE. Run this migration with ` +
        `PRAGMA foreign_keys = OFF set before the transaction begins (kiln db upgrade does this).`,
    );
  }
}

async function copyRows(
  knex: Knex,
  table: string,
  tmp: string,
  copy: RebuildSpec['copy'],
): Promise<void> {
  if (!copy.length) return;
  const newCols = copy.map(([n]) => n);
  const oldCols = copy.map(([, o]) => o);
  try {
    await knex.raw('INSERT INTO ?? (??) SELECT ?? FROM ??', [tmp, newCols, oldCols, table]);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const why = /SQLITE_[A-Z_]+: .*/.exec(message)?.[0] ?? message;
    throw new Error(`kiln rebuildTable('${table}'): copying the rows into the new table failed: ${why}`, { cause: e });
  }
}

/** The AUTOINCREMENT high-water mark, so ids of deleted rows are not reused after the rebuild. */
async function readSequence(knex: Knex, table: string): Promise<number | null> {
  const [exists] = await rows<unknown>(knex.raw("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_sequence'"));
  if (!exists) return null;
  const [row] = await rows<{ seq: number }>(knex.raw('SELECT seq FROM sqlite_sequence WHERE name = ?', [table]));
  return row ? Number(row.seq) : null;
}

/** Foreign-key violations in the rebuilt table and in every table that references it. */
async function foreignKeyViolations(knex: Knex, table: string): Promise<FkViolation[]> {
  const children = await rows<{ name: string }>(
    knex.raw(
      "SELECT DISTINCT m.name AS name FROM sqlite_master m, pragma_foreign_key_list(m.name) f " +
        "WHERE m.type = 'table' AND f.\"table\" = ? COLLATE NOCASE",
      [table],
    ),
  );
  const names = [table, ...children.map((c) => c.name).filter((n) => n.toLowerCase() !== table.toLowerCase())];
  const out: FkViolation[] = [];
  for (const name of names) {
    const found = await rows<FkViolation>(knex.raw('PRAGMA foreign_key_check(??)', [name]));
    out.push(...(name === table ? found : found.filter((v) => v.parent.toLowerCase() === table.toLowerCase())));
  }
  return out;
}
