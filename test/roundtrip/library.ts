/** The steps of `kiln db migrate/upgrade/downgrade/check`, in this process (the binary costs 0.5 s a call). */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { autogenerate } from '../../src/autogenerate';
import type { ResolvedConfig } from '../../src/config/load';
import { projectSchema } from '../../src/dialect/project';
import type { DialectName } from '../../src/dialect/types';
import { fixedRenames, parseRenameFlags } from '../../src/diff';
import { loadModels } from '../../src/model/load';
import { describeOp } from '../../src/ops/describe';
import type { Operation } from '../../src/ops/types';
import { migrationFileName, renderMigration } from '../../src/render';
import { openDatabase } from '../../src/runner/database';
import { downgrade, readStatus, upgrade } from '../../src/runner/run';
import type { Schema, Table } from '../../src/schema/types';

const quiet = () => undefined;

export async function migrate(config: ResolvedConfig, message: string, renames: string[] = []): Promise<readonly Operation[]> {
  const db = await openDatabase(config, { noCreate: true });
  try {
    const status = await readStatus(config, db.knex);
    if (status.pending.length || status.missing.length) throw new Error('database is not up to date');
    const result = await autogenerate(config, db.knex, db.url.dialect, fixedRenames(parseRenameFlags(renames)));
    if (!result.changes.length) return [];
    const createdAt = new Date();
    const name = migrationFileName(createdAt, message, fs.existsSync(config.migrations) ? fs.readdirSync(config.migrations) : []);
    const source = renderMigration({ message, revision: name.replace(/\.ts$/, ''), createdAt, dialect: result.dialect, up: [...result.up], down: [...result.down] });
    fs.mkdirSync(config.migrations, { recursive: true });
    fs.writeFileSync(path.join(config.migrations, name), source);
    return result.changes;
  } finally {
    await db.close();
  }
}

export async function run(config: ResolvedConfig, direction: 'up' | 'down', target: string): Promise<void> {
  const db = await openDatabase(config, { foreignKeys: false, migrationLock: true });
  try {
    await (direction === 'up' ? upgrade : downgrade)({ config, db, out: quiet }, target);
  } finally {
    await db.close();
  }
}

/** What `db check` reports: pending migrations and the detected lines. */
export async function check(config: ResolvedConfig): Promise<string[]> {
  const db = await openDatabase(config, { noCreate: true });
  try {
    const status = await readStatus(config, db.knex);
    const result = await autogenerate(config, db.knex, db.url.dialect);
    return [...status.pending.map((f) => `pending ${f.id}`), ...result.changes.map(describeOp)];
  } finally {
    await db.close();
  }
}

/** Models keep indexes and keys in declaration order, introspection sorts them by name: the order means nothing. */
export function sortedConstraints(op: Operation): Operation {
  const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  const sortTable = (t: Table): Table => ({ ...t, indexes: [...t.indexes].sort(byName), uniques: [...t.uniques].sort(byName), foreignKeys: [...t.foreignKeys].sort(byName) });
  if (op.kind === 'createTable' || op.kind === 'dropTable') return { ...op, table: sortTable(op.table) };
  if (op.kind === 'rebuildTable') return { ...op, from: sortTable(op.from), to: sortTable(op.to) };
  return op;
}

export function columnsByName(schema: Schema, dialect: DialectName): Schema {
  if (dialect === 'sqlite') return schema;
  const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  return { tables: schema.tables.map((t) => ({ ...t, columns: [...t.columns].sort(byName) })) };
}

export async function projected(dir: string, dialect: DialectName): Promise<Schema> {
  return projectSchema((await loadModels(dir)).schema, dialect);
}

