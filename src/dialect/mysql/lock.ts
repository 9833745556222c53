import type { Knex } from 'knex';
import { lockedError } from '../../runner/lock-errors';

/**
 * The lock's name. GET_LOCK names are server-wide: the database is part of the name, so runs on
 * two databases of one server (a scratch database beside the real one, two projects) do not wait
 * for each other. Hashed: a name is at most 64 characters.
 */
const LOCK_NAME = "CONCAT('kiln:', SHA1(CONCAT(COALESCE(DATABASE(), ''), '.', ?)))";

/** MySQL/MariaDB: GET_LOCK with a timeout, a session lock (released by releaseMysqlLock). */
export async function acquireMysqlLock(trx: Knex.Transaction, tableName: string, timeoutMs: number): Promise<void> {
  const seconds = Math.ceil(timeoutMs / 1000);
  const [rows] = (await trx.raw(`SELECT GET_LOCK(${LOCK_NAME}, ?) AS got`, [tableName, seconds])) as unknown as [{ got: number | null }[]];
  if (Number(rows[0]?.got) !== 1) throw lockedError(seconds);
}

export async function releaseMysqlLock(trx: Knex.Transaction, tableName: string): Promise<void> {
  await trx.raw(`SELECT RELEASE_LOCK(${LOCK_NAME})`, [tableName]);
}
