import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ResolvedConfig } from '../config/load';
import { dialectOf } from '../dialect/registry';
import { arrangeTriggers, arrangeViews, compare } from '../diff';
import { KilnError } from '../errors';
import { introspect } from '../introspect';
import { loadModels } from '../model/load';
import { reverseOps } from '../ops/reverse';
import type { OperationOf } from '../ops/types';
import { openDatabase } from '../runner/database';
import { revisionId } from '../runner/files';
import { lockMigrationsFolder } from '../runner/folder-lock';
import { readStatus } from '../runner/status';
import { makeSchema } from '../schema/build';
import type { Progress } from './progress';
import { assertMessage, writeMigration } from './revision';
import { stamp } from './upgrade';

export interface BaselineResult {
  /** The migration written (creates every managed table from empty), recorded as applied. */
  readonly file: string;
  readonly tables: string[];
  /** The views it creates: those of the database that the models declare. */
  readonly views: string[];
  /** The standalone sequences it creates (PostgreSQL, MariaDB): those of the database that the models declare. */
  readonly sequences: string[];
  /** The domains it creates first (PostgreSQL): those the tables' columns use. */
  readonly domains: string[];
  /** The extensions it creates first (PostgreSQL; after the managed schemas): those the database's own objects use, and those they require. */
  readonly extensions: string[];
  /** The database's views, triggers and sequences the models do not declare, and the installed extensions nothing uses: left out, a warning each. */
  readonly leftOut: string[];
}

/**
 * `kiln db baseline -m MESSAGE`: brings an existing database under kiln. Writes one migration
 * that creates the whole managed schema (config include/exclude apply) from an empty database,
 * the diff of nothing against the live schema, and records it as applied on this database
 * without running it (a stamp). A fresh database upgraded from it has the same schema (views,
 * triggers and sequences as far as the models declare them: the others are named in warnings); the next
 * `kiln db migrate` works on top of it. Only where no history exists yet: an empty migrations
 * folder and nothing recorded. If the stamp fails, the file is removed again.
 */
export async function baseline(input: { readonly config: ResolvedConfig; readonly message: string }, progress: Progress): Promise<BaselineResult> {
  const { config } = input;
  assertMessage(input.message);
  if (!fs.existsSync(config.migrations)) {
    throw new KilnError('DIRECTORY', `migrations folder not found: ${path.relative(process.cwd(), config.migrations) || config.migrations}`, { hint: "run 'kiln db init' first" });
  }
  const unlock = await lockMigrationsFolder(config.migrations, config.lockTimeoutMs);
  try {
    const written = await writeBaseline(config, input.message);
    try {
      await stamp({ config, target: revisionId(path.basename(written.file)) }, progress);
    } catch (e) {
      fs.rmSync(written.file, { force: true });
      throw e;
    }
    for (const line of written.leftOut) progress.warn(line);
    const extra = [
      written.views.length ? `${written.views.length} view(s)` : '',
      written.sequences.length ? `${written.sequences.length} sequence(s)` : '',
      written.domains.length ? `${written.domains.length} domain(s)` : '',
      written.extensions.length ? `${written.extensions.length} extension(s)` : '',
    ].filter(Boolean);
    progress.line(`Baseline of ${written.tables.length} table(s)${extra.map((e) => ` and ${e}`).join('')} recorded as applied: ${written.file}`);
    return written;
  } finally {
    unlock();
  }
}

