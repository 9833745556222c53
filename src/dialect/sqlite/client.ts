/**
 * Knex's SQLite client, with transactions that start with `BEGIN IMMEDIATE`: the write lock
 * is taken at BEGIN, so a second kiln process waits (busy_timeout) instead of failing with
 * SQLITE_BUSY halfway through, and a killed process leaves no lock behind (SQLite's own file
 * lock dies with the process; the journal rolls the transaction back on the next open).
 */
import { sqlite3Classes } from '../../knex-internals';

type Ctor = new (...args: unknown[]) => object;

let cached: Ctor | undefined;

export function immediateSqliteClient(): Ctor {
  if (cached) return cached;
  // Knex internals (src/knex-internals.ts): loaded only when a SQLite migration connection is opened.
  const { Client: ClientSqlite3, Transaction: TransactionSqlite } = sqlite3Classes();
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
