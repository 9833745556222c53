import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import type { Knex } from 'knex';
import { executionPromise, formatQuery } from '../knex-internals';
import type { ResolvedConfig } from '../config/load';
import { dialectOf } from '../dialect/registry';
import type { DialectRuntime } from '../dialect/runtime';
import { KilnError, isKilnError, messageOf } from '../errors';
import {
  ensureTables,
  nextBatch,
  readApplied,
  readChecksums,
  recordApplied,
  recordReverted,
  selectApplied,
  type AppliedMigration,
} from './bookkeeping';
import type { Database } from './database';
import { listMigrations, readMessage, type MigrationFile } from './files';
import { displayPath, loadMigration, type MigrationModule } from './load-migration';
import { commitError, commitTransaction } from './commit';
import { guardRun, interruptedError, pendingSignal, type RunGuard } from './interrupt';
import { lockedError, lockWaitNotice, releaseKnexLockRow, takeKnexLockRow } from './lock';
import { planDowngrade, planUpgrade, stampSet, type Plan } from './targets';
import { stepsFailureOf, type StepsFailure } from '../public/migrate';

export interface RunContext {
  readonly config: ResolvedConfig;
  /** Opened by openDatabase(config, { foreignKeys: false, migrationLock: true }). */
  readonly db: Database;
  readonly out: (line: string) => void;
  /** Warnings (default: `warning: ...` on stderr). */
  readonly warn?: (line: string) => void;
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

/** SHA-256 of a migration file, as kept in kiln's checksum table when it is applied. */
export function checksumOf(file: MigrationFile): string | undefined {
  try {
    return createHash('sha256').update(fs.readFileSync(file.path)).digest('hex');
  } catch {
    return undefined;
  }
}

/** Applied migrations whose file changed since it was applied (kiln recorded its checksum then). */
export async function editedMigrations(knex: Knex, config: ResolvedConfig, status: Status): Promise<MigrationFile[]> {
  const sums = await readChecksums(knex, config.tableName);
  if (sums.size === 0) return [];
  const byName = new Map(status.files.map((f) => [f.name, f]));
  const edited: MigrationFile[] = [];
  for (const a of status.applied) {
    const file = byName.get(a.name);
    const recorded = sums.get(a.name);
    // A row taken for another application (Knex rolled back and re-applied) says nothing.
    if (!file || !recorded || (recorded.appliedId !== null && recorded.appliedId !== a.id)) continue;
    if (checksumOf(file) !== recorded.checksum) edited.push(file);
  }
  return edited;
}

export function editedWarning(edited: MigrationFile[]): string {
  return `applied migration${edited.length > 1 ? 's' : ''} ${edited.map((f) => displayPath(f.path)).join(', ')} changed since ${edited.length > 1 ? 'they were' : 'it was'} applied: the database does not run the edit; put a change to applied migrations in a new migration ('kiln db revision' or 'kiln db migrate')`;
}

const label = (f: MigrationFile | null | undefined) => (f ? f.id : '<base>');

/** What `kiln db current` prints (also the fast path): `<id> (head)`, `<id>` or `<base>`. */
export function currentLine(status: Status): string {
  return status.current ? `${status.current.id}${status.current === status.head ? ' (head)' : ''}` : '<base>';
}

/** What a `kiln db upgrade` with nothing to do prints (also the fast path). */
export function nothingToUpgradeLine(status: Status): string {
  return `Nothing to upgrade: database is at ${currentLine(status)}.`;
}

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
  const edited = await editedMigrations(ctx.db.knex, ctx.config, before);
  if (edited.length) (ctx.warn ?? ((l: string) => process.stderr.write(`warning: ${l}\n`)))(editedWarning(edited));
  const modules = new Map<string, MigrationModule>();
  const load = (f: MigrationFile) => modules.get(f.name) ?? modules.set(f.name, loadMigration(f)).get(f.name)!;
  for (const f of plan(files, before.applied.map((a) => a.name)).steps) load(f);

