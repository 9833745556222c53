/**
 * `kiln db pull`: models in kiln's model language from the live database. The files are
 * rendered by the pure src/pull/, compiled with the folder's other models and compared with the
 * database before anything is written: models that do not compile are refused (nothing is
 * written), and whatever the models cannot say is reported as a warning rather than left to
 * surprise the next `db check`.
 */
import { introspectOptionsOf } from '../introspect/config-options';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ResolvedConfig } from '../config/load';
import { dialectOf } from '../dialect/registry';
import type { DialectName } from '../dialect/types';
import { compare } from '../diff';
import { KilnError, messageOf } from '../errors';
import { introspect } from '../introspect';
import { describeOp } from '../ops/describe';
import { pullNotes, renderModels } from '../pull/render';
import { selectTables } from '../pull/select';
import { renderViews, viewNotes } from '../pull/views';
import { renderTriggers, triggerNotes } from '../pull/triggers';
import { triggerForDialect } from '../model/trigger';
import { renderSequences, sequenceNotes } from '../pull/sequences';
import { openCatalog, openDatabase } from '../runner/database';
import { makeSchema } from '../schema/build';
import type { Schema, Table } from '../schema/types';
import { compilePulled, declaredRelationships, type DeclaredRelationship, type StagedFile } from './pull-files';
import { collectDefinitions } from '../model/load';
import { isDefinition } from '../model/definition';
import { isView } from '../model/view';
import { isTrigger } from '../model/trigger';
import { isSequence } from '../model/sequence';
import { sequencesForDialect } from '../dialect/project';
import { peekTs } from '../loader/require-ts';
import { startWriting, type PendingWrite } from './pull-writer';
import type { Progress } from './progress';

export interface PullOptions {
  /** The folder the model files go to (default: the config's models folder). */
  readonly out?: string;
  /** Overwrite model files that exist. */
  readonly force?: boolean;
  /** Table names or globs to pull (default: all). */
  readonly tables?: readonly string[];
  readonly exclude?: readonly string[];
}

export interface PullResult {
  /** Absolute paths of the files written. */
  readonly files: string[];
  /** The tables pulled. */
  readonly tables: string[];
  /** The views pulled (`views/` of the folder). */
  readonly views: string[];
  /** The triggers pulled (`triggers/` of the folder). */
  readonly triggers: string[];
  /** The standalone sequences pulled (`sequences/` of the folder; PostgreSQL). */
  readonly sequences: string[];
  /** What the models cannot say (each also printed as a warning). */
  readonly warnings: string[];
}

export async function pull(input: { readonly config: ResolvedConfig } & PullOptions, progress: Progress): Promise<PullResult> {
  // The driver alone where the dialect can (no Knex to load: src/dialect/catalog.ts), else Knex.
  const db = (await openCatalog(input.config)) ?? (await openDatabase(input.config, { noCreate: true }));
  try {
    const schema = await introspect(db.knex, db.url.dialect, introspectOptionsOf(input.config));
    return await writePulledModels(schema, db.url.dialect, input, progress);
  } finally {
    await db.close().catch(() => undefined);
  }
}

/** The models folder a pull writes to: `--out`, else the config's models path (which must be a folder). */
export function pullFolder(config: ResolvedConfig, out?: string): string {
  if (out !== undefined) return path.resolve(out);
  if (fs.existsSync(config.models) && !fs.statSync(config.models).isDirectory()) {
    throw new KilnError('BAD_ARGUMENT', `the models path ${shown(config.models)} is a file: kiln db pull writes one file per table into a folder`, {
      hint: 'give a folder with --out',
    });
  }
  return config.models;
}

