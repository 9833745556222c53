import type { Knex } from 'knex';
import { lockedError } from '../../runner/lock-errors';

/** PostgreSQL: pg_advisory_xact_lock with lock_timeout (released with the transaction). */
export async function acquirePostgresLock(trx: Knex.Transaction, tableName: string, timeoutMs: number): Promise<void> {
  const key = `kiln:${tableName}`;
  const seconds = Math.ceil(timeoutMs / 1000);
  await trx.raw(`SET LOCAL lock_timeout = ${Math.max(1, timeoutMs)}`);
  try {
    await trx.raw('SELECT pg_advisory_xact_lock(hashtext(?))', [key]);
  } catch (e) {
    if ((e as { code?: string }).code === '55P03') throw lockedError(seconds);
    throw e;
  }
  await trx.raw('SET LOCAL lock_timeout = DEFAULT');
}
