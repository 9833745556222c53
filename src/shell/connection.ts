import type { Knex } from 'knex';
import { knexConfigFor } from '../config/knex-config';
import type { ResolvedConfig } from '../config/load';
import { parseDatabaseUrl, type DatabaseUrl } from '../config/url';
import { dialectOf } from '../dialect/registry';
import { connectionError } from '../runner/database';

/**
 * The shell's database: the configured Knex instance, created on first use (Knex itself is
 * loaded only then, and connects only at the first query), with every connection it opens
 * tracked so that Ctrl-C can cancel the queries running on them.
 */
export interface ShellConnection {
  readonly url: DatabaseUrl;
  /** The Knex instance (created on first call). */
  knex(): Knex;
  /** Whether a query is running now. */
  busy(): boolean;
  /** Cancels every query running now; resolves when the cancel requests are sent. */
  cancelRunning(): Promise<number>;
  /** Maps a driver's connect error to one line (other errors come back unchanged). */
  explain(e: unknown): unknown;
  close(): Promise<void>;
}

type RawConnection = { __knexUid?: string; interrupt?: () => void };
type AfterCreate = (conn: unknown, done: (err: Error | null, conn: unknown) => void) => void;

export function shellConnection(config: ResolvedConfig): ShellConnection {
  const url = parseDatabaseUrl(config.databaseUrl, config.root);
  let instance: Knex | undefined;
  const connections = new Set<RawConnection>();
  const running = new Map<string, number>();

  const create = (): Knex => {
    const { runtime } = dialectOf(url.dialect);
    const { url: connectTo } = runtime.prepareOpen(url, {});
    const knexConfig = knexConfigFor(connectTo, { busyTimeoutMs: config.lockTimeoutMs });
    runtime.configureKnex(knexConfig, { schema: config.schema });
    const pool = (knexConfig.pool ?? {}) as { afterCreate?: AfterCreate };
    const previous = pool.afterCreate;
    pool.afterCreate = (conn, done) => {
      connections.add(conn as RawConnection);
      if (previous) previous(conn, done);
      else done(null, conn);
    };
    knexConfig.pool = pool as Knex.PoolConfig;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const knexFactory = require('knex') as typeof import('knex').knex;
    const knex = knexFactory(knexConfig);
    const count = (uid: string | undefined, delta: number): void => {
      if (!uid) return;
      const n = (running.get(uid) ?? 0) + delta;
      if (n > 0) running.set(uid, n);
      else running.delete(uid);
    };
    knex.on('query', (q: { __knexUid?: string }) => count(q.__knexUid, +1));
    knex.on('query-response', (_r: unknown, q: { __knexUid?: string }) => count(q.__knexUid, -1));
    knex.on('query-error', (_e: unknown, q: { __knexUid?: string }) => count(q.__knexUid, -1));
    return knex;
  };

  return {
    url,
    knex: () => (instance ??= create()),
    busy: () => running.size > 0,
    async cancelRunning() {
      if (!instance) return 0;
      const client = instance.client as { cancelQuery?: (conn: unknown) => Promise<unknown> };
      const targets = [...connections].filter((c) => c.__knexUid && running.has(c.__knexUid));
      running.clear();
      await Promise.all(
        targets.map(async (conn) => {
          // SQLite runs in this process: sqlite3's interrupt() stops the statement at once.
          // The servers: Knex's cancelQuery sends pg_cancel_backend / KILL QUERY on a second connection.
          if (typeof conn.interrupt === 'function') conn.interrupt();
          else await client.cancelQuery?.(conn);
        }),
      );
      return targets.length;
    },
    explain(e) {
      const code = (e as { code?: string } | null)?.code ?? '';
      if (/^(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|28P01|28000|3D000|ER_ACCESS_DENIED_ERROR|ER_BAD_DB_ERROR|SQLITE_CANTOPEN|SQLITE_NOTADB)$/.test(code)) {
        return connectionError(e, url);
      }
      return e;
    },
    async close() {
      if (instance) await instance.destroy();
    },
  };
}