  const ran: MigrationFile[] = [];
  const committed = () => (ran.length ? `migration${ran.length > 1 ? 's' : ''} ${ran.map((f) => displayPath(f.path)).join(', ')}` : 'the run (no migration to run, bookkeeping only)');
  return inLockedTransaction(ctx, committed, async (trx, guard) => {
    const applied = await selectApplied(trx, ctx.config.tableName);
    const status = statusOf(files, applied);
    assertNoMissing(status);
    const names = applied.map((a) => a.name);
    const { direction, steps } = plan(files, names);
    if (steps.length === 0) {
      ctx.out(direction === 'up' ? nothingToUpgradeLine(status) : `Nothing to downgrade: database is ${status.current ? `at ${status.current.id}` : 'already at base'}.`);
      return { ran: [] };
    }
    const batch = await nextBatch(trx, ctx.config.tableName);
    const { foreignKeyCheck } = runtimeOf(ctx);
    const fkBaseline = foreignKeyCheck ? (await foreignKeyCheck(trx)).length : 0;
    const order = new Map(files.map((f, i) => [f.name, i]));
    let current = status.current;
    const appliedNow = [...names];
    for (const step of steps) {
      try {
        current = await runOne(step, current);
        // A signal that arrived after the migration's last statement stops the run here, named
        // (not at the check before COMMIT, which knows no migration).
        if (!runtimeOf(ctx).letRunningMigrationFinishOnSignal) guard.check();
      } catch (e) {
        // A signal that stopped the run between two migrations (at the bookkeeping insert or after it).
        if (isKilnError(e) && e.code === 'INTERRUPTED' && !/ in migration /.test(e.message)) {
          throw new KilnError('INTERRUPTED', `${e.message} after migration ${displayPath(step.path)}`, { exit: e.exit });
        }
        throw e;
      }
      // Where DDL cannot be rolled back (MySQL) a signal lets the running migration finish, then
      // stops at this boundary and commits what ran (see src/runner/interrupt.ts).
      if (guard.signal && runtimeOf(ctx).letRunningMigrationFinishOnSignal && step !== steps[steps.length - 1]) {
        throw interruptedAtBoundary(guard.signal, step);
      }
    }
    return { ran: [...steps] };

    async function runOne(step: MigrationFile, current: MigrationFile | null): Promise<MigrationFile | null> {
      const mod = load(step);
      ran.push(step);
      if (direction === 'up') {
        ctx.out(`Running upgrade ${label(current)} -> ${step.id}, ${readMessage(step)}`);
        await runStep(ctx, trx, step, fkBaseline, () => mod.up(trx));
        await recordApplied(trx, ctx.config.tableName, step.name, batch, checksumOf(step));
        await commitBoundary(ctx, trx, step);
        appliedNow.push(step.name);
        current = step;
      } else {
        appliedNow.splice(appliedNow.lastIndexOf(step.name), 1); // the last applied: O(1)
        const prev = appliedNow.length ? files[order.get(appliedNow[appliedNow.length - 1])!] : null;
        ctx.out(`Running downgrade ${step.id} -> ${label(prev)}, ${readMessage(step)}`);
        if (!mod.down) throw new KilnError('MIGRATION_FILE', `migration ${displayPath(step.path)} has no down(knex) function: it cannot be reverted`);
        await runStep(ctx, trx, step, fkBaseline, () => mod.down!(trx));
        await recordReverted(trx, ctx.config.tableName, step.name);
        await commitBoundary(ctx, trx, step);
        current = prev;
      }
      return current;
    }
  });
}

/**
 * Knex prefixes a driver error with the statement (`<sql> - <error>`); the statement is
 * printed apart, so the prefix goes.
 */
function withoutSqlPrefix(message: string, query: { sql: string; bindings?: unknown[] } | undefined, knex: Knex): string {
  if (!query) return message;
  for (const prefix of [`${formatQuery(query.sql, query.bindings ?? [], knex.client)} - `, `${query.sql} - `]) {
    if (message.startsWith(prefix)) return message.slice(prefix.length);
  }
  return message.replace(/^.* - (?=[A-Z_]+:|ER_|error:)/, '');
}

