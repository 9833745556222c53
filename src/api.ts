/**
 * The programmatic API: `import { upgrade, downgrade, check, autogenerate, pull } from 'kiln'`, for
 * test setups (a jest `globalSetup`) and scripts. Each function is the CLI command's use case
 * (src/app/), with the configuration found as the CLI finds it (`kiln.config.ts`, else a
 * knexfile, from `cwd` upwards). Failures reject with a KilnError (`code`, `message`, `hint`),
 * the same text the CLI prints after `error:`. Nothing is printed unless `onLine`/`onWarning` say where.
 *
 * Every function takes one options object: the common {@link KilnOptions} and the command's own
 * fields (`target`, `message`, ...). This module stays cheap to import (model files import
 * 'kiln'): the use cases are loaded on first call.
 */
import type { PullOptions, PullResult } from './app/pull';
import type { CheckResult } from './app/check';
import type { Progress } from './app/progress';
import type { LoadConfigOptions, ResolvedConfig } from './config/load';

export interface KilnOptions {
  /** The project folder the configuration is looked for from (default: `process.cwd()`). */
  readonly cwd?: string;
  /** An explicit config file (the CLI's `--config`). */
  readonly config?: string;
  /** The migrations folder (the CLI's `--directory`). */
  readonly directory?: string;
  /** The PostgreSQL schema to manage (the CLI's `--schema`). */
  readonly schema?: string;
  /** The database URL; wins over `DATABASE_URL` and the config file. */
  readonly databaseUrl?: string;
  /** A knexfile project's environment (the CLI's `--env`; default `NODE_ENV`, else `development`). */
  readonly environment?: string;
  /** Receives each line the CLI would print on stdout (default: dropped). */
  readonly onLine?: (text: string) => void;
  /** Receives each warning the CLI would print on stderr (default: dropped). */
  readonly onWarning?: (text: string) => void;
}

export interface RunOptions extends KilnOptions {
  /** upgrade: `head` (default), a name, a unique prefix or `+N`; downgrade: `-1` (default), `-N`, `base`, a name or prefix. */
  readonly target?: string;
}

export interface RunOutcome {
  /** The migrations run, in order (revision ids: file names without extension). */
  readonly ran: string[];
}

export interface AutogenerateOptions extends KilnOptions {
  /** What the migration does; names the file. */
  readonly message: string;
  /** Renames, as the CLI's `--rename`: `table.old=new` for a column, `old=new` for a table, `table.column:old=new` (or `type:old=new`) for an enum value. */
  readonly renames?: readonly string[];
  /** Tables no migration created that may be dropped although they hold rows (the CLI's `--allow-drop`). */
  readonly allowDrop?: readonly string[];
}

export interface AutogenerateOutcome {
  /** The migration written, or null when the models and the database agree. */
  readonly file: string | null;
  /** One line per change, as `db migrate` prints them after `Detected `. */
  readonly changes: string[];
}

export type { CheckResult };

/** `kiln db upgrade [target]`. */
export async function upgrade(options: RunOptions = {}): Promise<RunOutcome> {
  const { upgrade: run } = lazy<typeof import('./app/upgrade')>('./app/upgrade');
  const result = await run({ config: await configOf(options), target: options.target }, progressOf(options));
  return { ran: result.ran.map((f) => f.id) };
}

/** `kiln db downgrade [target]` (default: one step). */
export async function downgrade(options: RunOptions = {}): Promise<RunOutcome> {
  const { downgrade: run } = lazy<typeof import('./app/upgrade')>('./app/upgrade');
  const result = await run({ config: await configOf(options), target: options.target }, progressOf(options));
  return { ran: result.ran.map((f) => f.id) };
}

/** `kiln db check`: resolves with `inSync: false` and the differences on drift (it does not reject). */
export async function check(options: KilnOptions = {}): Promise<CheckResult> {
  const { check: run } = lazy<typeof import('./app/check')>('./app/check');
  const outcome = await run({ config: await configOf(options) }, progressOf(options));
  return outcome.result;
}

/** `kiln db migrate -m MESSAGE`: writes the migration from the models/database difference. */
export async function autogenerate(options: AutogenerateOptions): Promise<AutogenerateOutcome> {
  const { revision } = lazy<typeof import('./app/revision')>('./app/revision');
  const { fixedRenames, parseRenameFlags, NO_RENAMES } = lazy<typeof import('./diff')>('./diff');
  const { describeOp } = lazy<typeof import('./ops/describe')>('./ops/describe');
  const { KilnError } = lazy<typeof import('./errors')>('./errors');
  const resolver = options.renames?.length ? fixedRenames(parseRenameFlags([...options.renames])) : NO_RENAMES;
  const result = await revision(
    {
      config: await configOf(options),
      message: options.message ?? '',
      renames: () => resolver,
      afterDiff: () => {
        const unmatched = 'unmatched' in resolver ? (resolver.unmatched as () => string[])() : [];
        if (unmatched.length) throw new KilnError('BAD_ARGUMENT', `renames ${unmatched.join(', ')}: no such removed and added pair between the database and the models; nothing was written`);
      },
      allowDrop: options.allowDrop,
    },
    progressOf(options),
  );
  return { file: result.file, changes: result.changes.map(describeOp) };
}

/** The resolved configuration, as the CLI builds it; exported for the `pull` use case and later ones. */
/** `kiln db pull`: models written from the live database; the same code as the command. */
export async function pull(options: KilnOptions & PullOptions = {}): Promise<PullResult> {
  const { pull: run } = lazy<typeof import('./app/pull')>('./app/pull');
  const { out, force, tables, exclude } = options;
  return run({ config: await configOf(options), out, force, tables, exclude }, progressOf(options));
}

export async function configOf(options: KilnOptions): Promise<ResolvedConfig> {
  const { loadConfig } = lazy<typeof import('./config/load')>('./config/load');
  const load: LoadConfigOptions = {
    cwd: options.cwd,
    configFile: options.config,
    directory: options.directory,
    schema: options.schema,
    environment: options.environment,
    env: options.databaseUrl ? { ...process.env, DATABASE_URL: options.databaseUrl } : process.env,
  };
  return loadConfig(load);
}

/** Where a use case's lines and warnings go. */
export function progressOf(options: KilnOptions): Progress {
  return { line: options.onLine ?? (() => undefined), warn: options.onWarning ?? (() => undefined) };
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const lazy = <T>(id: string): T => require(id) as T;
