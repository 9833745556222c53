import * as path from 'node:path';
import type { ResolvedConfig } from '../config/load';
import { KilnError } from '../errors';
import { arrangeTriggers, arrangeViews, compare } from '../diff';
import { introspect } from '../introspect';
import { makeSchema } from '../schema/build';
import { openDatabase, type Database } from '../runner/database';
import { commitTransaction } from '../runner/commit';
import { executeOps } from '../runner/execute-ops';
import { introspectOptionsOf, modelSchema } from '../autogenerate';
import { dialectOf } from '../dialect/registry';
import type { Progress } from './progress';

export interface InitDbResult {
  readonly dropped: string[];
  readonly created: string[];
}

/** `kiln initdb [--drop]` (the confirmation is the caller's): create_all, reported line by line. */
export async function initdb(input: { readonly config: ResolvedConfig; readonly drop: boolean }, progress: Progress): Promise<InitDbResult> {
  const db = await openDatabase(input.config, { foreignKeys: false });
  let result: InitDbResult;
  try {
    result = await initDatabase(input.config, db, input.drop);
  } finally {
    await db.close().catch(() => undefined);
  }
  const { dropped, created } = result;
  if (input.drop) progress.line(dropped.length ? `Drop tables. (${dropped.join(', ')})` : 'Drop tables. (none existed)');
  progress.line(created.length ? `Created tables: ${created.join(', ')}` : 'All model tables exist: nothing to create.');
  progress.line('Initialized database.');
  return result;
}

/**
 * create_all / drop_all. Creates the model tables that are missing (parents first); with
 * `drop`, first drops the model tables that exist (children first). One transaction where the
 * dialect has transactional DDL; SQLite runs with foreign keys off and checks them before commit.
 */
async function initDatabase(config: ResolvedConfig, db: Database, drop: boolean): Promise<InitDbResult> {
  const dialect = db.url.dialect;
  const { runtime } = dialectOf(dialect);
  const models = await modelSchema(config, dialect, db.knex);
  if (models.tables.length === 0) {
    throw new KilnError('MODEL', `no model found in ${path.relative(process.cwd(), config.models) || config.models}: nothing to create`, {
      hint: "declare models there (or point 'models' in kiln.config.ts at them)",
    });
  }
  const modelNames = new Set(models.tables.map((t) => t.name));
  const live = await introspect(db.knex, dialect, introspectOptionsOf(config));
  const existing = live.tables.filter((t) => modelNames.has(t.name));
  const viewNames = new Set((models.views ?? []).map((v) => v.name));
  const existingViews = (live.views ?? []).filter((v) => viewNames.has(v.name));
  const triggerNames = new Set((models.triggers ?? []).map((t) => t.name));
  const existingTriggers = (live.triggers ?? []).filter((t) => triggerNames.has(t.name));
  // Sequences (PostgreSQL, MariaDB) as views: the models' own dropped with --drop, the missing ones created.
  const sequenceNames = new Set((models.sequences ?? []).map((q) => q.name));
  const existingSequences = (live.sequences ?? []).filter((q) => sequenceNames.has(q.name));
  const dropOps = drop ? arrangeViews(arrangeTriggers(await compare(makeSchema(existing, existingViews, existingTriggers, existingSequences), makeSchema([])))) : [];
  const keep = drop ? [] : models.tables.filter((t) => existing.some((e) => e.name === t.name));
  // create_all: the views that do not exist yet (an existing one is left as it is, like a table).
  const missingViews = (models.views ?? []).filter((v) => drop || !existingViews.some((e) => e.name === v.name));
  const missingTriggers = (models.triggers ?? []).filter((t) => drop || !existingTriggers.some((e) => e.name === t.name));
  const missingSequences = (models.sequences ?? []).filter((q) => drop || !existingSequences.some((e) => e.name === q.name));
  const createOps = arrangeViews(arrangeTriggers(await compare(makeSchema(keep), makeSchema(models.tables, missingViews, missingTriggers, missingSequences))));
  const run = async (k: typeof db.knex) => {
    await executeOps(k, dialect, dropOps, config.root);
    await executeOps(k, dialect, createOps, config.root);
    if (runtime.foreignKeyCheck) {
      const bad = await runtime.foreignKeyCheck(k);
      if (bad.length) throw new Error(`${bad.length} row(s) would break foreign keys`);
    }
  };
  if (!runtime.transactionalDdl) await run(db.knex);
  else {
    const trx = await db.knex.transaction();
    try {
      await run(trx);
    } catch (e) {
      await trx.rollback().catch(() => undefined);
      throw e;
    }
    await commitTransaction(db.knex, trx, 'initdb');
  }
  return {
    dropped: dropOps.flatMap((op) => (op.kind === 'dropTable' ? [op.table.name] : [])),
    created: createOps.flatMap((op) => (op.kind === 'createTable' ? [op.table.name] : [])),
  };
}