/** The dialect of the run's database. */
const runtimeOf = (ctx: RunContext): DialectRuntime => dialectOf(ctx.db.url.dialect).runtime;

/** MySQL: a recorded migration is committed with its record (DialectRuntime.commitEachMigration). */
async function commitBoundary(ctx: RunContext, trx: Knex.Transaction, step: MigrationFile): Promise<void> {
  const boundaries = runtimeOf(ctx).commitEachMigration;
  if (!boundaries) return;
  await boundaries.commit(trx).catch((e: unknown) => Promise.reject(commitError(e, `migration ${displayPath(step.path)}`, 'MIGRATION_FAILED', '')));
}

/** Runs one migration function, turning its failure into one line naming file, statement and cause. */
async function runStep(ctx: RunContext, trx: Knex.Transaction, step: MigrationFile, fkBaseline: number, fn: () => unknown): Promise<void> {
  const executed: string[] = [];
  // The statement the database refused, if one was: an error the migration's own code throws
  // (not SQL) names no statement, the last one that ran having succeeded.
  let failed: { sql: string; bindings?: unknown[] } | undefined;
  const onQuery = (q: { sql?: string }) => {
    if (q.sql) executed.push(q.sql);
  };
  const onQueryError = (_e: unknown, q: { sql?: string; bindings?: unknown[] }) => {
    if (q?.sql) failed = { sql: q.sql, bindings: q.bindings };
  };
  ctx.db.knex.on('query', onQuery);
  ctx.db.knex.on('query-error', onQueryError);
  try {
    await fn();
    const { foreignKeyCheck } = runtimeOf(ctx);
    if (foreignKeyCheck && !onlyCreates(executed)) await checkForeignKeys(foreignKeyCheck, trx, step, fkBaseline);
  } catch (caught) {
    // A signal arrived: whatever failed (code that wraps errors, e.g. a rebuild) failed because
    // the next statement was refused.
    const signal = pendingSignal();
    const e = signal && !runtimeOf(ctx).letRunningMigrationFinishOnSignal && !(isKilnError(caught) && caught.code === 'INTERRUPTED') ? interruptedError(signal) : caught;
    if (isKilnError(e) && e.code === 'INTERRUPTED') {
      const hint =
        !runtimeOf(ctx).transactionalDdl && executed.some(isDdl)
          ? `MySQL cannot roll back DDL: ${executed.length} statement(s) of this migration ran and stay applied: ${executed.map(clip).join('; ')}`
          : undefined;
      throw new KilnError('INTERRUPTED', `${e.message} in migration ${displayPath(step.path)}`, { exit: e.exit, hint });
    }
    if (isKilnError(e)) throw e;
    const undone = stepsFailureOf(e);
    if (undone) throw stepsFailed(step, undone, ctx.db.knex, e);
    const cause = withoutSqlPrefix(messageOf(e), failed, ctx.db.knex);
    if (failed && executed.includes(failed.sql)) executed.splice(executed.lastIndexOf(failed.sql), 1);
    const stmt = failed ? ` (statement: ${clip(failed.sql)})` : '';
    const hint =
      !runtimeOf(ctx).transactionalDdl && executed.some(isDdl)
        ? `MySQL cannot roll back DDL: ${executed.length} earlier statement(s) of this migration ran and stay applied: ${executed.map(clip).join('; ')}`
        : undefined;
    throw new KilnError('MIGRATION_FAILED', `migration ${displayPath(step.path)} failed: ${cause}${stmt}`, { cause: e, hint });
  } finally {
    ctx.db.knex.removeListener('query', onQuery);
    ctx.db.knex.removeListener('query-error', onQueryError);
  }
}

