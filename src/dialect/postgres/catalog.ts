/**
 * PostgreSQL's catalog connection (src/dialect/catalog.ts): the `pg` driver with the settings
 * Knex's pg client would give it, the statements placed as Knex places them.
 */
import type { DatabaseUrl } from '../../config/url';
import { bindRaw, connectionSettings, isPlainServerConfig, serverCatalog, type CatalogConnection, type CatalogSettings, type OpeningConnection } from '../catalog';

interface PgClient {
  connect(): Promise<void>;
  query(config: { text: string; values: unknown[] }): Promise<unknown>;
  end(): Promise<void>;
  on(event: string, listener: (e?: unknown) => void): void;
  readonly connection: { readonly stream: { destroy(): void } };
}

/**
 * Knex's pg positionBindings (knex/lib/dialects/postgres): each `?` becomes `$1`, `$2`, ...; a
 * `?` after an odd number of backslashes is a literal `?` (the backslashes go).
 */
export function positionBindings(sql: string): string {
  let n = 0;
  return sql.replace(/(\\*)(\?)/g, (_match, escapes: string) => (escapes.length % 2 ? '?' : `$${++n}`));
}

/**
 * Null (Knex opens it) where Knex would do more than connect: a search path (the config's
 * `schema` or `?schema=`, which runtime.checkConnected also checks) or a session statement after
 * connecting. Knex's own `select version();` on the first connection sets nothing in the session
 * and is not sent here. A failed connect throws the driver's error (openCatalog maps it).
 */
export async function openPostgresCatalog(_url: DatabaseUrl, settings: CatalogSettings): Promise<CatalogConnection | null> {
  const { knexConfig, schema } = settings;
  if (schema || !isPlainServerConfig(knexConfig)) return null;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const pg = require('pg') as { Client: new (settings: Record<string, unknown>) => PgClient };
  const open = async (): Promise<OpeningConnection> => {
    const client = new pg.Client(await connectionSettings(knexConfig));
    client.on('error', () => undefined); // a lost connection fails the statement that uses it
    return {
      ready: client.connect(),
      connection: {
        // Knex's _query: { text, values } and the driver's Result, as `raw` answers.
        query: (text, values) => client.query({ text, values }),
        end: () => client.end(),
        // As pg's own connectionTimeoutMillis gives up (end() would wait for a server that does not answer).
        destroy: () => client.connection.stream.destroy(),
      },
    };
  };
  const prepare = (sql: string, bindings: readonly unknown[] | undefined) => {
    const bound = bindRaw(sql, bindings);
    return { sql: positionBindings(bound.sql), bindings: bound.bindings };
  };
  return serverCatalog(open, prepare, knexConfig);
}