/** Renders, writes and verifies models for `database` (already introspected). Shared with `db adopt`. */
export async function writePulledModels(
  database: Schema,
  dialect: DialectName,
  input: { readonly config: ResolvedConfig } & PullOptions,
  progress: Progress,
): Promise<PullResult> {
  database = withExternalForeignKeys(database);
  const selected = selectTables(database, input.tables, input.exclude);
  if (selected.tables.length === 0 && !selected.views?.length && !selected.sequences?.length) {
    throw new KilnError('BAD_ARGUMENT', database.tables.length === 0 ? 'the database has no tables to pull' : 'no table left to pull after --tables/--exclude');
  }
  const folder = pullFolder(input.config, input.out);
  const defaultSchema = input.config.schema ?? 'public';
  const renderTables = (context: readonly Table[], declared: readonly DeclaredRelationship[] = []) =>
    renderModels(selected, dialectOf(dialect).generation.unsignedByDefault?.(selected), defaultSchema, context, declared).map((f) => ({
      ...f,
      what: `table '${f.table}'`,
      file: path.join(folder, ...f.path.split('/')),
    }));
  const tables = withRelationshipsToDeclared(database, selected, folder, renderTables);
  const exports = new Set(tables.map((f) => f.exportName.toLowerCase()));
  const views = renderViews(selected.views ?? [], exports).map((f) => ({ ...f, what: `view '${f.view}'`, file: path.join(folder, ...f.path.split('/')) }));
  for (const f of views) exports.add(f.exportName.toLowerCase());
  const triggers = renderTriggers(selected.triggers ?? [], dialect, exports).map((f) => ({ ...f, what: `trigger '${f.trigger}'`, file: path.join(folder, ...f.path.split('/')) }));
  for (const f of triggers) exports.add(f.exportName.toLowerCase());
  const sequences = renderSequences(selected.sequences ?? [], exports, dialect).map((f) => ({ ...f, what: `sequence '${f.sequence}'`, file: path.join(folder, ...f.path.split('/')) }));
  const files = [...tables, ...views, ...triggers, ...sequences];
  const existing = files.filter(existsIn(files.map((f) => f.file)));
  if (existing.length > 0 && !input.force) {
    throw new KilnError('DIRECTORY', `refusing to overwrite existing model files: ${existing.map((f) => shown(f.file)).join(', ')}; nothing was written`, {
      hint: 'pass --force to replace them, or --out DIR to write elsewhere',
    });
  }
  refuseToReplaceOthers(existing);
  const written = pulledSchema(selected, views.map((v) => v.view), triggers.map((t) => t.trigger), sequences.map((q) => q.sequence));
  const notes = [...pullNotes(selected), ...viewNotes(selected.views ?? []), ...triggerNotes(selected.triggers ?? []), ...sequenceNotes(selected.sequences ?? [], dialect)];
  // The files are written (second thread) while they are verified; models that do not compile undo them.
  const writing = startWriting(folder, files, new Set(existing.map((f) => f.file)));
  let warnings: string[];
  const stopOnSignal = undoOnSignal(writing);
  try {
    warnings = [...notes, ...(await verify(folder, files, written, dialect, defaultSchema))];
  } catch (e) {
    writing.abandon();
    stopOnSignal.off();
    throw e;
  }
  try {
    await writing.written();
  } catch (e) {
    throw new KilnError('DIRECTORY', `cannot write the model files in ${shown(folder)}: ${messageOf(e)}; nothing was written`, { cause: e });
  } finally {
    stopOnSignal.off();
  }
  writing.keep();
  const shownFolder = new Map<string, string>();
  for (const f of files) {
    // One path.relative() per folder, not per file (a thousand lines).
    const dir = path.dirname(f.file);
    const where = shownFolder.get(dir) ?? shownFolder.set(dir, path.relative(process.cwd(), dir)).get(dir)!;
    progress.line(`Wrote ${path.join(where, path.basename(f.file))} (${f.what})`);
  }
  for (const w of warnings) progress.warn(w);
  return {
    files: files.map((f) => f.file),
    tables: tables.map((f) => f.table),
    views: views.map((f) => f.view),
    triggers: triggers.map((f) => f.trigger),
    sequences: sequences.map((f) => f.sequence),
    warnings,
  };
}

