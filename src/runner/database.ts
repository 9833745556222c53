import * as fs from 'node:fs';
import type { Knex } from 'knex';
import { knexConfigFor } from '../config/knex-config';
import type { ResolvedConfig } from '../config/load';
import { parseDatabaseUrl, redact, type DatabaseUrl } from '../config/url';
import { isKilnError, KilnError, messageOf } from '../errors';
import { catalogKnex, type CatalogConnection } from '../dialect/catalog';
import { dialectOf } from '../dialect/registry';
import { NO_TLS_ON_SERVER } from '../config/tls';

export interface Database {
  readonly knex: Knex;
  readonly url: DatabaseUrl;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** SQLite: enforce foreign keys (default true). The migration runner opens with false. */
  readonly foreignKeys?: boolean;
  /** SQLite: transactions start with BEGIN IMMEDIATE and wait `lockTimeoutMs` for the lock. */
  readonly migrationLock?: boolean;
  /**
   * SQLite: never create the file. When it does not exist, read from an empty in-memory
   * database instead (read-only commands and offline SQL change nothing, not even by creating a file).
   */
  readonly noCreate?: boolean;
  /** The session refuses writes (offline SQL). */
  readonly readOnly?: boolean;
}

/** Opens the configured database and checks the connection, mapping failures to one line. */
export async function openDatabase(config: ResolvedConfig, options: OpenOptions = {}): Promise<Database> {
  const url = parseDatabaseUrl(config.databaseUrl, config.root);
  const { runtime } = dialectOf(url.dialect);
  // SQLite: a file this run creates is removed again at close if nothing was written to it.
  const { url: connectTo, created } = runtime.prepareOpen(url, { noCreate: options.noCreate });
  const knexConfig = knexConfigFor(connectTo, { foreignKeys: options.foreignKeys, readOnly: options.readOnly, busyTimeoutMs: config.lockTimeoutMs });
  runtime.configureKnex(knexConfig, { migrationLock: options.migrationLock, schema: config.schema });
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const knexFactory = require('knex') as typeof import('knex').knex;
  const knex = knexFactory(knexConfig);
  const close = async (): Promise<void> => {
    try {
      await knex.destroy();
    } finally {
      if (created) removeIfEmpty(created);
    }
  };
  try {
    await knex.raw('select 1');
  } catch (e) {
    await close().catch(() => undefined);
    throw connectionError(e, url);
  }
  try {
    await runtime.checkConnected(knex, url, config.schema);
  } catch (e) {
    await close().catch(() => undefined);
    throw e;
  }
  return { knex, url, close };
}

/**
 * A handle for catalog queries only (`introspect()`: `knex.raw`, no transaction), through the
 * dialect's driver alone (DialectRuntime.openCatalog, src/dialect/catalog.ts): no Knex, whose
 * few hundred modules, pool and connection checks are a large part of a short read-only
 * command's start-up (`db pull`). Null where {@link openDatabase} must open it: the dialect says
 * so (the Knex path would do more than connect: a search path, a schema check, URL options on
 * SQLite), or a SQLite file that does not exist (openDatabase reads an empty database then) or
 * that the driver cannot read (openDatabase reports it, in its words). A server that refuses the
 * connection fails here with openDatabase's one line: it is not tried a second time.
 */
export async function openCatalog(config: ResolvedConfig): Promise<Database | null> {
  const url = parseDatabaseUrl(config.databaseUrl, config.root);
  const { runtime } = dialectOf(url.dialect);
  // The same checks as openDatabase's; where it would open something else (SQLite's missing file) or create a file: null.
  const prepared = runtime.prepareOpen(url, { noCreate: true });
  if (prepared.created || prepared.url.filename !== url.filename) return null;
  // The settings openDatabase would give Knex (TLS files read, a TLS prefer/allow provider), hence the driver.
  const knexConfig = knexConfigFor(prepared.url, { busyTimeoutMs: config.lockTimeoutMs });
  let catalog: CatalogConnection | null;
  try {
    catalog = await runtime.openCatalog(prepared.url, { knexConfig, schema: config.schema, lockTimeoutMs: config.lockTimeoutMs });
  } catch (e) {
    if (isKilnError(e)) throw e;
    throw connectionError(e, url);
  }
  return catalog && { knex: catalogKnex(catalog), url, close: () => catalog.close() };
}

/**
 * Removes a database file this run created when it is still empty (0 bytes: no page was ever
 * committed), so a failed or no-op command leaves no `data.db` behind. A file with a journal or
 * WAL beside it is in use by another connection and stays.
 */
function removeIfEmpty(file: string): void {
  try {
    if (fs.statSync(file).size !== 0) return;
    if (['-journal', '-wal'].some((s) => fs.existsSync(file + s))) return;
    fs.unlinkSync(file);
  } catch {
    // already gone, or not ours to remove
  }
}

/** A driver error at connect time, as one line without the password. */
export function connectionError(e: unknown, url: DatabaseUrl): KilnError {
  const err = e as { code?: string; errno?: number; message?: string };
  const where = url.display;
  const code = err.code ?? '';
  let reason = messageOf(e);
  if (code === 'ECONNREFUSED') reason = 'connection refused (is the server running?)';
  else if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') reason = `unknown host '${url.host}'`;
  else if (code === 'ETIMEDOUT' || /timeout/i.test(reason)) reason = 'connection timed out';
  // pg_hba.conf said no (e.g. 'no pg_hba.conf entry for host ..., no encryption'): its words say why.
  else if (code === '28000' && /pg_hba/.test(reason)) reason = `the server refused the connection: ${reason}`;
  else if (code === '28P01' || code === 'ER_ACCESS_DENIED_ERROR' || code === '28000') {
    reason = `authentication failed for user '${url.user ?? ''}'`;
  } else if (code === '3D000' || code === 'ER_BAD_DB_ERROR') reason = `database '${url.database}' does not exist`;
  else if (NO_TLS_ON_SERVER.test(reason)) reason = "the server does not offer TLS, which the URL's TLS option requires (the password was not sent)";
  else if (code === 'SQLITE_CANTOPEN') reason = 'unable to open the database file';
  else if (code === 'SQLITE_NOTADB') reason = 'file is not a SQLite database';
  return new KilnError('CONNECTION', `cannot connect to ${where}: ${redact(reason)}`, { cause: e });
}
