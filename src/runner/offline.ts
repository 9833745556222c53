import type { Knex } from 'knex';
import type { ResolvedConfig } from '../config/load';
import type { DialectName } from '../dialect/types';
import { ensureTables, readApplied } from './bookkeeping';
import { openDatabase } from './database';
import { listMigrations, readMessage, type MigrationFile } from './files';
import { displayPath, loadMigration } from './load-migration';
import { KilnError } from '../errors';
import { assertNoMissing, statusOf } from './run';
import { planDowngrade, planUpgrade } from './targets';

/**
 * Offline mode (`--sql`): prints the SQL a run would execute, statement by statement, and
 * changes nothing. Reads (catalog queries, SELECTs, PRAGMA reads) still go to the database so
 * that builder calls that look before they act render correctly; every write is recorded
 * instead of sent. The output is a script for the database's own client (psql, mariadb,
 * sqlite3), bookkeeping included.
 */
export async function offlineSql(config: ResolvedConfig, direction: 'up' | 'down', target: string, out: (line: string) => void): Promise<void> {
  const db = await openDatabase(config, { foreignKeys: false, noCreate: true, readOnly: true });
  try {
    const files = listMigrations(config.migrations);
    const applied = await readApplied(db.knex, config.tableName);
    const status = statusOf(files, applied);
    assertNoMissing(status);
    const names = applied.map((a) => a.name);
    const { steps } = direction === 'up' ? planUpgrade(files, names, target) : planDowngrade(files, names, target);
    const modules = steps.map((f) => [f, loadMigration(f)] as const);
    const dialect = db.url.dialect;
    const statements: string[] = [];
    const restore = recordWrites(db.knex, dialect, statements);
    try {
      const emit = (comment: string) => statements.push(`-- ${comment}`);
      if (dialect === 'sqlite') statements.push('PRAGMA foreign_keys = OFF');
      statements.push(dialect === 'mysql' ? 'START TRANSACTION' : 'BEGIN');
      await ensureTables(db.knex, config.tableName);
      const batch = Math.max(0, ...applied.map((a) => a.batch)) + 1;
      let prev: MigrationFile | null = status.current;
      const order = [...names];
      for (const [file, mod] of modules) {
        if (direction === 'up') {
          emit(`Running upgrade ${prev ? prev.id : '<base>'} -> ${file.id}, ${readMessage(file)}`);
          await mod.up(db.knex);
          await db.knex(config.tableName).insert({ name: file.name, batch, migration_time: new Date() });
          prev = file;
        } else {
          order.splice(order.indexOf(file.name), 1);
          const parent = files.find((f) => f.name === order[order.length - 1]);
          emit(`Running downgrade ${file.id} -> ${parent ? parent.id : '<base>'}, ${readMessage(file)}`);
          if (!mod.down) throw new KilnError('MIGRATION_FILE', `migration ${displayPath(file.path)} has no down(knex) function: it cannot be reverted`);
          await mod.down(db.knex);
          await db.knex(config.tableName).where({ name: file.name }).del();
        }
      }
      statements.push('COMMIT');
      if (dialect === 'sqlite') statements.push('PRAGMA foreign_keys = ON');
    } finally {
      restore();
    }
    for (const s of statements) out(s.startsWith('--') ? s : `${s.replace(/;\s*$/, '')};`);
  } finally {
    await db.close();
  }
}

const READ_RE = /^\s*(select|with|pragma\s+[\w.]+\s*(\(|;|$)|show|describe|explain)/i;

/** Makes every non-read statement of `knex` recorded instead of executed. Returns an undo. */
function recordWrites(knex: Knex, dialect: DialectName, into: string[]): () => void {
  const client = knex.client as unknown as {
    query(conn: unknown, q: { sql: string; bindings?: unknown[]; method?: string }): Promise<unknown>;
  };
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { formatQuery } = require('knex/lib/execution/internal/query-executioner') as {
    formatQuery(sql: string, bindings: unknown, tz: unknown, client: unknown): string;
  };
  const original = client.query;
  client.query = function (this: typeof client, conn, q) {
    const sql = typeof q === 'string' ? q : q.sql;
    if (READ_RE.test(sql)) return original.call(this, conn, q);
    into.push(formatQuery(sql, (q as { bindings?: unknown[] }).bindings ?? [], undefined, client));
    return Promise.resolve({ ...(q as object), sql, response: fakeResponse(dialect), context: { lastID: 0, changes: 0 } });
  };
  return () => {
    client.query = original;
  };
}

function fakeResponse(dialect: DialectName): unknown {
  if (dialect === 'postgres') return { rows: [], rowCount: 0, command: '' };
  if (dialect === 'mysql') return [{ insertId: 0, affectedRows: 0 }, []];
  return [];
}
