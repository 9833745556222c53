/**
 * Catalog connections: what the introspection needs of a database (`raw(sql, bindings)`,
 * answered as Knex's `raw` answers on that dialect) through the driver alone, without Knex,
 * whose few hundred modules and connection set-up (pool, version query, `select 1`) are most of
 * a short read-only command's start-up (`kiln db pull`). Each dialect opens its own
 * (src/dialect/<dialect>/catalog.ts, DialectRuntime.openCatalog); src/runner/database.ts
 * openCatalog() dispatches, and falls back to Knex (openDatabase) where a dialect says null.
 * Nothing here loads a driver.
 */
import type { Knex } from 'knex';

/** A catalog connection: catalog queries only (no transaction), then close. */
export interface CatalogConnection {
  /** The dialect's answer to `knex.raw(sql, bindings)`: pg's Result, mysql2's `[rows, fields]`, sqlite3's rows. */
  raw(sql: string, bindings?: readonly unknown[]): Promise<unknown>;
  /** Ends the connection(s); never throws. */
  close(): Promise<void>;
}

/** What the dialect's openCatalog is given: what the Knex path would be given. */
export interface CatalogSettings {
  /** knexConfigFor(url) of the URL openDatabase would connect to: its `connection` is the driver's settings. */
  readonly knexConfig: Knex.Config;
  /** The config's `schema` (PostgreSQL's search path, checked by runtime.checkConnected). */
  readonly schema: string | undefined;
  /** SQLite: the busy timeout in ms. */
  readonly lockTimeoutMs: number;
}

/** The top-level keys knexConfigFor gives a server URL; any other (a search path) is Knex's to honour. */
const PLAIN_SERVER_KEYS = new Set(['client', 'log', 'connection', 'pool', 'acquireConnectionTimeout']);

/**
 * Whether the Knex config of a server URL asks Knex for nothing but connections (no search path,
 * no session statement after connecting): only then does a catalog connection see what Knex's would.
 */
export function isPlainServerConfig(knexConfig: Knex.Config): boolean {
  if (Object.keys(knexConfig).some((k) => !PLAIN_SERVER_KEYS.has(k))) return false;
  const pool = (knexConfig.pool ?? {}) as Record<string, unknown>;
  return !('afterCreate' in pool);
}

/** The driver's connection settings as Knex would use them (a TLS prefer/allow provider decided by calling it). */
export async function connectionSettings(knexConfig: Knex.Config): Promise<Record<string, unknown>> {
  const c = knexConfig.connection as Record<string, unknown> | (() => Promise<Record<string, unknown>>) | undefined;
  return typeof c === 'function' ? await c() : { ...(c ?? {}) };
}

/**
 * Knex's binding of a raw statement's `?` (knex/lib/formatter/rawFormatter.js
 * replaceRawArrBindings, for plain values): each `?` takes the next binding, `\?` stays as it is
 * (the dialect's driver step reads it), and the number of bindings must match. `??` (an
 * identifier binding) is refused: no catalog query uses one.
 */
export function bindRaw(sql: string, bindings: readonly unknown[] | undefined): { sql: string; bindings: unknown[] } {
  if (bindings === undefined) return { sql, bindings: [] };
  if (!Array.isArray(bindings)) throw new Error('catalog connection: bindings must be an array');
  let index = 0;
  const out = sql.replace(/\\?\?\??/g, (match) => {
    if (match === '\\?') return match;
    if (match === '??') throw new Error('catalog connection: identifier bindings (??) are not supported');
    index++;
    return '?';
  });
  if (index !== bindings.length) throw new Error(`Expected ${bindings.length} bindings, saw ${index}`);
  if (bindings.some((b) => b === undefined)) throw new Error(`Undefined binding(s) detected when compiling RAW query: ${out}`);
  return { sql: out, bindings: [...bindings] };
}

/** One driver connection of a server catalog. */
export interface DriverConnection {
  /** Runs one statement (already in the driver's placeholder form) and answers as Knex's raw would. */
  query(sql: string, bindings: unknown[]): Promise<unknown>;
  /** Ends the connection politely. */
  end(): Promise<void>;
  /** Drops the socket at once (a connect that is given up). */
  destroy(): void;
}