/**
 * `--force` replaces a file with the same object's new model, never another's: two tables
 * whose file names agree (`user_role` and `UserRole`, pulled one at a time) would otherwise
 * have the second pull overwrite the first one's model, and the next `db migrate` drop that
 * table. A file that does not load is replaced (--force says so); one that declares anything
 * but the object pulled into it is refused.
 */
function refuseToReplaceOthers(files: readonly { readonly file: string; readonly what: string }[]): void {
  for (const f of files) {
    let declared: string[];
    try {
      const definitions: unknown[] = [];
      collectDefinitions(peekTs(f.file), definitions);
      declared = definitions.map(describeDefinition);
    } catch {
      continue;
    }
    const other = declared.find((d) => d !== f.what);
    if (other !== undefined) {
      throw new KilnError('DIRECTORY', `refusing to replace ${shown(f.file)}: it declares ${other}, not ${f.what}; nothing was written`, {
        hint: 'move or rename that file, or pull into another folder with --out',
      });
    }
  }
}

/** "table 'user_role'", "view 'v'", ... as the pulled files' `what` says them. */
function describeDefinition(d: unknown): string {
  if (isDefinition(d)) return `table '${d.tableName}'`;
  if (isView(d)) return `view '${d.name}'`;
  if (isTrigger(d)) return `trigger '${d.name}'`;
  if (isSequence(d)) return `sequence '${d.name}'`;
  return 'something else';
}

/**
 * Ctrl-C or SIGTERM while the files are being written and verified: they are undone before the
 * process exits (130 / 143), so an interrupted pull leaves the folder as it was.
 */
function undoOnSignal(writing: PendingWrite): { off(): void } {
  const handler = (signal: NodeJS.Signals) => {
    writing.abandon();
    process.stderr.write(`error: interrupted (${signal === 'SIGINT' ? 'Ctrl-C' : signal}): nothing was written\n`);
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', handler);
  process.once('SIGTERM', handler);
  return {
    off() {
      process.removeListener('SIGINT', handler);
      process.removeListener('SIGTERM', handler);
    },
  };
}

/**
 * Foreign keys to a table kiln did not read (another schema than the config's, a table excluded
 * by include/exclude) marked external (ForeignKey.external): the models say them with
 * `external: true`, not as a reference to a model that does not exist. A loose one (SQLite) stays loose.
 */
function withExternalForeignKeys(database: Schema): Schema {
  const read = new Set(database.tables.map((t) => t.name));
  const outside = (t: Table) => t.foreignKeys.some((fk) => !fk.loose && !read.has(fk.refTable));
  if (!database.tables.some(outside)) return database;
  const tables = database.tables.map((t) =>
    outside(t) ? { ...t, foreignKeys: t.foreignKeys.map((fk) => (!fk.loose && !read.has(fk.refTable) ? { ...fk, external: true as const } : fk)) } : t,
  );
  return { ...database, tables };
}

/**
 * The pulled tables' files, related to the tables of the database that the folder's other models
 * already declare (`--tables Album --force` after a whole pull: Artist's `albums` relationship
 * names Album's `artist`, which a pull of Album alone left out, and the models did not compile).
 * Where the folder renamed those relationships, this side takes the names the other files give
 * it; where the declared models do not have the other side (they were pulled apart, or written
 * by hand), the files are those of the selected tables alone, as before.
 */
function withRelationshipsToDeclared<F extends StagedFile>(
  database: Schema,
  selected: Schema,
  folder: string,
  render: (context: readonly Table[], declared?: readonly DeclaredRelationship[]) => F[],
): F[] {
  const chosen = new Set(selected.tables.map((t) => t.name));
  const others = database.tables.filter((t) => !chosen.has(t.name));
  if (!others.length || !fs.existsSync(folder)) return render([]);
  let declared: Set<string>;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    declared = new Set(compilePulled(folder, [], require('../index') as object).tables.map((t) => t.name));
  } catch {
    return render([]);
  }
  const context = others.filter((t) => declared.has(t.name));
  if (!context.length) return render([]);
  // As a whole pull names them; else after what the other files declare (renamed by hand).
  for (const related of [render(context), render(context, declaredRelationships(folder))]) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      compilePulled(folder, related, require('../index') as object);
      return related;
    } catch {
      // the next way, else the selection's tables alone
    }
  }
  return render([]);
}

