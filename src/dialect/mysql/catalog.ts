/**
 * MySQL/MariaDB's catalog connection (src/dialect/catalog.ts): the `mysql2` driver with the
 * settings Knex's mysql2 client would give it; mysql2 takes Knex's `?` placeholders as they are.
 */
import type { DatabaseUrl } from '../../config/url';
import { bindRaw, connectionSettings, isPlainServerConfig, serverCatalog, type CatalogConnection, type CatalogSettings, type OpeningConnection } from '../catalog';

interface Mysql2Connection {
  connect(cb: (err: unknown) => void): void;
  query(options: { sql: string }, values: unknown[], cb: (err: unknown, rows: unknown, fields: unknown) => void): void;
  end(cb: (err?: unknown) => void): void;
  readonly stream: { destroy(): void };
  on(event: string, listener: (e?: unknown) => void): void;
}

/**
 * Null (Knex opens it) where Knex would do more than connect (a session statement after
 * connecting). Knex's `select version() as version` on its first connection sets nothing in the
 * session and is not sent here. A failed connect throws the driver's error (openCatalog maps it).
 */
export async function openMysqlCatalog(_url: DatabaseUrl, settings: CatalogSettings): Promise<CatalogConnection | null> {
  const { knexConfig } = settings;
  if (!isPlainServerConfig(knexConfig)) return null;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mysql = require('mysql2') as { createConnection(settings: Record<string, unknown>): Mysql2Connection };
  const open = async (): Promise<OpeningConnection> => {
    // Knex's acquireRawConnection (knex/lib/dialects/mysql): createConnection, then connect.
    const connection = mysql.createConnection(await connectionSettings(knexConfig));
    connection.on('error', () => undefined); // a lost connection fails the statement that uses it
    const ready = new Promise<void>((resolve, reject) =>
      connection.connect((err) => (err ? reject(err) : resolve())),
    );
    return {
      ready,
      connection: {
        // Knex's _query: `{ sql }`, the bindings, and `[rows, fields]` as `raw` answers.
        query: (sql, values) =>
          new Promise((resolve, reject) => connection.query({ sql }, values, (err, rows, fields) => (err ? reject(err) : resolve([rows, fields])))),
        end: () => new Promise<void>((resolve, reject) => connection.end((err) => (err ? reject(err) : resolve()))),
        // As mysql2's own connectTimeout gives up (its destroy() ends the socket politely and waits for the server).
        destroy: () => connection.stream.destroy(),
      },
    };
  };
  return serverCatalog(open, bindRaw, knexConfig);
}