async function writeBaseline(config: ResolvedConfig, message: string): Promise<BaselineResult> {
  const db = await openDatabase(config, { noCreate: true });
  try {
    const status = await readStatus(config, db.knex);
    if (status.files.length || status.applied.length) {
      const what = status.files.length ? `the migrations folder already holds ${status.files.length} migration(s)` : `the database records ${status.applied.length} applied migration(s)`;
      throw new KilnError('HISTORY', `a baseline starts a history, and ${what}`, { hint: "use 'kiln db migrate' for changes on top of an existing history" });
    }
    const dialect = db.url.dialect;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { introspectOptionsOf } = require('../autogenerate') as typeof import('../autogenerate');
    // A view is in only when the models declare it (after `kiln db pull`): the others are the
    // database's (issue 12 item 6), and a migration creating one would make it kiln's to drop.
    const read = await introspect(db.knex, dialect, introspectOptionsOf(config));
    const declared = await declaredNames(config);
    const live = makeSchema(
      read.tables,
      (read.views ?? []).filter((v) => declared.views.has(v.name)),
      (read.triggers ?? []).filter((t) => declared.triggers.has(t.name)),
      // Sequences likewise (PostgreSQL, MariaDB).
      (read.sequences ?? []).filter((q) => declared.sequences.has(q.name)),
    );
    if (!live.tables.length) throw new KilnError('HISTORY', 'nothing to baseline: the database has no table kiln manages', { hint: "start with models and 'kiln db migrate'" });
    const empty = makeSchema([]);
    const changes = await compare(empty, live);
    // PostgreSQL domains the tables use come first (the models do not declare them; a fresh database needs them).
    const managed = new Set(live.tables.map((t) => t.name));
    const domains = (await dialectOf(dialect).generation.domains?.read(db.knex, introspectOptionsOf(config))) ?? [];
    const createDomains: OperationOf<'createDomain'>[] = domains.filter((d) => d.tables.some((t) => managed.has(t))).map((d) => ({ kind: 'createDomain', name: d.name, sql: d.sql }));
    // Extensions before everything else (a domain over citext, a gin_trgm_ops index, uuid_generate_v4() defaults).
    const extensions = (await dialectOf(dialect).generation.extensions?.read(db.knex)) ?? { used: [], unused: [] };
    const createExtensions: OperationOf<'createExtension'>[] = extensions.used.map((e) => ({ kind: 'createExtension', name: e.name, schema: e.schema, version: e.version }));
    // The schemas kiln manages come before them (an extension may live in one): down(), the reverse,
    // then drops an extension before its schema, not the schema first (which failed while it held the extension).
    const planned = arrangeViews(arrangeTriggers(dialectOf(dialect).generation.plan(changes, empty, live)));
    // An extension's schema that kiln does not manage (no `schemas` in the config) gets its own
    // createSchema too, after the plan's: createExtension would make it if missing, but down()
    // (dropSchema, RESTRICT: it fails while anything is left in it) must drop it again. Not
    // public, nor the schema kiln works in (config.schema: its own table lives there).
    const planSchemas = planned.filter((op): op is OperationOf<'createSchema'> => op.kind === 'createSchema');
    const kept = new Set(['public', 'pg_catalog', config.schema ?? 'public', ...planSchemas.map((op) => op.name)]);
    const extensionSchemas: OperationOf<'createSchema'>[] = [...new Set(createExtensions.map((e) => e.schema))]
      .filter((name) => !kept.has(name))
      .map((name) => ({ kind: 'createSchema', name }));
    const up = [...planSchemas, ...extensionSchemas, ...createExtensions, ...createDomains, ...planned.filter((op) => op.kind !== 'createSchema')];
    const file = await writeMigration(config, message, dialect, [...up], [...reverseOps(up)]);
    return {
      file,
      tables: live.tables.map((t) => t.name),
      views: (live.views ?? []).map((v) => v.name),
      sequences: (live.sequences ?? []).map((q) => q.name),
      domains: createDomains.map((d) => d.name),
      extensions: createExtensions.map((e) => e.name),
      leftOut: [
        ...(read.views ?? []).filter((v) => !declared.views.has(v.name)).map((v) => notDeclared(`view '${v.name}'`)),
        ...(read.triggers ?? [])
          .filter((t) => !declared.triggers.has(t.name))
          .map((t) =>
            t.unsayable ? `trigger '${t.name}' is not in the baseline: kiln's models cannot say it (${t.unsayable}); add it to the migration by hand` : notDeclared(`trigger '${t.name}'`),
          ),
        ...(read.sequences ?? []).filter((q) => !declared.sequences.has(q.name)).map((q) => notDeclared(`sequence '${q.name}'`)),
        // A foreign key to a table kiln does not read (another schema, excluded): the baseline cannot create its target.
        ...live.tables.flatMap((t) =>
          t.foreignKeys
            .filter((fk) => !fk.loose && !managed.has(fk.refTable))
            .map((fk) => `table '${t.name}' foreign key ${fk.name} references '${fk.refTable}', which kiln does not read: the baseline does not create it, and a database upgraded from it must already have it`),
        ),
        // An installed extension nothing kiln reads depends on (PostgreSQL records no dependency on what a function body calls).
        ...extensions.unused.map(
          (name) => `extension '${name}' is installed but nothing kiln reads depends on it: not in the baseline (a function body may still call it; add CREATE EXTENSION by hand if so)`,
        ),
      ],
    };
  } finally {
    await db.close().catch(() => undefined);
  }
}

const notDeclared = (what: string) => `${what} is not in the baseline: the models do not declare it, so it stays the database's; declare it ('kiln db pull' writes what it can) or add it to the migration by hand`;

/** The names of the views, triggers and sequences the models declare; none without a models folder (a baseline needs no models). */
async function declaredNames(config: ResolvedConfig): Promise<{ views: Set<string>; triggers: Set<string>; sequences: Set<string> }> {
  if (!fs.existsSync(config.models)) return { views: new Set(), triggers: new Set(), sequences: new Set() };
  const { schema } = await loadModels(config.models);
  return {
    views: new Set((schema.views ?? []).map((v) => v.name)),
    triggers: new Set((schema.triggers ?? []).map((t) => t.name)),
    sequences: new Set((schema.sequences ?? []).map((q) => q.name)),
  };
}
