import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { KilnError, messageOf } from '../errors';
import { dialectOf } from '../dialect/registry';
import { dialectOfScheme, redact } from './url';

/**
 * An existing Knex project's knexfile as kiln's configuration, for a project with no
 * kiln.config: the environment chosen as the Knex CLI chooses it (`--env`, else `NODE_ENV`, else
 * `development`; a knexfile that is one config and not a map of environments is used as it is),
 * its connection turned into a database URL, `migrations.directory`, `migrations.tableName`,
 * `migrations.loadExtensions`, `seeds.directory` and PostgreSQL's `searchPath` (the schema).
 * The export may be an object, a promise, or a function (sync or async) returning one; `.mjs`
 * (and a `.js` that is an ES module) is imported. It is code: kiln loads it only when it is the
 * nearest config of the project (never above the home folder, as for kiln.config) and refuses
 * one that another user owns or can write.
 */
export const KNEXFILES = ['knexfile.js', 'knexfile.mjs', 'knexfile.ts', 'knexfile.cjs'];

export function isKnexfile(file: string): boolean {
  return /^knexfile\.(?:js|mjs|ts|cjs)$/.test(path.basename(file));
}

/** What kiln takes from a knexfile environment (paths relative to the knexfile's folder). */
export interface KnexfileSettings {
  readonly database: string;
  readonly migrations?: string;
  readonly seeds?: string;
  readonly tableName?: string;
  readonly schema?: string;
  readonly loadExtensions?: string[];
  /** The environment read, or null for a knexfile that is a single config. */
  readonly environment: string | null;
}

export async function readKnexfile(file: string, rel: string, environment: string): Promise<KnexfileSettings> {
  assertTrusted(file, rel);
  let exported: unknown;
  try {
    exported = await importKnexfile(file);
  } catch (e) {
    throw new KilnError('CONFIG', `cannot load knexfile ${rel}: ${redact(messageOf(e))}`, { cause: e });
  }
  let all: unknown;
  try {
    all = await settle((exported as { default?: unknown } | null)?.default ?? exported);
  } catch (e) {
    throw new KilnError('CONFIG', `knexfile ${rel} failed: ${redact(messageOf(e))}`, { cause: e });
  }
  if (!all || typeof all !== 'object') throw new KilnError('CONFIG', `knexfile ${rel} must export a Knex config or an object of environments`);
  const environments = all as Record<string, unknown>;
  const chosen = Object.prototype.hasOwnProperty.call(environments, environment) ? environments[environment] : null;
  let config: unknown;
  try {
    config = chosen !== null ? await settle(chosen) : environments;
  } catch (e) {
    throw new KilnError('CONFIG', `knexfile ${rel}, environment '${environment}': ${redact(messageOf(e))}`, { cause: e });
  }
  if (!config || typeof config !== 'object' || !('client' in config)) {
    const names = Object.keys(environments).filter((k) => environments[k] && typeof environments[k] === 'object');
    throw new KilnError('CONFIG', `knexfile ${rel} has no environment '${environment}'${names.length ? ` (it has ${names.join(', ')})` : ''}`, {
      hint: 'choose one with --env NAME or NODE_ENV',
    });
  }
  const where = chosen !== null ? `knexfile ${rel}, environment '${environment}'` : `knexfile ${rel}`;
  return { ...settingsOf(config as KnexConfig, where), environment: chosen !== null ? environment : null };
}

interface KnexConfig {
  client?: unknown;
  connection?: unknown;
  searchPath?: unknown;
  migrations?: { directory?: unknown; tableName?: unknown; loadExtensions?: unknown };
  seeds?: { directory?: unknown };
}

function settingsOf(config: KnexConfig, where: string): Omit<KnexfileSettings, 'environment'> {
  const scheme = schemeOf(config.client, where);
  const migrations = config.migrations ?? {};
  const dirs = Array.isArray(migrations.directory) ? migrations.directory : migrations.directory === undefined ? [] : [migrations.directory];
  if (dirs.length > 1) throw new KilnError('CONFIG', `${where}: kiln reads one migrations folder, migrations.directory lists ${dirs.length}`);
  const seedDirs = Array.isArray(config.seeds?.directory) ? config.seeds.directory : config.seeds?.directory === undefined ? [] : [config.seeds.directory];
  const searchPath = Array.isArray(config.searchPath) ? config.searchPath[0] : config.searchPath;
  const ext = migrations.loadExtensions;
  if (ext !== undefined && !(Array.isArray(ext) && ext.every((e) => typeof e === 'string'))) throw new KilnError('CONFIG', `${where}: migrations.loadExtensions must be a list of extensions such as ['.js', '.ts']`);
  return {
    database: databaseUrlOf(scheme, config.connection, where),
    ...(dirs.length ? { migrations: stringOf(dirs[0], `${where}: migrations.directory`) } : {}),
    ...(seedDirs.length ? { seeds: stringOf(seedDirs[0], `${where}: seeds.directory`) } : {}),
    ...(migrations.tableName !== undefined ? { tableName: stringOf(migrations.tableName, `${where}: migrations.tableName`) } : {}),
    ...(typeof searchPath === 'string' && searchPath ? { schema: searchPath } : {}),
    ...(ext ? { loadExtensions: ext as string[] } : {}),
  };
}

