import type { Knex } from 'knex';
import type { ResolvedConfig } from '../config/load';
import type { DialectName } from '../dialect/types';
import { KilnError, isKilnError, messageOf } from '../errors';
import {
  ensureTables,
  nextBatch,
  readApplied,
  recordApplied,
  recordReverted,
  selectApplied,
  type AppliedMigration,
} from './bookkeeping';
import type { Database } from './database';
import { listMigrations, readMessage, type MigrationFile } from './files';
import { displayPath, loadMigration, type MigrationModule } from './load-migration';
import { acquireLock, lockedError, releaseKnexLockRow, releaseLock, takeKnexLockRow } from './lock';
import { planDowngrade, planUpgrade, stampSet, type Plan } from './targets';

export interface RunContext {
  readonly config: ResolvedConfig;
  /** Opened by openDatabase(config, { foreignKeys: false, migrationLock: true }). */
  readonly db: Database;
  readonly out: (line: string) => void;
}

export interface Status {
  readonly files: MigrationFile[];
  readonly applied: AppliedMigration[];
  /** Applied migrations whose file is gone. */
  readonly missing: string[];
  readonly pending: MigrationFile[];
  /** The last applied migration, or null at base. */
  readonly current: MigrationFile | null;
  readonly head: MigrationFile | null;
}

export async function readStatus(config: ResolvedConfig, knex: Knex): Promise<Status> {
  const files = listMigrations(config.migrations);
  const applied = await readApplied(knex, config.tableName);
  return statusOf(files, applied);
}

export function statusOf(files: MigrationFile[], applied: AppliedMigration[]): Status {
  const byName = new Map(files.map((f) => [f.name, f]));
  const done = new Set(applied.map((a) => a.name));
  const missing = applied.filter((a) => !byName.has(a.name)).map((a) => a.name);
  const last = applied.length ? byName.get(applied[applied.length - 1].name) ?? null : null;
  return {
    files,
    applied,
    missing,
    pending: files.filter((f) => !done.has(f.name)),
    current: last,
    head: files.length ? files[files.length - 1] : null,
  };
}

export function assertNoMissing(status: Status): void {
  if (status.missing.length === 0) return;
  throw new KilnError('HISTORY', `applied migration${status.missing.length > 1 ? 's' : ''} ${status.missing.join(', ')} not found in the migrations folder`, {
    hint: "restore the file(s) from version control, or rewrite the record with 'kiln db stamp <revision>'",
  });
}

const label = (f: MigrationFile | null | undefined) => (f ? f.id : '<base>');

export interface RunResult {
  readonly ran: MigrationFile[];
}

/** `kiln db upgrade [TARGET]`. */
export function upgrade(ctx: RunContext, target = 'head'): Promise<RunResult> {
  return runPlanned(ctx, (files, applied) => planUpgrade(files, applied, target));
}

/** `kiln db downgrade [TARGET]`. */
export function downgrade(ctx: RunContext, target = '-1'): Promise<RunResult> {
  return runPlanned(ctx, (files, applied) => planDowngrade(files, applied, target));
}

async function runPlanned(ctx: RunContext, plan: (files: MigrationFile[], applied: string[]) => Plan): Promise<RunResult> {
  const files = listMigrations(ctx.config.migrations);
  // Plan once before taking the lock so that every module loads (and fails) before any change.
  const before = statusOf(files, await readApplied(ctx.db.knex, ctx.config.tableName));
  assertNoMissing(before);
  const modules = new Map<string, MigrationModule>();
  const load = (f: MigrationFile) => modules.get(f.name) ?? modules.set(f.name, loadMigration(f)).get(f.name)!;
  for (const f of plan(files, before.applied.map((a) => a.name)).steps) load(f);

  return inLockedTransaction(ctx, async (trx) => {
    const applied = await selectApplied(trx, ctx.config.tableName);
    const status = statusOf(files, applied);
    assertNoMissing(status);
    const names = applied.map((a) => a.name);
    const { direction, steps } = plan(files, names);
    if (steps.length === 0) {
      ctx.out(direction === 'up' ? `Nothing to upgrade: database is at ${label(status.current)}${status.current === status.head ? ' (head)' : ''}.` : `Nothing to downgrade: database is at ${label(status.current)}.`);
      return { ran: [] };
    }
    const batch = await nextBatch(trx, ctx.config.tableName);
    const fkBaseline = ctx.db.url.dialect === 'sqlite' ? await foreignKeyViolationCount(trx) : 0;
    const order = new Map(files.map((f, i) => [f.name, i]));
    let current = status.current;
    const appliedNow = [...names];
    for (const step of steps) {
      const mod = load(step);
      if (direction === 'up') {
        ctx.out(`Running upgrade ${label(current)} -> ${step.id}, ${readMessage(step)}`);
        await runStep(ctx, trx, step, fkBaseline, () => mod.up(trx));
        await recordApplied(trx, ctx.config.tableName, step.name, batch);
        appliedNow.push(step.name);
        current = step;
      } else {
        appliedNow.splice(appliedNow.indexOf(step.name), 1);
        const prev = appliedNow.length ? files[order.get(appliedNow[appliedNow.length - 1])!] : null;
        ctx.out(`Running downgrade ${step.id} -> ${label(prev)}, ${readMessage(step)}`);
        if (!mod.down) throw new KilnError('MIGRATION_FILE', `migration ${displayPath(step.path)} has no down(knex) function: it cannot be reverted`);
        await runStep(ctx, trx, step, fkBaseline, () => mod.down!(trx));
        await recordReverted(trx, ctx.config.tableName, step.name);
        current = prev;
      }
    }
    return { ran: [...steps] };
  });
}

