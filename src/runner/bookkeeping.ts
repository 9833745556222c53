import { DEFAULT_BOOKKEEPING_TABLES } from '../introspect/ignored';
import type { Knex } from 'knex';
import { dialectOfKnex } from '../dialect/capabilities';
import { dialectOf } from '../dialect/registry';

/**
 * Knex's own bookkeeping tables, created exactly as Knex creates them, so `knex migrate:*`
 * and kiln can take turns on one database.
 */
export interface AppliedMigration {
  readonly id: number;
  readonly name: string;
  readonly batch: number;
  readonly migrationTime: Date | string | null;
}

export function lockTableName(tableName: string): string {
  return `${tableName}_lock`;
}

/**
 * kiln's own table beside Knex's: the SHA-256 of each applied migration file, so an applied
 * migration edited afterwards is noticed. Knex never reads it; a migration Knex applied has no
 * row and is not checked. `knex_migrations` -> `kiln_migrations_checksums`. Each row names the
 * `knex_migrations` row it was taken for (`applied_id`): when Knex rolls a migration back and
 * applies it again (perhaps edited in between), the row left behind is stale and not checked.
 */
export function checksumTableName(tableName: string): string {
  return `kiln_${tableName.replace(/^knex_/, '')}_checksums`;
}

/** Every table the runner keeps. */
export function bookkeepingTables(tableName: string): string[] {
  return [tableName, lockTableName(tableName), checksumTableName(tableName)];
}

/**
 * The tables introspection leaves out (so diffs and create_all never touch them): the runner's
 * own, and the default-named bookkeeping tables too, which another Knex project sharing the
 * database may keep when this one has another `tableName`.
 */
export function tablesLeftOut(tableName: string): string[] {
  return [...new Set([...bookkeepingTables(tableName), ...DEFAULT_BOOKKEEPING_TABLES])];
}

function isMissingTable(e: unknown): boolean {
  const err = e as { code?: string; message?: string };
  return err.code === '42P01' || err.code === 'ER_NO_SUCH_TABLE' || /no such table/i.test(err.message ?? '');
}

/** Applied migrations in the order they were applied; [] when the table does not exist. Outside transactions only. */
export async function readApplied(knex: Knex, tableName: string): Promise<AppliedMigration[]> {
  try {
    return await selectApplied(knex, tableName);
  } catch (e) {
    if (isMissingTable(e)) return [];
    throw e;
  }
}

export async function selectApplied(knex: Knex | Knex.Transaction, tableName: string): Promise<AppliedMigration[]> {
  const rows = await knex(tableName).select('id', 'name', 'batch', 'migration_time').orderBy('id');
  return rows.map((r: { id: number; name: string; batch: number; migration_time: Date | string | null }) => ({
    id: Number(r.id),
    name: r.name,
    batch: Number(r.batch),
    migrationTime: r.migration_time,
  }));
}

/** Creates the two tables and the lock row when missing (Knex's table-creator, same columns). */
export async function ensureTables(trx: Knex | Knex.Transaction, tableName: string): Promise<void> {
  const lock = lockTableName(tableName);
  let lockCreated = false;
  if (!(await trx.schema.hasTable(tableName))) {
    await trx.schema.createTable(tableName, (t) => {
      t.increments();
      t.string('name');
      t.integer('batch');
      t.timestamp('migration_time');
    });
  }
  if (!(await trx.schema.hasTable(lock))) {
    await trx.schema.createTable(lock, (t) => {
      t.increments('index').primary();
      t.integer('is_locked');
    });
    lockCreated = true;
  }
  const rows = lockCreated ? [] : await trx(lock).select('*');
  if (rows.length === 0) await trx(lock).insert({ is_locked: 0 });
  const sums = checksumTableName(tableName);
  if (!(await trx.schema.hasTable(sums))) {
    await trx.schema.createTable(sums, (t) => {
      t.string('name', 255).primary();
      t.string('checksum', 64).notNullable();
      t.integer('applied_id');
    });
  } else if (!(await trx.schema.hasColumn(sums, 'applied_id'))) {
    await trx.schema.alterTable(sums, (t) => {
      t.integer('applied_id');
    });
  }
}

export interface RecordedChecksum {
  readonly checksum: string;
  /** The `knex_migrations.id` of the application it was taken for (null: a table of before). */
  readonly appliedId: number | null;
}

/** name -> SHA-256 of the file when it was applied; empty when kiln's table does not exist. */
export async function readChecksums(knex: Knex | Knex.Transaction, tableName: string): Promise<Map<string, RecordedChecksum>> {
  try {
    return checksumsOf(await knex(checksumTableName(tableName)).select('*'));
  } catch (e) {
    if (isMissingTable(e)) return new Map();
    throw e;
  }
}

/** The rows of kiln's checksum table (`select *`), by migration name. */
export function checksumsOf(rows: readonly { name: string; checksum: string; applied_id?: number | string | null }[]): Map<string, RecordedChecksum> {
  return new Map(rows.map((r) => [r.name, { checksum: r.checksum, appliedId: r.applied_id === null || r.applied_id === undefined ? null : Number(r.applied_id) }]));
}

export async function recordApplied(trx: Knex | Knex.Transaction, tableName: string, name: string, batch: number, checksum?: string): Promise<void> {
  const row = { name, batch, migration_time: new Date() };
  // The new row's id comes back from the insert (SQLite: last rowid, MySQL: insertId,
  // PostgreSQL: RETURNING), not from a second query that scans the table at every migration.
  const dialect = dialectOfKnex(trx);
  const returning = dialect !== undefined && dialectOf(dialect).runtime.insertReturnsIdOnRequest;
  const inserted = (returning ? await trx(tableName).insert(row, ['id']) : await trx(tableName).insert(row)) as unknown[];
  const sums = checksumTableName(tableName);
  if (!checksum) {
    await trx(sums).where({ name }).del();
    return;
  }
  let appliedId = insertedId(inserted);
  if (appliedId === null) {
    const found = await trx(tableName).where({ name }).max({ id: 'id' }).first();
    appliedId = found?.id === null || found?.id === undefined ? null : Number(found.id);
  }
  // One statement (an upsert on the primary key), not a delete and an insert.
  await trx(sums).insert({ name, checksum, applied_id: appliedId }).onConflict('name').merge();
}

function insertedId(result: readonly unknown[]): number | null {
  const first = result?.[0];
  const id = typeof first === 'object' && first !== null ? (first as { id?: unknown }).id : first;
  const n = Number(id);
  return id === null || id === undefined || !Number.isInteger(n) || n <= 0 ? null : n;
}

export async function recordReverted(trx: Knex | Knex.Transaction, tableName: string, name: string): Promise<void> {
  await trx(tableName).where({ name }).del();
  await trx(checksumTableName(tableName)).where({ name }).del();
}

export async function nextBatch(trx: Knex | Knex.Transaction, tableName: string): Promise<number> {
  const row = await trx(tableName).max({ max: 'batch' }).first();
  return Number(row?.max ?? 0) + 1;
}
