import type { Knex } from 'knex';
import type { ResolvedConfig } from '../config/load';
import { dialectOf } from '../dialect/registry';
import type { ScriptFrame } from '../dialect/runtime';
import type { DialectName } from '../dialect/types';
import { bookkeepingTables, checksumTableName, ensureTables, readApplied, recordReverted } from './bookkeeping';
import { openDatabase } from './database';
import { listMigrations, readMessage, type MigrationFile } from './files';
import { displayPath, loadMigration } from './load-migration';
import { KilnError, messageOf } from '../errors';
import { formatQuery, patchClientQuery } from '../knex-internals';
import { OFFLINE_SQL } from '../public/guard';
import { assertNoMissing, checksumOf, statusOf } from './status';
import { planDowngrade, planUpgrade } from './targets';

/**
 * Offline mode (`--sql`): prints the SQL a run would execute, statement by statement, and
 * changes nothing. Reads (catalog queries, SELECTs, PRAGMA reads) still go to the database so
 * that builder calls that look before they act render correctly; every write is recorded
 * instead of sent. The output is a script for the database's own client (psql, mariadb,
 * sqlite3), bookkeeping included (Knex's rows and kiln's checksum rows, as online).
 *
 * SQLite: the migrations run against an in-memory copy of the schema instead (see
 * src/dialect/sqlite/offline.ts), so a step sees the tables the steps before it created or renamed; the
 * script checks foreign keys as the online run does and rolls back when a migration breaks one.
 * Run it with `sqlite3 -bail DB < script.sql`: without -bail the sqlite3 shell goes on after a
 * failed statement.
 */
export async function offlineSql(config: ResolvedConfig, direction: 'up' | 'down', target: string, out: (line: string) => void): Promise<void> {
  const { statements, dialect } = await offlineRun(config, direction, target);
  const { scriptStatement } = dialectOf(dialect).runtime.offline;
  for (const s of statements) {
    const sql = s.replace(/;\s*$/, '');
    out(s.startsWith('--') ? s : scriptStatement ? scriptStatement(sql) : `${sql};`);
  }
}

/** Where one migration's own statements sit in an offline script (bookkeeping and frame left out). */
export interface OfflineStep {
  readonly file: MigrationFile;
  readonly start: number;
  readonly end: number;
  /** False for a migration with `config.transaction = false`. */
  readonly transactional: boolean;
}

/** The statements a run would execute, and which of them each migration sends (`kiln db lint`, `upgrade --plan`). */
export async function offlineRun(config: ResolvedConfig, direction: 'up' | 'down', target: string): Promise<{ statements: string[]; steps: OfflineStep[]; dialect: DialectName }> {
  const db = await openDatabase(config, { foreignKeys: false, noCreate: true, readOnly: true });
  try {
    const files = listMigrations(config.migrations, config.loadExtensions);
    const applied = await readApplied(db.knex, config.tableName);
    const status = statusOf(files, applied);
    assertNoMissing(status);
    const names = applied.map((a) => a.name);
    const { steps } = direction === 'up' ? planUpgrade(files, names, target) : planDowngrade(files, names, target);
    const modules = steps.map((f) => [f, loadMigration(f)] as const);
    const { offline } = dialectOf(db.url.dialect).runtime;
    const frame = offline.frame;
    const statements: string[] = [...frame.head, ...(offline.session?.(config.schema) ?? [])];
    // The Knex the migrations run on: the database itself (writes only recorded) or, on SQLite, a copy.
    const { knex: mk, executeWrites } = await offline.workspace(db.knex, bookkeepingTables(config.tableName));
    // A migration's value guard goes into the script rather than counting today's rows.
    (mk.client as unknown as Record<symbol, unknown>)[OFFLINE_SQL] = true;
    const restore = recordWrites(mk, offline.recordedWriteResponse, statements, executeWrites);
    try {
      await ensureTables(mk, config.tableName);
      const step: Step = { config, files, names: [...names], mk, frame, statements, steps: [], batch: Math.max(0, ...applied.map((a) => a.batch)) + 1 };
      let prev: MigrationFile | null = status.current;
      for (const [file, mod] of modules) prev = await (direction === 'up' ? stepUp(step, prev, file, mod) : stepDown(step, file, mod));
      statements.push(...frame.tail(steps.map((f) => f.name)));
      return { statements, steps: step.steps, dialect: db.url.dialect };
    } finally {
      restore();
      if (mk !== db.knex) await mk.destroy();
    }
  } finally {
    await db.close();
  }
}

interface Step {
  readonly config: ResolvedConfig;
  readonly files: readonly MigrationFile[];
  /** Applied migrations, in order; a downgrade takes them off as it goes. */
  readonly names: string[];
  readonly mk: Knex;
  readonly frame: ScriptFrame;
  readonly statements: string[];
  readonly steps: OfflineStep[];
  readonly batch: number;
}

type Module = ReturnType<typeof loadMigration>;

