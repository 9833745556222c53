/**
 * Knex's SQLite client, with transactions that start with `BEGIN IMMEDIATE`: the write lock
 * is taken at BEGIN, so a second kiln process waits (busy_timeout) instead of failing with
 * SQLITE_BUSY halfway through, and a killed process leaves no lock behind (SQLite's own file
 * lock dies with the process; the journal rolls the transaction back on the next open).
 */
// Knex internals: loaded only when a SQLite migration connection is opened.
/* eslint-disable @typescript-eslint/no-require-imports */
type Ctor = new (...args: unknown[]) => object;

let cached: Ctor | undefined;

export function immediateSqliteClient(): Ctor {
  if (cached) return cached;
  const ClientSqlite3 = require('knex/lib/dialects/sqlite3') as Ctor;
  const TransactionSqlite = require('knex/lib/dialects/sqlite3/execution/sqlite-transaction') as Ctor;
  class ImmediateTransaction extends (TransactionSqlite as unknown as new (...a: unknown[]) => {
    query(conn: unknown, sql: string): Promise<unknown>;
  }) {
    begin(conn: unknown): Promise<unknown> {
      return this.query(conn, 'BEGIN IMMEDIATE;');
    }
  }
  class ImmediateClient extends (ClientSqlite3 as unknown as new (...a: unknown[]) => object) {
    transaction(...args: unknown[]): object {
      return new ImmediateTransaction(this, ...args);
    }
  }
  cached = ImmediateClient as unknown as Ctor;
  return cached;
}
