import type { Knex } from 'knex';
import { lockedError } from '../../runner/lock-errors';

/** MySQL/MariaDB: GET_LOCK with a timeout, a session lock (released by releaseMysqlLock). */
export async function acquireMysqlLock(trx: Knex.Transaction, tableName: string, timeoutMs: number): Promise<void> {
  const seconds = Math.ceil(timeoutMs / 1000);
  const [rows] = (await trx.raw('SELECT GET_LOCK(?, ?) AS got', [`kiln:${tableName}`, seconds])) as unknown as [{ got: number | null }[]];
  if (Number(rows[0]?.got) !== 1) throw lockedError(seconds);
}

export async function releaseMysqlLock(trx: Knex.Transaction, tableName: string): Promise<void> {
  await trx.raw('SELECT RELEASE_LOCK(?)', [`kiln:${tableName}`]);
}
