import type { Knex } from 'knex';
import { dialectOf } from '../dialect/registry';
import type { DatabaseUrl } from './url';
import { tlsConnection } from './tls';

export interface ConnectOptions {
  /**
   * SQLite only: whether the connection enforces foreign keys (default true: every
   * connection kiln opens for seeding, initdb or an application enforces them, so
   * ON DELETE CASCADE works). The migration runner opens with false and checks
   * `PRAGMA foreign_key_check` before each commit (SQLite's own ALTER TABLE recipe).
   */
  readonly foreignKeys?: boolean;
  /**
   * The session refuses every write (offline `--sql`: reads go to the database, writes are
   * only printed, and a statement that looks like a read but writes fails instead of writing).
   */
  readonly readOnly?: boolean;
  /** SQLite: how long a statement waits for another connection's lock, in ms (default 5000). */
  readonly busyTimeoutMs?: number;
}

/**
 * Knex's own log lines (e.g. "Acquire connection error: <stack>") would break kiln's
 * one-line errors: they are shown only with DEBUG=kiln*, the failure itself is reported once.
 */
const quiet = (() => {
  const debug = /(^|,)\s*kiln/.test(process.env.DEBUG ?? '');
  const write = (m: unknown) => {
    if (debug) process.stderr.write(`[knex] ${String(m)}\n`);
  };
  return { warn: write, error: write, deprecate: write, debug: write };
})();

/** The Knex configuration for a parsed URL. Requires no driver: Knex loads it lazily. */
export function knexConfigFor(url: DatabaseUrl, options: ConnectOptions = {}): Knex.Config {
  const dialect = dialectOf(url.dialect);
  const client = dialect.generation.knexClient;
  const readOnlySql = dialect.connection.readOnlySql;
  if (dialect.connection.urlForm === 'file') {
    const fk = options.foreignKeys ?? true;
    return {
      client,
      log: quiet,
      useNullAsDefault: true,
      // `?mode=ro` opens the file read-only (SQLite URI filename), as SQLAlchemy's URLs can.
      connection:
        url.options.mode === 'ro' && url.filename && url.filename !== ':memory:'
          ? { filename: `file:${encodeURI(url.filename).replace(/\?/g, '%3f').replace(/#/g, '%23')}?mode=ro`, flags: ['OPEN_URI'] }
          : { filename: url.filename ?? ':memory:' },
      pool: {
        min: 1,
        max: 1,
        afterCreate(conn: { run(sql: string, cb: (err: Error | null) => void): void }, done: (err: Error | null, c: unknown) => void) {
          conn.run(`PRAGMA foreign_keys = ${fk ? 'ON' : 'OFF'}`, (err) => {
            if (err) return done(err, conn);
            conn.run(`PRAGMA busy_timeout = ${Math.max(0, Math.round(options.busyTimeoutMs ?? 5000))}`, (err2) => {
              if (err2 || !options.readOnly) return done(err2, conn);
              conn.run(readOnlySql, (err3) => done(err3, conn));
            });
          });
        },
      },
    };
  }
  const connection: Record<string, unknown> = {
    host: url.host,
    port: url.port,
    user: url.user,
    password: url.password,
    database: url.database,
    ...dialect.connection.driverSettings,
  };
  return {
    client,
    log: quiet,
    connection: tlsConnection(url, connection),
    pool: {
      min: 0,
      max: 2,
      ...(options.readOnly
        ? {
            afterCreate(conn: { query(sql: string, cb: (err: Error | null) => void): void }, done: (err: Error | null, c: unknown) => void) {
              conn.query(readOnlySql, (err) => done(err, conn));
            },
          }
        : {}),
    },
    acquireConnectionTimeout: 10000,
    ...dialect.connection.knexSettings(url.options),
  };
}
