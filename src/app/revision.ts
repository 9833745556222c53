import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic } from '../atomic-write';
import type { ResolvedConfig } from '../config/load';
import { parseDatabaseUrl } from '../config/url';
import type { DialectName } from '../dialect/types';
import type { RenameResolver } from '../diff';
import { KilnError } from '../errors';
import type { Operation } from '../ops/types';
import { openDatabase } from '../runner/database';
import { lockMigrationsFolder } from '../runner/folder-lock';
import { listMigrations } from '../runner/files';
import { assertLinear } from '../runner/revision-graph';
import { readStatus } from '../runner/status';
import { guardDrops } from './drop-guard';
import type { Progress } from './progress';

export interface RevisionInput {
  readonly config: ResolvedConfig;
  /** What the migration does (names the file); must not be empty. */
  readonly message: string;
  /** Which removed + added pairs are renames (default: none); asked for once the database is known to be at head. */
  readonly renames?: () => RenameResolver;
  /** Called once the diff is known, before anything is printed or written (the CLI refuses unused --rename flags). */
  readonly afterDiff?: () => void;
  /** Tables never created by a migration that may be dropped although they hold rows (`--allow-drop`; src/app/drop-guard.ts). */
  readonly allowDrop?: readonly string[];
  /** Write changes to existing tables in their online-safe form (default: the config's `online`). */
  readonly online?: boolean;
}

export interface RevisionResult {
  /** The changes detected (empty: nothing was written). */
  readonly changes: readonly Operation[];
  /** The migration file written, or null. */
  readonly file: string | null;
}

/** The message of a new migration: refused when empty. */
export function assertMessage(message: string): void {
  if (!message.trim()) throw new KilnError('BAD_ARGUMENT', 'the message (-m) must not be empty');
}

/**
 * `kiln db migrate -m MESSAGE`: with the database at head, autogenerates the difference between
 * the models and the database and writes it as a new migration (atomic, never over a file).
 * The migrations folder is locked until the file is written: a second run waits, then sees
 * this one's file as pending.
 */
export async function revision(input: RevisionInput, progress: Progress): Promise<RevisionResult> {
  const { config } = input;
  assertMessage(input.message);
  const db = await openDatabase(config, { noCreate: true });
  let unlockFolder: (() => void) | undefined;
  try {
    if (fs.existsSync(config.migrations)) unlockFolder = await lockMigrationsFolder(config.migrations, config.lockTimeoutMs);
    const status = await readStatus(config, db.knex);
    // Generating on a forked history would write a third branch.
    assertLinear(status.files, status.applied.map((a) => a.name));
    if (status.missing.length || status.pending.length) {
      throw new KilnError('NOT_UP_TO_DATE', `database is not up to date: ${status.pending.length} migration(s) pending${status.missing.length ? `, ${status.missing.length} applied migration(s) missing from the folder` : ''}`, {
        hint: status.missing.length ? "restore the missing file(s), or rewrite the record with 'kiln db stamp <revision>'" : "run 'kiln db upgrade' first",
      });
    }
    // Loaded here, not at start-up (as the command always did): the diff pulls in the models' loader.
    const { autogenerate, detectedLines } = lazy<typeof import('../autogenerate')>('../autogenerate');
    const { dropAddWarnings } = lazy<typeof import('../cli/warnings')>('../cli/warnings');
    const result = await autogenerate(config, db.knex, db.url.dialect, input.renames?.());
    input.afterDiff?.();
    await guardDrops(db.knex, config, status.files, result.changes, input.allowDrop);
    if (result.changes.length === 0) {
      progress.line('No changes in schema detected.');
      return { changes: [], file: null };
    }
    for (const l of detectedLines(result.changes)) progress.line(l);
    for (const w of dropAddWarnings(result.changes)) progress.warn(w);
    const { liveValueWarnings } = lazy<typeof import('../cli/value-warnings')>('../cli/value-warnings');
    for (const w of await liveValueWarnings(db.knex, result)) progress.warn(w);
    const online = input.online ?? config.online;
    const file = await writeMigration(config, input.message, result.dialect, [...result.up], [...result.down], online);
    const { copyWarnings } = lazy<typeof import('../render/online')>('../render/online');
    if (online) for (const w of copyWarnings(result.up, result.dialect)) progress.warn(w);
    progress.line(`Generating ${file} ... done`);
    return { changes: result.changes, file };
  } finally {
    unlockFolder?.();
    await db.close().catch(() => undefined);
  }
}

/** `kiln db revision -m MESSAGE`: an empty migration to fill in by hand. */
export async function emptyRevision(input: { readonly config: ResolvedConfig; readonly message: string }, progress: Progress): Promise<string> {
  const { config } = input;
  assertMessage(input.message);
  if (!fs.existsSync(config.migrations)) {
    throw new KilnError('DIRECTORY', `migrations folder not found: ${path.relative(process.cwd(), config.migrations)}`, { hint: "run 'kiln db init' first" });
  }
  const dialect = parseDatabaseUrl(config.databaseUrl, config.root).dialect;
  const file = await writeMigration(config, input.message, dialect, [], []);
  progress.line(`Generating ${file} ... done`);
  return file;
}

/** Writes a new migration file (exclusive, atomic) named after `message`; returns its path. */
export async function writeMigration(config: ResolvedConfig, message: string, dialect: DialectName, up: Operation[], down: Operation[], online = false): Promise<string> {
  if (config.loadExtensions && !config.loadExtensions.includes('.ts')) {
    throw new KilnError('CONFIG', `kiln writes TypeScript migrations, and the knexfile's migrations.loadExtensions (${config.loadExtensions.join(', ')}) leaves out '.ts': Knex and kiln would not see the new file`, {
      hint: "add '.ts' to migrations.loadExtensions",
    });
  }
  const { migrationFileName, renderMigration } = lazy<typeof import('../render')>('../render');
  const createdAt = new Date();
  const existing = fs.existsSync(config.migrations) ? fs.readdirSync(config.migrations) : [];
  const name = migrationFileName(createdAt, message, existing);
  // Revises: the head it was generated against; an empty revision (to fill in by hand) gets no body hash.
  const head = fs.existsSync(config.migrations) ? listMigrations(config.migrations).pop() : undefined;
  const revises = head ? head.id : null;
  const source = renderMigration({ message: message.trim(), revision: name.replace(/\.ts$/, ''), createdAt, dialect, up, down, revises, hashBody: up.length > 0, online });
  const file = path.join(config.migrations, name);
  writeFileAtomic(file, source, { exclusive: true });
  return file;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const lazy = <T>(id: string): T => require(id) as T;
