import * as fs from 'node:fs';
import * as path from 'node:path';
import { KilnError, messageOf } from '../errors';
import { isKnexfile, KNEXFILES, readKnexfile } from './knexfile';
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
  /**
   * PostgreSQL: every schema kiln manages (issue 12 item 5), e.g. `['public', 'billing']`; the
   * default schema (`schema`) is always one. A model names its own with `{ schema: 'billing' }`;
   * tables of schemas not listed are invisible to every command.
   */
  schemas?: string[];
  /** How long to wait for another process's migration lock, in seconds (default 60). */
  lockTimeout?: number;
  /**
   * What `kiln shell` adds to its scope (Flask's `shell_context_processor`): called with the
   * shell's scope (`knex`, the models by name), returns (or resolves to) more names.
   */
  shellContext?: ShellContextFn;
  /** Only these tables are kiln's (names or globs: `*`, `?`); the others are invisible to every command. */
  include?: string[];
  /** Tables kiln leaves alone (names or globs), e.g. another application's: invisible to every command. */
  exclude?: string[];
  /**
   * PostgreSQL and MySQL/MariaDB: `db migrate` writes changes to existing tables in their
   * online-safe form (concurrent index builds, constraints added NOT VALID then validated, short
   * lock timeouts with retries; src/render/online.ts). Default true; false writes the plain form.
   */
  online?: boolean;
}

/** `shellContext` in kiln.config.ts. */
export type ShellContextFn = (scope: Readonly<Record<string, unknown>>) => Record<string, unknown> | Promise<Record<string, unknown>>;

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
  /** Config `schemas` without the default schema (`schema`, else `public`): the other schemas kiln manages. */
  readonly schemas: readonly string[];
  readonly lockTimeoutMs: number;
  /** `shellContext` from the config file, or null. */
  readonly shellContext: ShellContextFn | null;
  /** Config `include` / `exclude` (src/introspect/table-filter.ts); absent: every table. */
  readonly include?: readonly string[];
  readonly exclude?: readonly string[];
  /** A knexfile's `migrations.loadExtensions`: only files with these endings are migrations. */
  readonly loadExtensions?: readonly string[];
  /** Config `online` (default true): `db migrate` writes online-safe migrations on PostgreSQL and MySQL. */
  readonly online: boolean;
}

export const CONFIG_FILES = ['kiln.config.ts', 'kiln.config.js', 'kiln.config.cjs'];
export const DEFAULT_DATABASE_URL = 'sqlite:///data.db';

/**
 * Identity function that gives a config file its types. The config may also be a promise, or a
 * function (sync or async) returning it: kiln awaits it.
 */
export function defineConfig(config: KilnConfig): KilnConfig;
export function defineConfig(config: Promise<KilnConfig>): Promise<KilnConfig>;
export function defineConfig(config: () => KilnConfig | Promise<KilnConfig>): () => KilnConfig | Promise<KilnConfig>;
export function defineConfig<T>(config: T): T {
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
  /** A knexfile's environment (`--env`); default `NODE_ENV`, else `development`. */
  environment?: string;
  env?: NodeJS.ProcessEnv;
}

/**
 * The config file of the project `cwd` is in: `kiln.config.ts` (or `.js`, `.cjs`) in `cwd` or the
 * nearest folder above it, as git and Knex find theirs. The search stops at the first folder
 * holding a config file, and does not cross the home folder upwards (a stray config in a parent of
 * home is not a project). In a folder without a kiln config, an existing Knex project's
 * knexfile (`.js`, `.mjs`, `.ts`, `.cjs`) is the config (src/config/knexfile.ts). Null when there
 * is none: the current folder is then the project.
 */
export function findConfigFile(cwd: string, env: NodeJS.ProcessEnv = process.env): string | null {
  const home = env.HOME ? path.resolve(env.HOME) : null;
  let dir = path.resolve(cwd);
  for (;;) {
    for (const name of [...CONFIG_FILES, ...KNEXFILES]) {
      const file = path.join(dir, name);
      if (fs.existsSync(file)) return file;
    }
    const parent = path.dirname(dir);
    if (parent === dir || dir === home) return null;
    dir = parent;
  }
}

/**
 * Reads the configuration. A config file's default export may be an object, a promise of one,
 * or a function (sync or async) returning one; it is awaited.
 */
