import * as fs from 'node:fs';
import { loadConfig, type ResolvedConfig } from '../config/load';
import { parseDatabaseUrl } from '../config/url';
import { dialectOf } from '../dialect/registry';
import { escapeForTerminal } from './terminal';
import type { Progress } from '../app/progress';
import { checksumsOf, checksumTableName, lockTableName, type AppliedMigration } from '../runner/bookkeeping';
import { listMigrations, type MigrationFile } from '../runner/files';
import { lockedError, lockWaitNotice } from '../runner/lock';
import { currentLine, nothingToUpgradeLine } from '../app/messages';
import { editedOf, statusOf } from '../runner/status';
import { planUpgrade } from '../runner/targets';
import { findDivergence, readGraph } from '../runner/revision-graph';

/**
 * The fast path of the commands people run most, `kiln db current`, a `kiln db upgrade` with
 * nothing to do and `kiln db check`, on SQLite: no oclif, no Knex, one driver connection
 * (bench/startup.js: oclif and Knex are about two thirds of the start-up time of these commands).
 *
 * It only ever answers the plain, common case and prints exactly what the full command prints;
 * anything else (other flags or arguments, another dialect, a missing database file or
 * bookkeeping table, applied migrations missing from the folder, Knex's lock row taken,
 * migrations to run, any unexpected error before something was printed) returns false and the
 * full oclif command runs, which owns every message and every change.
 *
 * `db upgrade` reads the state inside `BEGIN IMMEDIATE`, as the full command does: it waits for
 * another process's migration (busy_timeout = the lock timeout) and reports LOCKED the same way.
 * A `db upgrade [TARGET]` (no flags) with work to do, or on another dialect, runs the runner
 * directly, without oclif (directUpgrade). KILN_NO_FAST_PATH=1 turns all of it off.
 */
export async function fastPath(argv: readonly string[]): Promise<boolean> {
  const command = hotCommand(argv);
  if (!command || process.env.KILN_NO_FAST_PATH) return false;
  if (command === 'upgrade' && !(argv.length === 2 || argv[2] === 'head')) return directUpgrade(argv[2]);
  if (await answerFromDriver(command)) return true;
  if (command === 'upgrade') return directUpgrade('head');
  if (command === 'check') return directCheck();
  return false;
}

/** `kiln db check` without oclif, through Knex: the use case src/app/check.ts. */
async function directCheck(): Promise<boolean> {
  const config = await loadConfig();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { check } = require('../app/check') as typeof import('../app/check');
  const { failed } = await check({ config }, PROGRESS);
  if (failed) process.exitCode = 1;
  return true;
}

/**
 * `kiln db upgrade [TARGET]` without oclif: the use case src/app/upgrade.ts. oclif and its
 * parser cost about 100 ms of start-up (bench/apply.js), as much as Knex itself.
 */
async function directUpgrade(target: string): Promise<boolean> {
  const config = await loadConfig();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { upgrade } = require('../app/upgrade') as typeof import('../app/upgrade');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { tickingProgress } = require('./ticker') as typeof import('./ticker');
  await upgrade({ config, target }, tickingProgress(write));
  return true;
}

/**
 * Answers `db current`, a no-op `db upgrade` and `db check` on SQLite from one driver connection
 * (`db check` introspects through a handle that only runs `raw` catalog queries; the models are
 * loaded as usual). Prints only once everything is known; false sends the command on.
 */