/** A generated migration's `steps()` failed and undid what it could (kiln/migrate): say what it did. */
function stepsFailed(step: MigrationFile, f: StepsFailure, knex: Knex, e: unknown): KilnError {
  const statement = f.statement ? { sql: f.statement.sql, bindings: f.statement.bindings ? [...f.statement.bindings] : undefined } : undefined;
  const cause = withoutSqlPrefix(f.message, statement, knex);
  const stmt = statement ? ` (statement: ${clip(statement.sql)})` : '';
  const hint = f.leftApplied.length
    ? `MySQL cannot roll back DDL: ${f.leftApplied.length} statement(s) of this migration ran and stay applied: ${f.leftApplied.map(clip).join('; ')}`
    : undefined;
  return new KilnError('MIGRATION_FAILED', `migration ${displayPath(step.path)} failed: ${cause}${stmt}${f.note ? `; ${f.note}` : ''}`, { cause: e, hint });
}

/**
 * True when the migration ran statements and each only created a table or an index: that cannot
 * add a row breaking a foreign key, so the check after it (a scan of every table) is skipped.
 * A migration that ran nothing through Knex (or anything else) is checked.
 */
function onlyCreates(executed: readonly string[]): boolean {
  return executed.length > 0 && executed.every((sql) => /^\s*create\s+(?:table|(?:unique\s+)?index)\b[^;]*;?\s*$/i.test(sql));
}

const clip = (sql: string) => (sql.length > 200 ? `${sql.slice(0, 200)}...` : sql);
const isDdl = (sql: string) => /^\s*(create|alter|drop|rename|truncate)\b/i.test(sql);

/**
 * SQLite runs migrations with foreign keys off (its ALTER TABLE recipe), so after each
 * migration the foreign keys are checked: rows that break one and did not before the run
 * fail the migration and roll the run back.
 */
async function checkForeignKeys(check: NonNullable<DialectRuntime['foreignKeyCheck']>, trx: Knex.Transaction, step: MigrationFile, baseline: number): Promise<void> {
  const rows = await check(trx);
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
  return inLockedTransaction(ctx, () => `stamp ${target}`, async (trx) => {
    const applied = (await selectApplied(trx, ctx.config.tableName)).map((a) => a.name);
    const want = stampSet(files, applied, target);
    const wantSet = new Set(want);
    const removed = applied.filter((n) => !wantSet.has(n));
    const appliedSet = new Set(applied);
    const added = want.filter((n) => !appliedSet.has(n));
    for (const name of removed) await recordReverted(trx, ctx.config.tableName, name);
    if (added.length) {
      const batch = await nextBatch(trx, ctx.config.tableName);
      const byName = new Map(files.map((f) => [f.name, f]));
      for (const name of added) await recordApplied(trx, ctx.config.tableName, name, batch, checksumOf(byName.get(name)!));
    }
    return { added, removed };
  });
}

/** The one transaction of a run: lock, bookkeeping tables, work, Knex lock row released, commit. */
async function inLockedTransaction<T>(ctx: RunContext, what: () => string, work: (trx: Knex.Transaction, guard: RunGuard) => Promise<T>): Promise<T> {
  const { knex } = ctx.db;
  const guard = guardRun(knex, { betweenMigrations: runtimeOf(ctx).letRunningMigrationFinishOnSignal });
  try {
    return await guardedTransaction(ctx, guard, what, work);
  } finally {
    guard.release();
  }
}

