import type { Knex } from 'knex';
import { executionPromise } from '../knex-internals';
import type { ResolvedConfig } from '../config/load';
import { dialectOf } from '../dialect/registry';
import type { DialectRuntime } from '../dialect/runtime';
import { KilnError, isKilnError } from '../errors';
import { ensureTables } from './bookkeeping';
import type { Database } from './database';
import { commitError, commitTransaction } from './commit';
import { guardRun, type RunGuard } from './interrupt';
import { lockedError, lockWaitNotice, releaseKnexLockRow, takeKnexLockRow } from './lock';

/** What the runner needs: the config and a database opened with { foreignKeys: false, migrationLock: true }. */
export interface TransactionContext {
  readonly config: ResolvedConfig;
  readonly db: Database;
}

/**
 * An interruption that stops the run at a migration boundary and keeps what ran: the
 * transaction commits, then this error is reported (MySQL, where DDL cannot be rolled back).
 */
export class CommitThenInterrupt extends KilnError {
  constructor(message: string, options: { hint?: string; exit?: number }) {
    super('INTERRUPTED', message, options);
  }
}

/** The dialect of the run's database. */
export const runtimeOf = (ctx: TransactionContext): DialectRuntime => dialectOf(ctx.db.url.dialect).runtime;

/** The one transaction of a run: lock, bookkeeping tables, work, Knex lock row released, commit. */
export async function inLockedTransaction<T>(ctx: TransactionContext, what: () => string, work: (trx: Knex.Transaction, guard: RunGuard) => Promise<T>): Promise<T> {
  const { knex } = ctx.db;
  const guard = guardRun(knex, { betweenMigrations: runtimeOf(ctx).letRunningMigrationFinishOnSignal });
  try {
    return await guardedTransaction(ctx, guard, what, work);
  } finally {
    guard.release();
  }
}

async function guardedTransaction<T>(ctx: TransactionContext, guard: RunGuard, what: () => string, work: (trx: Knex.Transaction, guard: RunGuard) => Promise<T>): Promise<T> {
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
    if (e instanceof CommitThenInterrupt) {
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
async function beginTransaction(ctx: TransactionContext): Promise<Knex.Transaction> {
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