/** A driver connection being opened: `ready` settles when it is connected (or failed). */
export interface OpeningConnection {
  readonly connection: DriverConnection;
  readonly ready: Promise<void>;
}

/** The error of a connect that took longer than Knex's acquireConnectionTimeout (connectionError says "connection timed out"). */
function timeoutError(ms: number): Error {
  return Object.assign(new Error(`Timeout connecting to the database (${ms} ms)`), { code: 'ETIMEDOUT' });
}

/** Opens one connection, given up (its socket dropped) after `timeoutMs`, as Knex's acquire would be. */
async function openWithin(open: () => Promise<OpeningConnection>, timeoutMs: number): Promise<DriverConnection> {
  let timer: NodeJS.Timeout | undefined;
  let late = false;
  let opening: OpeningConnection | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      late = true;
      opening?.connection.destroy();
      reject(timeoutError(timeoutMs));
    }, timeoutMs);
  });
  try {
    return await Promise.race([
      (async () => {
        opening = await open(); // the TLS provider's decision (prefer/allow) counts in the time, as in Knex's pool
        if (late) opening.connection.destroy();
        await opening.ready;
        return opening.connection;
      })(),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * A server's catalog connection: the first connection is opened at once (its failure is the
 * caller's to report), a second one when two statements are waiting, as Knex's pool of two would
 * (the introspection sends its catalog queries side by side). A second connection that cannot
 * be opened is not an error: the statements then wait for the first.
 */
export async function serverCatalog(
  open: () => Promise<OpeningConnection>,
  prepare: (sql: string, bindings: readonly unknown[] | undefined) => { sql: string; bindings: unknown[] },
  knexConfig: Knex.Config,
): Promise<CatalogConnection> {
  // Knex's acquireConnectionTimeout (knexConfigFor: 10 s; Knex's default 60 s) and its pool's size.
  const options = { timeoutMs: knexConfig.acquireConnectionTimeout ?? 60000 };
  let max = Math.max(1, (knexConfig.pool as { max?: number } | undefined)?.max ?? 10);
  const all: DriverConnection[] = [await openWithin(open, options.timeoutMs)];
  const idle: DriverConnection[] = [...all];
  const waiting: ((c: DriverConnection) => void)[] = [];
  let opening = false;
  let closed = false;
  const release = (c: DriverConnection) => {
    const next = waiting.shift();
    if (next) next(c);
    else idle.push(c);
  };
  const openAnother = () => {
    opening = true;
    openWithin(open, options.timeoutMs).then(
      (c) => {
        opening = false;
        if (closed) return void c.end().catch(() => undefined);
        all.push(c);
        release(c);
      },
      () => {
        opening = false;
        max = all.length;
      },
    );
  };
  const acquire = (): Promise<DriverConnection> => {
    const c = idle.pop();
    if (c) return Promise.resolve(c);
    if (!opening && all.length < max) openAnother();
    return new Promise((resolve) => waiting.push(resolve));
  };
  return {
    async raw(sql, bindings) {
      if (closed) throw new Error('catalog connection: closed');
      const q = prepare(sql, bindings);
      const c = await acquire();
      try {
        return await c.query(q.sql, q.bindings);
      } catch (e) {
        // As Knex reports a failed statement: the statement, ' - ', the driver's message.
        if (e instanceof Error) e.message = `${q.sql} - ${e.message}`;
        throw e;
      } finally {
        release(c);
      }
    },
    async close() {
      closed = true;
      await Promise.all(all.map((c) => c.end().catch(() => undefined)));
    },
  };
}

/** The Knex stand-in introspect() is given: `raw` only; a transaction (the probes of db check) is refused. */
export function catalogKnex(catalog: CatalogConnection): Knex {
  const refuse = () => {
    throw new Error('a catalog connection runs catalog queries only: open the database with openDatabase for a transaction');
  };
  return { raw: (sql: string, bindings?: readonly unknown[]) => catalog.raw(sql, bindings), transaction: refuse } as unknown as Knex;
}
