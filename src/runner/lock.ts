import type { Knex } from 'knex';
import type { DialectRuntime } from '../dialect/runtime';
import { KilnError } from '../errors';
import { lockTableName } from './bookkeeping';

export { lockedError } from './lock-errors';

/*
 * The migration lock itself is the dialect's (DialectRuntime.acquireLock/releaseLock), taken
 * inside the run's transaction so that it dies with the process:
 * - SQLite: BEGIN IMMEDIATE already holds the database's write lock (busy_timeout waits);
 * - PostgreSQL: pg_advisory_xact_lock with lock_timeout;
 * - MySQL/MariaDB: GET_LOCK with a timeout (session lock, released in `releaseLock`).
 * Knex's lock row is then checked so a concurrent `knex migrate` is excluded too.
 */

/** Takes Knex's lock row inside the transaction (only checks it where DDL would commit it: see DialectRuntime.setsKnexLockRow). */
export async function takeKnexLockRow(trx: Knex.Transaction, runtime: DialectRuntime, tableName: string): Promise<void> {
  const lock = lockTableName(tableName);
  if (!runtime.setsKnexLockRow) {
    const row = await trx(lock).first('is_locked');
    if (row && Number(row.is_locked) === 1) throw knexLockedError(lock);
    return;
  }
  const updated = await trx(lock).where('is_locked', 0).update({ is_locked: 1 });
  if (Number(updated) === 0) throw knexLockedError(lock);
}

export async function releaseKnexLockRow(trx: Knex.Transaction, runtime: DialectRuntime, tableName: string): Promise<void> {
  if (runtime.setsKnexLockRow) await trx(lockTableName(tableName)).update({ is_locked: 0 });
}

/**
 * Says on stderr, once, that the command is waiting for the migration lock, when it has waited
 * a second (and may wait longer: with a lock timeout of a second or less it fails instead).
 * Returns the function that cancels the notice once the lock is taken or the wait failed.
 */
export function lockWaitNotice(timeoutMs: number, delayMs = 1000): () => void {
  if (timeoutMs <= delayMs) return () => undefined;
  const timer = setTimeout(() => process.stderr.write('waiting for the migration lock held by another kiln/knex process...\n'), delayMs);
  timer.unref();
  return () => clearTimeout(timer);
}

function knexLockedError(lock: string): KilnError {
  return new KilnError('LOCKED', `Knex's lock table ${lock} says a migration is running (is_locked = 1)`, {
    hint: "if no 'knex migrate' is running, it was left by a killed process: run 'kiln db unlock'",
  });
}

/** Clears Knex's lock row (`kiln db unlock`, as `knex migrate:unlock`): what it found. */
export async function forceUnlock(knex: Knex, tableName: string): Promise<'no-table' | 'not-locked' | 'cleared'> {
  const lock = lockTableName(tableName);
  if (!(await knex.schema.hasTable(lock))) return 'no-table';
  const n = await knex(lock).where('is_locked', '<>', 0).update({ is_locked: 0 });
  return Number(n) > 0 ? 'cleared' : 'not-locked';
}