/** Compiles the pulled files with the folder's other models and compares the pulled tables: differences are warnings. */
async function verify(folder: string, files: readonly StagedFile[], pulled: Schema, dialect: DialectName, defaultSchema: string): Promise<string[]> {
  let models: Schema;
  let views: Schema['views'];
  let triggers: Schema['triggers'];
  let sequences: Schema['sequences'];
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const compiled = compilePulled(folder, files, require('../index') as object);
    models = dialectOf(dialect).generation.project(compiled, defaultSchema);
    // Views are not the projection's (autogenerate's modelSchema adds them the same way).
    views = compiled.views;
    triggers = (compiled.triggers ?? []).flatMap((t) => triggerForDialect(t, dialect) ?? []);
    sequences = sequencesForDialect(compiled.sequences ?? [], dialect);
  } catch (e) {
    const message = messageOf(e);
    throw new KilnError('MODEL', `the pulled models do not compile (${message}); nothing was written`, {
      // A missing table is the one cause a pull of more tables fixes; any other is something the
      // database allows and the model language does not say (yet): that table is left out.
      hint: /foreign key to unknown table/.test(message)
        ? 'a table the pulled ones reference is missing: pull it too, or declare it in the models folder'
        : 'leave that table out (--exclude TABLE) and declare it by hand, or exclude it in the config to keep it unmanaged',
    });
  }
  const names = new Set([...pulled.tables, ...(pulled.views ?? []), ...(pulled.sequences ?? [])].map((t) => t.name));
  const triggerNames = new Set((pulled.triggers ?? []).map((t) => t.name));
  const mine = makeSchema(
    models.tables.filter((t) => names.has(t.name)),
    (views ?? []).filter((v) => names.has(v.name)),
    (triggers ?? []).filter((t) => triggerNames.has(t.name)),
    (sequences ?? []).filter((q) => names.has(q.name)),
  );
  const changes = await compare(pulled, mine);
  return changes.map((op) => `the models cannot say this, so 'kiln db check' will report it: ${describeOp(op)}`);
}

/** The selected tables and the views, triggers and sequences that were written (one the models cannot say is left out, with a note). */
function pulledSchema(selected: Schema, views: readonly string[], triggers: readonly string[], sequences: readonly string[]): Schema {
  const written = new Set([...views, ...sequences]);
  const writtenTriggers = new Set(triggers);
  return makeSchema(
    selected.tables,
    (selected.views ?? []).filter((v) => written.has(v.name)),
    (selected.triggers ?? []).filter((t) => writtenTriggers.has(t.name)),
    (selected.sequences ?? []).filter((q) => written.has(q.name)),
  );
}

/**
 * Whether a file exists, from one listing per folder rather than a stat per file (a thousand
 * files). A name the listing has in another case (a case-insensitive file system) is stat'ed.
 */
function existsIn(files: readonly string[]): (f: { readonly file: string }) => boolean {
  const listed = new Map<string, Set<string>>();
  for (const dir of new Set(files.map((f) => path.dirname(f)))) {
    let names: string[] = [];
    try {
      names = fs.readdirSync(dir);
    } catch {
      // no folder (yet), or one that cannot be listed: nothing there (writeStaged's exclusive create still refuses a file that exists)
    }
    listed.set(dir, new Set(names.map((n) => n.toLowerCase())));
  }
  return ({ file }) => listed.get(path.dirname(file))?.has(path.basename(file).toLowerCase()) === true && fs.existsSync(file);
}

function shown(file: string): string {
  return path.relative(process.cwd(), file) || file;
}