async function guardedTransaction<T>(ctx: RunContext, guard: RunGuard, what: () => string, work: (trx: Knex.Transaction, guard: RunGuard) => Promise<T>): Promise<T> {
  const { url } = ctx.db;
  const runtime = runtimeOf(ctx);
  const boundaries = runtime.commitEachMigration;
  // What a failed final COMMIT leaves: with commits at each migration, those stay.
  const outcome = boundaries ? '' : undefined;
  const table = ctx.config.tableName;
  const stopNotice = lockWaitNotice(ctx.config.lockTimeoutMs);
  // SQLite waits at BEGIN IMMEDIATE, the servers at acquireLock.
  const trx = await beginTransaction(ctx).catch((e: unknown) => {
    stopNotice();
    throw e;
  });
  try {
    // The lock comes first on every dialect: on MySQL the bookkeeping tables' DDL commits at
    // once, so creating them outside the lock lets two processes race to create them.
    await runtime.acquireLock(trx, table, ctx.config.lockTimeoutMs).finally(stopNotice);
    // MySQL: the first DDL commits the open transaction; with autocommit off, each recorded
    // migration is committed (commitBoundary). See DialectRuntime.commitEachMigration.
    if (boundaries) await boundaries.begin(trx);
    await ensureTables(trx, table);
    await takeKnexLockRow(trx, runtime, table);
    guard.working();
    const result = await work(trx, guard);
    if (!runtime.letRunningMigrationFinishOnSignal) guard.check();
    guard.done();
    await releaseKnexLockRow(trx, runtime, table);
    await runtime.releaseLock(trx, table);
    if (boundaries) await boundaries.end(trx).catch((e: unknown) => Promise.reject(commitError(e, what(), 'MIGRATION_FAILED', '')));
    await commitTransaction(ctx.db.knex, trx, what(), outcome);
    return result;
  } catch (e) {
    guard.done();
    if (isKilnError(e) && e.code === 'INTERRUPTED' && (e as { commit?: boolean }).commit) {
      await releaseKnexLockRow(trx, runtime, table);
      await runtime.releaseLock(trx, table);
      if (boundaries) await boundaries.end(trx);
      await commitTransaction(ctx.db.knex, trx, what(), outcome);
      throw e;
    }
    if (boundaries) {
      await boundaries.rollback(trx).catch(() => undefined);
      await boundaries.end(trx).catch(() => undefined);
    }
    if (!trx.isCompleted()) {
      await runtime.releaseLock(trx, table).catch(() => undefined);
      await trx.rollback().catch(() => undefined);
    }
    if (isKilnError(e) && e.code === 'INTERRUPTED') throw interruptedAfterRollback(e, runtime);
    if (!isKilnError(e) && runtime.classifyError(e) === 'read-only') {
      throw new KilnError('CONNECTION', `cannot write to ${url.display}: the database is read-only (file or folder permissions, or ?mode=ro); nothing was changed`, { cause: e });
    }
    throw e;
  }
}

function interruptedAtBoundary(signal: NodeJS.Signals, step: MigrationFile): KilnError {
  const e = new KilnError(
    'INTERRUPTED',
    `interrupted (${signal === 'SIGINT' ? 'Ctrl-C' : signal}): stopped after migration ${displayPath(step.path)}, which was let finish because MySQL cannot roll back DDL; the database is at ${step.id}`,
    { exit: signal === 'SIGINT' ? 130 : 143, hint: "run 'kiln db upgrade' again to apply the rest" },
  );
  return Object.assign(e, { commit: true });
}

/** The interruption's final line: what was rolled back (MySQL: what DDL stays). */
function interruptedAfterRollback(e: KilnError, runtime: DialectRuntime): KilnError {
  const rolledBack = !runtime.transactionalDdl ? 'the run was rolled back where MySQL allows it' : 'the run was rolled back, nothing was changed';
  return new KilnError('INTERRUPTED', `${e.message}; ${rolledBack}`, { exit: e.exit, hint: e.hint, cause: e.cause });
}

/**
 * Starts the run's transaction. Knex hands back a transaction even when its BEGIN failed
 * (SQLite's BEGIN IMMEDIATE gives up with SQLITE_BUSY after busy_timeout): that failure is
 * read from the transaction's execution promise.
 */
async function beginTransaction(ctx: RunContext): Promise<Knex.Transaction> {
  const locked = (e: unknown) => (runtimeOf(ctx).classifyError(e) === 'busy' ? lockedError(Math.ceil(ctx.config.lockTimeoutMs / 1000)) : e);
  let trx: Knex.Transaction;
  try {
    trx = await ctx.db.knex.transaction();
  } catch (e) {
    throw locked(e);
  }
  if (trx.isCompleted()) {
    const failure = await executionPromise(trx)?.then(
      () => undefined,
      (e: unknown) => e,
    );
    throw locked(failure ?? new Error('the migration transaction could not start'));
  }
  return trx;
}