export async function loadConfig(options: LoadConfigOptions = {}): Promise<ResolvedConfig> {
  const cwd = options.cwd ?? process.cwd();
  const env = options.env ?? process.env;
  let configFile: string | null;
  if (options.configFile) {
    configFile = path.resolve(cwd, options.configFile);
    if (!fs.existsSync(configFile)) throw new KilnError('CONFIG', `config file not found: ${options.configFile}`);
  } else {
    configFile = findConfigFile(cwd, env);
  }
  const rel = configFile ? path.relative(cwd, configFile) || path.basename(configFile) : null;
  let user: KilnConfig & { loadExtensions?: string[] } = {};
  let source = rel;
  if (configFile && isKnexfile(configFile)) {
    const knexfile = await readKnexfile(configFile, rel!, options.environment ?? (env.NODE_ENV || 'development'));
    user = knexfile;
    if (knexfile.environment !== null) source = `${rel} (${knexfile.environment})`;
  } else if (configFile) {
    user = await readConfigFile(configFile, cwd);
  }
  const root = configFile ? path.dirname(configFile) : cwd;
  const envUrl = env.DATABASE_URL?.trim();
  const databaseUrl = envUrl || user.database || DEFAULT_DATABASE_URL;
  const databaseSource = envUrl ? 'DATABASE_URL' : user.database ? source! : 'default';
  const envTimeout = env.KILN_LOCK_TIMEOUT?.trim();
  const lockTimeout = envTimeout ? Number(envTimeout) : (user.lockTimeout ?? 60);
  if (!Number.isFinite(lockTimeout) || lockTimeout < 0) {
    throw new KilnError('CONFIG', `lock timeout must be a number of seconds >= 0, got '${String(lockTimeout)}'`);
  }
  const schema = options.schema ?? user.schema ?? schemaOfUrl(databaseUrl);
  return {
    root,
    configFile,
    models: path.resolve(root, user.models ?? 'models'),
    migrations: options.directory ? path.resolve(cwd, options.directory) : path.resolve(root, user.migrations ?? 'migrations'),
    seeds: path.resolve(root, user.seeds ?? 'seeds'),
    databaseUrl,
    databaseSource,
    tableName: user.tableName ?? 'knex_migrations',
    schema,
    schemas: [...new Set(user.schemas ?? [])].filter((s) => s !== (schema ?? 'public')).sort(),
    lockTimeoutMs: Math.round(lockTimeout * 1000),
    shellContext: user.shellContext ?? null,
    online: user.online ?? true,
    ...(user.include ? { include: user.include } : {}),
    ...(user.exclude ? { exclude: user.exclude } : {}),
    ...(user.loadExtensions ? { loadExtensions: user.loadExtensions } : {}),
  };
}

/** `?schema=` of a PostgreSQL URL; a URL that does not parse is reported when it is used. */
function schemaOfUrl(url: string): string | undefined {
  const m = /[?&]schema=([^&#]+)/.exec(url);
  return m ? decodeUrlPart(m[1], "option 'schema'") : undefined;
}

const KNOWN_KEYS = new Set(['models', 'migrations', 'seeds', 'database', 'tableName', 'schema', 'schemas', 'lockTimeout', 'shellContext', 'include', 'exclude', 'online']);
const LIST_KEYS = new Set(['include', 'exclude']);

async function readConfigFile(file: string, cwd: string): Promise<KilnConfig> {
  const rel = path.relative(cwd, file) || file;
  let exported: unknown;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { requireTs } = require('../loader/require-ts') as typeof import('../loader/require-ts');
    exported = requireTs(file);
  } catch (e) {
    throw new KilnError('CONFIG', `cannot load config file ${rel}: ${redact(messageOf(e))}`, { cause: e });
  }
  let config: unknown;
  try {
    config = await settle((exported as { default?: unknown })?.default ?? exported);
  } catch (e) {
    throw new KilnError('CONFIG', `config file ${rel} failed: ${redact(messageOf(e))}`, { cause: e });
  }
  if (!config || typeof config !== 'object') {
    throw new KilnError('CONFIG', `config file ${rel} must export an object (export default defineConfig({...}))`);
  }
  for (const [key, value] of Object.entries(config)) {
    if (!KNOWN_KEYS.has(key)) {
      throw new KilnError('CONFIG', `config file ${rel}: unknown option '${key}' (known: ${[...KNOWN_KEYS].join(', ')})`);
    }
    if (key === 'shellContext') {
      if (value !== undefined && typeof value !== 'function') throw new KilnError('CONFIG', `config file ${rel}: option 'shellContext' must be a function`);
      continue;
    }
    if (LIST_KEYS.has(key)) {
      if (value !== undefined && !(Array.isArray(value) && value.every((v) => typeof v === 'string' && v.length > 0))) {
        throw new KilnError('CONFIG', `config file ${rel}: option '${key}' must be a list of table names or globs (e.g. ['legacy_*'])`);
      }
      continue;
    }
    if (key === 'schemas') {
      if (value !== undefined && !(Array.isArray(value) && value.every((v) => typeof v === 'string' && v.length > 0 && !v.includes('.')))) {
        throw new KilnError('CONFIG', `config file ${rel}: option 'schemas' must be a list of schema names (e.g. ['public', 'billing'])`);
      }
      continue;
    }
    if (key === 'online') {
      if (value !== undefined && typeof value !== 'boolean') throw new KilnError('CONFIG', `config file ${rel}: option 'online' must be true or false`);
      continue;
    }
    const wantsNumber = key === 'lockTimeout';
    if (value !== undefined && (wantsNumber ? typeof value !== 'number' : typeof value !== 'string')) {
      throw new KilnError('CONFIG', `config file ${rel}: option '${key}' must be a ${wantsNumber ? 'number' : 'string'}`);
    }
  }
  return config as KilnConfig;
}

/** The exported value, called when it is a function and awaited when it is a promise. */
async function settle(value: unknown): Promise<unknown> {
  const called = typeof value === 'function' ? (value as () => unknown)() : value;
  return await called;
}