function stringOf(value: unknown, what: string): string {
  if (typeof value !== 'string' || !value) throw new KilnError('CONFIG', `${what} must be a string`);
  return value;
}

const CLIENTS: Record<string, string> = {
  sqlite3: 'sqlite',
  sqlite: 'sqlite',
  'better-sqlite3': 'sqlite',
  pg: 'postgresql',
  postgres: 'postgresql',
  postgresql: 'postgresql',
  pgnative: 'postgresql',
  mysql: 'mysql',
  mysql2: 'mysql',
};

function schemeOf(client: unknown, where: string): string {
  const scheme = typeof client === 'string' ? CLIENTS[client] : undefined;
  if (!scheme) throw new KilnError('CONFIG', `${where}: client ${typeof client === 'string' ? `'${client}'` : '(not a name)'} is not one kiln supports (sqlite3, better-sqlite3, pg, mysql, mysql2)`);
  return scheme;
}

/** The knexfile's connection as a kiln URL; the password goes into the URL, which kiln never prints. */
function databaseUrlOf(scheme: string, connection: unknown, where: string): string {
  if (typeof connection === 'function') throw new KilnError('CONFIG', `${where}: a connection given as a function is not supported`, { hint: 'set DATABASE_URL for kiln' });
  if (typeof connection === 'string') return /^[a-z][a-z0-9+]*:\/\//i.test(connection) ? connection : badConnection(where);
  if (!connection || typeof connection !== 'object') return badConnection(where);
  const c = connection as Record<string, unknown>;
  const dialect = dialectOfScheme(scheme);
  if (dialect && dialectOf(dialect).connection.urlForm === 'file') {
    const file = c.filename;
    if (typeof file !== 'string' || !file) return badConnection(where);
    if (file === ':memory:') return 'sqlite://';
    return `sqlite:///${file.split('/').map(encodeURIComponent).join('/')}`;
  }
  if (typeof c.connectionString === 'string') return c.connectionString;
  const enc = (v: unknown) => encodeURIComponent(String(v));
  const host = typeof c.host === 'string' && c.host ? c.host : 'localhost';
  const auth = c.user !== undefined ? `${enc(c.user)}${c.password !== undefined ? `:${enc(c.password)}` : ''}@` : '';
  const port = c.port !== undefined ? `:${String(c.port)}` : '';
  if (typeof c.database !== 'string' || !c.database) throw new KilnError('CONFIG', `${where}: the connection names no database`);
  return `${scheme}://${auth}${host.includes(':') ? `[${host}]` : host}${port}/${enc(c.database)}${tlsQuery(scheme, c.ssl, where)}`;
}

function tlsQuery(scheme: string, ssl: unknown, where: string): string {
  if (ssl === undefined || ssl === false) return '';
  if (ssl === true) return '?ssl=true';
  if (ssl && typeof ssl === 'object' && Object.keys(ssl).length === 1 && (ssl as { rejectUnauthorized?: unknown }).rejectUnauthorized === false) {
    return scheme === 'postgresql' ? '?sslmode=require' : '?ssl_mode=REQUIRED';
  }
  throw new KilnError('CONFIG', `${where}: kiln cannot take these TLS settings (connection.ssl) from a knexfile`, { hint: 'set DATABASE_URL with its TLS options (see the README, Configuration)' });
}

function badConnection(where: string): never {
  throw new KilnError('CONFIG', `${where}: connection must be a URL string or an object (filename for SQLite; host, user, password, database for a server)`);
}

/** A file of code another user could have written is not run. */
function assertTrusted(file: string, rel: string): void {
  const uid = typeof process.getuid === 'function' ? process.getuid() : -1;
  if (uid < 0) return;
  const st = fs.statSync(file);
  if (st.uid !== uid && st.uid !== 0) throw new KilnError('CONFIG', `refusing to load knexfile ${rel}: it is owned by another user (uid ${st.uid}), and loading it runs its code`);
  if (st.mode & 0o002) throw new KilnError('CONFIG', `refusing to load knexfile ${rel}: other users can write it (mode ${(st.mode & 0o777).toString(8)}), and loading it runs its code`);
}

async function importKnexfile(file: string): Promise<unknown> {
  if (file.endsWith('.mjs')) return import(pathToFileURL(file).href);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { requireTs } = require('../loader/require-ts') as typeof import('../loader/require-ts');
  try {
    return requireTs(file);
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    if (code === 'ERR_REQUIRE_ESM' || code === 'ERR_REQUIRE_ASYNC_MODULE') return import(pathToFileURL(file).href);
    throw e;
  }
}

async function settle(value: unknown): Promise<unknown> {
  const called = typeof value === 'function' ? (value as () => unknown)() : value;
  return await called;
}
