import * as fs from 'node:fs';
import * as path from 'node:path';
import { KilnError, messageOf } from '../errors';
import { decodeUrlPart, redact } from './url';

/** What a user writes in kiln.config.ts (every field optional). */
export interface KilnConfig {
  /** A models file or folder (default `models`). */
  models?: string;
  /** The migrations folder (default `migrations`). */
  migrations?: string;
  /** The seeds folder (default `seeds`). */
  seeds?: string;
  /** Database URL in SQLAlchemy's form; `DATABASE_URL` wins over it. */
  database?: string;
  /** Knex's bookkeeping table (default `knex_migrations`; the lock table adds `_lock`). */
  tableName?: string;
  /** PostgreSQL schema to manage (default `public`, or the URL's `?schema=`). */
  schema?: string;
  /** How long to wait for another process's migration lock, in seconds (default 60). */
  lockTimeout?: number;
}

/** The configuration with every path absolute and every default applied. */
export interface ResolvedConfig {
  readonly root: string;
  readonly configFile: string | null;
  readonly models: string;
  readonly migrations: string;
  readonly seeds: string;
  readonly databaseUrl: string;
  /** Where the URL came from, for messages: 'DATABASE_URL', the config file, or 'default'. */
  readonly databaseSource: string;
  readonly tableName: string;
  readonly schema: string | undefined;
  readonly lockTimeoutMs: number;
}

export const CONFIG_FILES = ['kiln.config.ts', 'kiln.config.js', 'kiln.config.cjs'];
export const DEFAULT_DATABASE_URL = 'sqlite:///data.db';

/** Identity function that gives a config file its types. */
export function defineConfig(config: KilnConfig): KilnConfig {
  return config;
}

export interface LoadConfigOptions {
  cwd?: string;
  /** An explicit config file (`--config`); must exist. */
  configFile?: string;
  /** Overrides the migrations folder (`--directory`). */
  directory?: string;
  /** Overrides the PostgreSQL schema (`--schema`). */
  schema?: string;
  env?: NodeJS.ProcessEnv;
}

export function findConfigFile(cwd: string): string | null {
  for (const name of CONFIG_FILES) {
    const file = path.join(cwd, name);
    if (fs.existsSync(file)) return file;
  }
  return null;
}

export function loadConfig(options: LoadConfigOptions = {}): ResolvedConfig {
  const cwd = options.cwd ?? process.cwd();
  const env = options.env ?? process.env;
  let configFile: string | null;
  if (options.configFile) {
    configFile = path.resolve(cwd, options.configFile);
    if (!fs.existsSync(configFile)) throw new KilnError('CONFIG', `config file not found: ${options.configFile}`);
  } else {
    configFile = findConfigFile(cwd);
  }
  const user = configFile ? readConfigFile(configFile, cwd) : {};
  const root = configFile ? path.dirname(configFile) : cwd;
  const rel = configFile ? path.relative(cwd, configFile) || path.basename(configFile) : null;
  const envUrl = env.DATABASE_URL?.trim();
  const databaseUrl = envUrl || user.database || DEFAULT_DATABASE_URL;
  const databaseSource = envUrl ? 'DATABASE_URL' : user.database ? rel! : 'default';
  const envTimeout = env.KILN_LOCK_TIMEOUT?.trim();
  const lockTimeout = envTimeout ? Number(envTimeout) : (user.lockTimeout ?? 60);
  if (!Number.isFinite(lockTimeout) || lockTimeout < 0) {
    throw new KilnError('CONFIG', `lock timeout must be a number of seconds >= 0, got '${String(lockTimeout)}'`);
  }
  return {
    root,
    configFile,
    models: path.resolve(root, user.models ?? 'models'),
    migrations: options.directory ? path.resolve(cwd, options.directory) : path.resolve(root, user.migrations ?? 'migrations'),
    seeds: path.resolve(root, user.seeds ?? 'seeds'),
    databaseUrl,
    databaseSource,
    tableName: user.tableName ?? 'knex_migrations',
    schema: options.schema ?? user.schema ?? schemaOfUrl(databaseUrl),
    lockTimeoutMs: Math.round(lockTimeout * 1000),
  };
}

/** `?schema=` of a PostgreSQL URL; a URL that does not parse is reported when it is used. */
function schemaOfUrl(url: string): string | undefined {
  const m = /[?&]schema=([^&#]+)/.exec(url);
  return m ? decodeUrlPart(m[1], "option 'schema'") : undefined;
}

const KNOWN_KEYS = new Set(['models', 'migrations', 'seeds', 'database', 'tableName', 'schema', 'lockTimeout']);

function readConfigFile(file: string, cwd: string): KilnConfig {
  const rel = path.relative(cwd, file) || file;
  let exported: unknown;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { requireTs } = require('../loader/require-ts') as typeof import('../loader/require-ts');
    exported = requireTs(file);
  } catch (e) {
    throw new KilnError('CONFIG', `cannot load config file ${rel}: ${redact(messageOf(e))}`, { cause: e });
  }
  const config = (exported as { default?: unknown })?.default ?? exported;
  if (!config || typeof config !== 'object') {
    throw new KilnError('CONFIG', `config file ${rel} must export an object (export default defineConfig({...}))`);
  }
  for (const [key, value] of Object.entries(config)) {
    if (!KNOWN_KEYS.has(key)) {
      throw new KilnError('CONFIG', `config file ${rel}: unknown option '${key}' (known: ${[...KNOWN_KEYS].join(', ')})`);
    }
    const wantsNumber = key === 'lockTimeout';
    if (value !== undefined && (wantsNumber ? typeof value !== 'number' : typeof value !== 'string')) {
      throw new KilnError('CONFIG', `config file ${rel}: option '${key}' must be a ${wantsNumber ? 'number' : 'string'}`);
    }
  }
  return config as KilnConfig;
}