async function answerFromDriver(command: HotCommand): Promise<boolean> {
  let config: ResolvedConfig;
  let filename: string;
  let files: MigrationFile[];
  try {
    config = await loadConfig();
    const url = parseDatabaseUrl(config.databaseUrl, config.root);
    if (!dialectOf(url.dialect).runtime.driverFastPath || Object.keys(url.options).length > 0 || !url.filename || url.filename === ':memory:' || !fs.existsSync(url.filename)) return false;
    filename = url.filename;
    files = listMigrations(config.migrations, config.loadExtensions);
  } catch {
    return false;
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const sqlite3 = require('sqlite3') as typeof import('sqlite3');
  let db: import('sqlite3').Database;
  try {
    db = await new Promise((resolve, reject) => {
      const d: import('sqlite3').Database = new sqlite3.Database(filename, sqlite3.OPEN_READWRITE, (err) => (err ? reject(err) : resolve(d)));
    });
  } catch {
    return false;
  }
  const all = <T>(sql: string) => new Promise<T[]>((resolve, reject) => db.all(sql, (err, rows) => (err ? reject(err) : resolve(rows as T[]))));
  const exec = (sql: string) => new Promise<void>((resolve, reject) => db.exec(sql, (err) => (err ? reject(err) : resolve())));
  try {
    db.configure('busyTimeout', Math.max(0, config.lockTimeoutMs));
    const table = quote(config.tableName);
    const readApplied = async (): Promise<AppliedMigration[]> =>
      (await all<{ id: number; name: string; batch: number; migration_time: string | null }>(`select id, name, batch, migration_time from ${table} order by id`)).map((r) => ({
        id: Number(r.id),
        name: r.name,
        batch: Number(r.batch),
        migrationTime: r.migration_time,
      }));
    // An applied migration edited since (kiln's checksum differs): the full command warns.
    const edited = async (status: ReturnType<typeof statusOf>): Promise<boolean> => {
      let rows: { name: string; checksum: string; applied_id?: number | string | null }[];
      try {
        rows = await all(`select * from ${quote(checksumTableName(config.tableName))}`);
      } catch {
        return false;
      }
      return editedOf(status, checksumsOf(rows)).length > 0;
    };
    if (command === 'check') {
      const status = statusOf(files, await readApplied());
      // Rows naming squashed or rebased files: the full command reads them (src/runner/history-rows.ts).
      if (status.missing.length || (await edited(status))) return false;
      const raw = (sql: string, bindings?: unknown) => (bindings === undefined ? all(sql) : Promise.reject(new Error('bindings')));
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { checkDrift } = require('../app/check') as typeof import('../app/check');
      const { lines, failed } = await checkDrift(config, { raw } as unknown as import('knex').Knex, 'sqlite', status);
      for (const l of lines) write(l);
      if (failed) process.exitCode = 1;
      return true;
    }
    if (command === 'current') {
      const status = statusOf(files, await readApplied());
      if (status.missing.length || (await edited(status))) return false;
      write(currentLine(status));
      return true;
    }
    const stopNotice = lockWaitNotice(config.lockTimeoutMs);
    try {
      await exec('BEGIN IMMEDIATE');
    } catch (e) {
      if ((e as { code?: string }).code === 'SQLITE_BUSY') throw lockedError(Math.ceil(config.lockTimeoutMs / 1000));
      return false;
    } finally {
      stopNotice();
    }
    try {
      const status = statusOf(files, await readApplied());
      const lockRows = await all<{ is_locked: number }>(`select is_locked from ${quote(lockTableName(config.tableName))}`);
      if (status.missing.length || (await edited(status)) || lockRows.length === 0 || lockRows.some((r) => Number(r.is_locked) !== 0)) return false;
      if (planUpgrade(files, status.applied.map((a) => a.name), 'head').steps.length) return false;
      if (findDivergence(readGraph(files), status.applied.map((a) => a.name))) return false;
      write(nothingToUpgradeLine(status));
      return true;
    } finally {
      await exec('ROLLBACK').catch(() => undefined);
    }
  } catch (e) {
    if ((e as { code?: string }).code === 'LOCKED') throw e;
    return false;
  } finally {
    await new Promise<void>((resolve) => db.close(() => resolve()));
  }
}

type HotCommand = 'current' | 'upgrade' | 'check';

/** Only an argv without flags: `db current`, `db check`, `db upgrade`, `db upgrade TARGET`. */
function hotCommand(argv: readonly string[]): HotCommand | null {
  if (argv.length === 2 && argv[0] === 'db' && argv[1] === 'current') return 'current';
  if (argv.length === 2 && argv[0] === 'db' && argv[1] === 'check') return 'check';
  if (argv[0] === 'db' && argv[1] === 'upgrade' && (argv.length === 2 || (argv.length === 3 && /^[^-]/.test(argv[2])))) return 'upgrade';
  return null;
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

function write(line: string): void {
  process.stdout.write(`${escapeForTerminal(line)}\n`);
}

/** As the fast path always printed: lines escaped, warnings as they are. */
const PROGRESS: Progress = { line: write, warn: (w) => process.stderr.write(`warning: ${w}\n`) };
