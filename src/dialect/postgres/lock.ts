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

/**
 * PostgreSQL, for a step without a transaction: pg_advisory_lock on a connection of its own
 * (the same key as the transaction lock, so the two exclude each other), released by
 * pg_advisory_unlock or by the connection's end.
 */
export async function postgresSessionLock(knex: Knex, tableName: string, timeoutMs: number): Promise<{ release(): Promise<void> }> {
  const key = `kiln:${tableName}`;
  const conn: unknown = await knex.client.acquireConnection();
  const raw = (sql: string, bindings: readonly unknown[] = []) => knex.raw(sql, bindings as Knex.RawBinding[]).connection(conn);
  try {
    await raw(`SET lock_timeout = ${Math.max(1, timeoutMs)}`);
    await raw('SELECT pg_advisory_lock(hashtext(?))', [key]);
    await raw('SET lock_timeout = DEFAULT');
  } catch (e) {
    await knex.client.releaseConnection(conn);
    if ((e as { code?: string }).code === '55P03') throw lockedError(Math.ceil(timeoutMs / 1000));
    throw e;
  }
  return {
    async release() {
      try {
        await raw('SELECT pg_advisory_unlock(hashtext(?))', [key]);
      } finally {
        await knex.client.releaseConnection(conn);
      }
    },
  };
}

const CONCURRENT_INDEX_RE = /^\s*create\s+(?:unique\s+)?index\s+concurrently\s+(?:if\s+not\s+exists\s+)?("(?:[^"]|"")+"|[A-Za-z_][\w$]*)/i;

/**
 * A CREATE INDEX CONCURRENTLY that failed or was killed leaves its index behind, INVALID: the
 * same statement then fails ("already exists") or, with IF NOT EXISTS, keeps the broken index.
 * Before such a statement runs again, an invalid index of that name is dropped (concurrently).
 */
export async function dropInvalidIndexBefore(sql: string, run: (sql: string, bindings?: unknown[]) => Promise<unknown[]>): Promise<void> {
  const m = CONCURRENT_INDEX_RE.exec(sql);
  if (!m) return;
  const name = m[1].startsWith('"') ? m[1].slice(1, -1).replace(/""/g, '"') : m[1].toLowerCase();
  const rows = (await run(
    `select n.nspname as schema from pg_catalog.pg_index i join pg_catalog.pg_class c on c.oid = i.indexrelid
     join pg_catalog.pg_namespace n on n.oid = c.relnamespace
     where c.relname = ? and n.nspname = current_schema() and not i.indisvalid`,
    [name],
  )) as { schema: string }[];
  if (rows.length) await run('DROP INDEX CONCURRENTLY IF EXISTS ??.??', [rows[0].schema, name]);
}
