import type { Knex } from 'knex';
import { lockedError } from '../../runner/lock-errors';

/**
 * The lock's name. GET_LOCK names are server-wide (not per database) and at most 64
 * characters: the name hashes the database and the bookkeeping table, so that migrations of
 * two databases on one server do not wait for each other.
 */
const LOCK_NAME = "CONCAT('kiln:', SHA1(CONCAT(DATABASE(), '.', ?)))";

/** MySQL/MariaDB: GET_LOCK with a timeout, a session lock (released by releaseMysqlLock). */
export async function acquireMysqlLock(trx: Knex.Transaction, tableName: string, timeoutMs: number): Promise<void> {
  const seconds = Math.ceil(timeoutMs / 1000);
  const [rows] = (await trx.raw(`SELECT GET_LOCK(${LOCK_NAME}, ?) AS got`, [tableName, seconds])) as unknown as [{ got: number | null }[]];
  if (Number(rows[0]?.got) !== 1) throw lockedError(seconds);
}

export async function releaseMysqlLock(trx: Knex.Transaction, tableName: string): Promise<void> {
  await trx.raw(`SELECT RELEASE_LOCK(${LOCK_NAME})`, [tableName]);
}

/** MySQL/MariaDB, for a step without a transaction: GET_LOCK on a connection of its own. */
export async function mysqlSessionLock(knex: Knex, tableName: string, timeoutMs: number): Promise<{ release(): Promise<void> }> {
  const seconds = Math.ceil(timeoutMs / 1000);
  const conn: unknown = await knex.client.acquireConnection();
  const raw = (sql: string, bindings: readonly unknown[]) => knex.raw(sql, bindings as Knex.RawBinding[]).connection(conn);
  try {
    const [rows] = (await raw(`SELECT GET_LOCK(${LOCK_NAME}, ?) AS got`, [tableName, seconds])) as unknown as [{ got: number | null }[]];
    if (Number(rows[0]?.got) !== 1) throw lockedError(seconds);
  } catch (e) {
    await knex.client.releaseConnection(conn);
    throw e;
  }
  return {
    async release() {
      try {
        await raw(`SELECT RELEASE_LOCK(${LOCK_NAME})`, [tableName]);
      } finally {
        await knex.client.releaseConnection(conn);
      }
    },
  };
}