/** Runs one migration function, turning its failure into one line naming file, statement and cause. */
async function runStep(ctx: RunContext, trx: Knex.Transaction, step: MigrationFile, fkBaseline: number, fn: () => unknown): Promise<void> {
  const executed: string[] = [];
  const onQuery = (q: { sql?: string }) => {
    if (q.sql) executed.push(q.sql);
  };
  ctx.db.knex.on('query', onQuery);
  try {
    await fn();
    if (ctx.db.url.dialect === 'sqlite') await checkForeignKeys(trx, step, fkBaseline);
  } catch (e) {
    if (isKilnError(e)) throw e;
    const cause = messageOf(e).replace(/^.* - (?=[A-Z_]+:|ER_|error:)/, '');
    const lastSql = executed.pop();
    const stmt = lastSql ? ` (statement: ${clip(lastSql)})` : '';
    const hint =
      ctx.db.url.dialect === 'mysql' && executed.some(isDdl)
        ? `MySQL cannot roll back DDL: ${executed.length} earlier statement(s) of this migration ran and stay applied: ${executed.map(clip).join('; ')}`
        : undefined;
    throw new KilnError('MIGRATION_FAILED', `migration ${displayPath(step.path)} failed: ${cause}${stmt}`, { cause: e, hint });
  } finally {
    ctx.db.knex.removeListener('query', onQuery);
  }
}

const clip = (sql: string) => (sql.length > 200 ? `${sql.slice(0, 200)}...` : sql);
const isDdl = (sql: string) => /^\s*(create|alter|drop|rename|truncate)\b/i.test(sql);

async function foreignKeyViolationCount(trx: Knex.Transaction): Promise<number> {
  return ((await trx.raw('PRAGMA foreign_key_check')) as unknown[]).length;
}

/**
 * SQLite runs migrations with foreign keys off (its ALTER TABLE recipe), so after each
 * migration the foreign keys are checked: rows that break one and did not before the run
 * fail the migration and roll the run back.
 */
async function checkForeignKeys(trx: Knex.Transaction, step: MigrationFile, baseline: number): Promise<void> {
  const rows = (await trx.raw('PRAGMA foreign_key_check')) as { table: string; rowid: number; parent: string }[];
  if (rows.length <= baseline) return;
  const first = rows[0];
  throw new KilnError(
    'MIGRATION_FAILED',
    `migration ${displayPath(step.path)} leaves ${rows.length - baseline} row(s) breaking foreign keys (first: table '${first.table}' rowid ${first.rowid} -> '${first.parent}'); rolled back`,
  );
}

/** `kiln db stamp TARGET`: rewrites the record without running anything. */
export async function stamp(ctx: RunContext, target: string): Promise<{ added: string[]; removed: string[] }> {
  const files = listMigrations(ctx.config.migrations);
  return inLockedTransaction(ctx, async (trx) => {
    const applied = (await selectApplied(trx, ctx.config.tableName)).map((a) => a.name);
    const want = stampSet(files, applied, target);
    const wantSet = new Set(want);
    const removed = applied.filter((n) => !wantSet.has(n));
    const added = want.filter((n) => !applied.includes(n));
    for (const name of removed) await recordReverted(trx, ctx.config.tableName, name);
    if (added.length) {
      const batch = await nextBatch(trx, ctx.config.tableName);
      for (const name of added) await recordApplied(trx, ctx.config.tableName, name, batch);
    }
    return { added, removed };
  });
}

/** The one transaction of a run: lock, bookkeeping tables, work, Knex lock row released, commit. */
async function inLockedTransaction<T>(ctx: RunContext, work: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
  const { knex, url } = ctx.db;
  const dialect: DialectName = url.dialect;
  const table = ctx.config.tableName;
  if (dialect === 'mysql') await ensureTables(knex, table);
  let trx: Knex.Transaction;
  try {
    trx = await knex.transaction();
  } catch (e) {
    if (/SQLITE_BUSY/.test(messageOf(e))) throw lockedError(Math.ceil(ctx.config.lockTimeoutMs / 1000));
    throw e;
  }
  try {
    await acquireLock(trx, dialect, table, ctx.config.lockTimeoutMs);
    if (dialect !== 'mysql') await ensureTables(trx, table);
    await takeKnexLockRow(trx, dialect, table);
    const result = await work(trx);
    await releaseKnexLockRow(trx, dialect, table);
    await releaseLock(trx, dialect, table);
    await trx.commit();
    return result;
  } catch (e) {
    await releaseLock(trx, dialect, table).catch(() => undefined);
    await trx.rollback().catch(() => undefined);
    throw e;
  }
}