async function stepUp(s: Step, prev: MigrationFile | null, file: MigrationFile, mod: Module): Promise<MigrationFile> {
  s.statements.push(`-- Running upgrade ${prev ? prev.id : '<base>'} -> ${file.id}, ${readMessage(file)}`);
  const outside = mod.config?.transaction === false;
  if (outside) s.statements.push(`-- ${file.id} runs outside a transaction (config.transaction = false)`, ...s.frame.outside.before);
  const start = s.statements.length;
  await named(file, () => mod.up(s.mk));
  s.steps.push({ file, start, end: s.statements.length, transactional: !outside });
  if (outside) s.statements.push(...s.frame.outside.after);
  await s.mk(s.config.tableName).insert({ name: file.name, batch: s.batch, migration_time: new Date() });
  await recordChecksum(s.mk, s.config.tableName, file);
  s.statements.push(...s.frame.after(file.name));
  return file;
}

async function stepDown(s: Step, file: MigrationFile, mod: Module): Promise<MigrationFile | null> {
  s.names.splice(s.names.indexOf(file.name), 1);
  const parent = s.files.find((f) => f.name === s.names[s.names.length - 1]) ?? null;
  s.statements.push(`-- Running downgrade ${file.id} -> ${parent ? parent.id : '<base>'}, ${readMessage(file)}`);
  if (!mod.down) throw new KilnError('MIGRATION_FILE', `migration ${displayPath(file.path)} has no down(knex) function: it cannot be reverted`);
  const outside = mod.config?.transaction === false;
  if (outside) s.statements.push(`-- ${file.id} runs outside a transaction (config.transaction = false)`, ...s.frame.outside.before);
  const start = s.statements.length;
  await named(file, () => mod.down!(s.mk));
  s.steps.push({ file, start, end: s.statements.length, transactional: !outside });
  if (outside) s.statements.push(...s.frame.outside.after);
  await recordReverted(s.mk, s.config.tableName, file.name);
  s.statements.push(...s.frame.after(file.name));
  return parent;
}

/** A migration's own failure, as online: one line naming its file. */
async function named(file: MigrationFile, fn: () => unknown): Promise<void> {
  try {
    await fn();
  } catch (e) {
    if (e instanceof KilnError) throw e;
    throw new KilnError('MIGRATION_FAILED', `migration ${displayPath(file.path)} failed: ${messageOf(e)}`, { cause: e });
  }
}

const READ_RE = /^\s*(select|with|pragma\s+[\w.]+\s*(\(|;|$)|show|describe|explain)/i;

/**
 * The row of kiln's checksum table the online run writes (src/runner/bookkeeping.ts
 * recordApplied), naming the `knex_migrations` row by a subquery: its id is only known when
 * the script runs.
 */
async function recordChecksum(knex: Knex, tableName: string, file: MigrationFile): Promise<void> {
  const sums = checksumTableName(tableName);
  await knex(sums).where({ name: file.name }).del();
  const checksum = checksumOf(file);
  if (!checksum) return;
  await knex.raw('INSERT INTO ?? (??, ??, ??) SELECT ?, ?, MAX(??) FROM ?? WHERE ?? = ?', [
    sums, 'name', 'checksum', 'applied_id', file.name, checksum, 'id', tableName, 'name', file.name,
  ]);
}

/** Knex's own transaction statements (a migration's `knex.transaction`, knex's `.alter()`): the script is one transaction. */
const KNEX_TRANSACTION_RE = /^\s*(begin|commit|rollback)\s*;?\s*$|^\s*(savepoint|release\s+savepoint|rollback\s+to\s+savepoint)\s+trx\d+\s*;?\s*$/i;


/**
 * Makes every non-read statement of `knex` recorded instead of executed (or, with `execute`,
 * recorded and executed: offline SQLite runs against a copy of the schema). Returns an undo.
 *
 * With `execute`, the hook sits on the client's prototype, where Knex's transaction clients
 * (made from the prototype, not the instance) find it too: a statement run inside a
 * transaction (a migration's own, or Knex's `.alter()` rebuild) is printed, never only
 * applied to the copy. Calls from other Knex instances pass straight through.
 */
function recordWrites(knex: Knex, response: () => unknown, into: string[], execute = false): () => void {
  const client = knex.client as unknown as { connectionSettings: unknown };
  const host = (execute ? Object.getPrototypeOf(client) : client) as object;
  return patchClientQuery(host, (original) => function (this: unknown, conn, q) {
    const mine = this === client || (this as { connectionSettings?: unknown }).connectionSettings === client.connectionSettings;
    const sql = typeof q === 'string' ? q : q.sql;
    if (!mine || READ_RE.test(sql)) return original.call(this, conn, q);
    if (execute && KNEX_TRANSACTION_RE.test(sql)) return original.call(this, conn, q);
    into.push(formatQuery(sql, typeof q === 'string' ? [] : (q.bindings ?? []), client));
    if (execute) return original.call(this, conn, q);
    return Promise.resolve({ ...(typeof q === 'string' ? {} : q), sql, response: response(), context: { lastID: 0, changes: 0 } });
  });
}
