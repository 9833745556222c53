import type { Knex } from 'knex';
import { knexConfigFor } from '../../config/knex-config';
import { KilnError, messageOf } from '../../errors';
import type { ScriptFrame } from '../runtime';

/**
 * Offline SQL on SQLite. The migrations run against an in-memory copy of the database's schema
 * (no user rows; the bookkeeping rows and AUTOINCREMENT counters are copied), and every write
 * they make is both printed and applied to the copy. So a step that reads the schema (a
 * rebuild reads the table's triggers and indexes) sees what the earlier steps of the same
 * script created or renamed, as it would online. Reads of user rows see empty tables.
 */
export async function sqliteSchemaCopy(source: Knex, bookkeeping: readonly string[]): Promise<Knex> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const knexFactory = require('knex') as typeof import('knex').knex;
  const copy = knexFactory(knexConfigFor({ dialect: 'sqlite', filename: ':memory:', options: {}, display: 'sqlite://' }, { foreignKeys: false }));
  try {
    const objects = (await source.raw(
      "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' " +
        "ORDER BY CASE type WHEN 'table' THEN 0 WHEN 'index' THEN 1 WHEN 'view' THEN 2 ELSE 3 END, rowid",
    )) as { type: string; name: string; sql: string }[];
    for (const o of objects) {
      // A virtual table (FTS) has created its shadow tables already.
      const [exists] = (await copy.raw('SELECT 1 FROM sqlite_master WHERE name = ?', [o.name])) as unknown[];
      if (exists) continue;
      try {
        await copy.raw(o.sql);
      } catch (e) {
        throw new KilnError('MIGRATION_FAILED', `offline SQL: cannot copy ${o.type} '${o.name}' of the database's schema: ${messageOf(e).replace(/^[\s\S]* - (?=SQLITE_)/, '')}`);
      }
    }
    const present = new Set(objects.filter((o) => o.type === 'table').map((o) => o.name));
    if (objects.some((o) => o.type === 'table' && /\bautoincrement\b/i.test(o.sql))) {
      await copyRows(source, copy, 'sqlite_sequence');
    }
    for (const table of bookkeeping) if (present.has(table)) await copyRows(source, copy, table);
    return copy;
  } catch (e) {
    await copy.destroy().catch(() => undefined);
    throw e;
  }
}

async function copyRows(source: Knex, copy: Knex, table: string): Promise<void> {
  const rows = (await source(table).select('*')) as Record<string, unknown>[];
  await copy.raw('DELETE FROM ??', [table]);
  for (let i = 0; i < rows.length; i += 100) await copy(table).insert(rows.slice(i, i + 100));
}

const ident = (s: string) => `"${s.replace(/"/g, '""')}"`;
const text = (s: string) => `'${s.replace(/'/g, "''")}'`;
const LOG = ident('_kiln_offline_fk');
const BASELINE = ident('_kiln_offline_fk_baseline');
const GUARD = ident('_kiln_offline_fk_guard');

/**
 * SQLite's frame. Foreign keys are off for the script (SQLite's ALTER TABLE recipe). The online
 * runner checks them after each migration and rolls back when rows break one that did not
 * before; the script does the same in plain SQL: the count of `pragma_foreign_key_check` rows
 * is logged after each migration, and before COMMIT the log goes into a temporary table whose
 * CHECK constraints (one per migration, named after it) refuse a count above the baseline,
 * with `INSERT OR ROLLBACK`: the failed check rolls the whole transaction back, so nothing is
 * committed even by a client that goes on after an error (the COMMIT then fails: no
 * transaction is active).
 */
export const sqliteFrame: ScriptFrame = {
  // The temp tables live as long as the connection, across the pause.
  outside: { before: ['COMMIT'], after: ['BEGIN'] },
  head: [
    '-- run with: sqlite3 -bail DATABASE < this-file.sql (without -bail sqlite3 goes on after a failed statement)',
    '-- worked out on a copy of the schema without its rows: a migration that reads rows saw none',
    'PRAGMA foreign_keys = OFF',
    'BEGIN',
    `CREATE TEMP TABLE ${LOG} ("migration" TEXT NOT NULL, "new_violations" INTEGER NOT NULL)`,
    `CREATE TEMP TABLE ${BASELINE} AS SELECT count(*) AS "n" FROM pragma_foreign_key_check`,
  ],
  after: (migration) => [
    `INSERT INTO temp.${LOG} SELECT ${text(migration)}, (SELECT count(*) FROM pragma_foreign_key_check) - "n" FROM temp.${BASELINE}`,
  ],
  tail: (migrations) => [
    `CREATE TEMP TABLE ${GUARD} ("migration" TEXT NOT NULL, "new_violations" INTEGER NOT NULL${migrations
      .map((m) => `, CONSTRAINT ${ident(`migration ${m} leaves rows breaking foreign keys; rolled back`)} CHECK ("migration" <> ${text(m)} OR "new_violations" <= 0)`)
      .join('')})`,
    `INSERT OR ROLLBACK INTO temp.${GUARD} SELECT "migration", "new_violations" FROM temp.${LOG}`,
    `DROP TABLE temp.${GUARD}`,
    `DROP TABLE temp.${BASELINE}`,
    `DROP TABLE temp.${LOG}`,
    'COMMIT',
    'PRAGMA foreign_keys = ON',
  ],
};
