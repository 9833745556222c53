import type { Knex } from 'knex';

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
}

export async function recordApplied(trx: Knex | Knex.Transaction, tableName: string, name: string, batch: number): Promise<void> {
  await trx(tableName).insert({ name, batch, migration_time: new Date() });
}

export async function recordReverted(trx: Knex | Knex.Transaction, tableName: string, name: string): Promise<void> {
  await trx(tableName).where({ name }).del();
}

export async function nextBatch(trx: Knex | Knex.Transaction, tableName: string): Promise<number> {
  const row = await trx(tableName).max({ max: 'batch' }).first();
  return Number(row?.max ?? 0) + 1;
}
