import type { Knex } from 'knex';
import { dialectOfKnex } from '../dialect/capabilities';
import { OFFLINE_SQL } from './guard';
import { splitTypeName } from '../schema/qualified';

/**
 * kiln/online: the helpers of an online-safe generated migration (PostgreSQL, MySQL/MariaDB).
 *
 * Such a migration declares `export const config = { transaction: false }`: kiln runs it under
 * its session lock, outside any transaction, and records it only once it succeeded. Each step
 * runs in a short transaction of its own (`ddl`), or outside any (`createIndexConcurrently`),
 * under a short lock timeout: a step that cannot get its lock within the lock timeout gives up,
 * waits (backoff) and tries again, up to a number of tries, instead of queueing every other query
 * on the table behind it. Every step can run twice: a failed or killed run records nothing, and
 * the next `kiln db upgrade` runs the migration again from its start, so a step skips itself
 * when what it makes is already there (`skipIf`), and a concurrent index build first drops the
 * INVALID index a killed build left behind.
 */

/** Seconds a statement may wait for its lock before it gives up (and the step is tried again). */
export const lockTimeoutSeconds = (): number => envNumber('KILN_ONLINE_LOCK_TIMEOUT', 2, (n) => n > 0, 'a number of seconds > 0');
/** How many times a step is tried when its lock is not granted in time. */
export const tries = (): number => envNumber('KILN_ONLINE_TRIES', 5, (n) => Number.isInteger(n) && n >= 1, 'a whole number >= 1');
const BACKOFF_MS = 500;

/**
 * A setting from the environment, read when a step runs: a value that is not what it must be
 * fails the step, naming it (a 'NaN' try count would retry forever, a 'NaN' timeout is SQL).
 */
function envNumber(name: string, fallback: number, ok: (n: number) => boolean, what: string): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || !ok(n)) throw new Error(`${name} must be ${what}, got '${raw}'`);
  return n;
}

/** What a step makes (`has`) or removes (`lacks`): when it is already so, the step is skipped. */
export type SkipIf =
  | { readonly has: 'table' | 'type' | 'sequence'; readonly name: string }
  | { readonly lacks: 'table' | 'type' | 'sequence'; readonly name: string }
  | { readonly has: 'column' | 'index' | 'constraint' | 'not-null'; readonly table: string; readonly name: string }
  | { readonly lacks: 'column' | 'index' | 'constraint'; readonly table: string; readonly name: string };

export interface DdlOptions {
  /** Skip the step when the database already is as it leaves it (a re-run after a kill). */
  readonly skipIf?: SkipIf;
}

/**
 * Runs `run` in a transaction of its own (one connection on MySQL/MariaDB, where DDL commits at
 * once) under the lock timeout (KILN_ONLINE_LOCK_TIMEOUT, 2 s); when a lock is not granted in time the
 * step is rolled back and tried again after a growing pause, up to KILN_ONLINE_TRIES (5) times.
 */
export async function ddl(knex: Knex, run: (knex: Knex) => Promise<unknown>, options: DdlOptions = {}): Promise<void> {
  // Offline (`upgrade --sql`, `--plan`, `db lint`) the reads see the database before the script,
  // not after its earlier steps: a step is never skipped there (the script is for that database).
  if (options.skipIf && !isOffline(knex) && (await holds(knex, options.skipIf))) return;
  const mysql = dialectOfKnex(knex) === 'mysql';
  if (isOffline(knex)) {
    // `upgrade --sql`, `db lint`, `upgrade --plan`: the statements are recorded, not run.
    if (mysql) await knex.raw(`SET SESSION lock_wait_timeout = ${Math.max(1, Math.round(lockTimeoutSeconds()))}`);
    else await knex.raw('BEGIN');
    if (!mysql) await knex.raw(`SET LOCAL lock_timeout = '${lockTimeoutSeconds()}s'`);
    await run(knex);
    if (!mysql) await knex.raw('COMMIT');
    return;
  }
  await retried(async () => {
    await knex.transaction(async (trx) => {
      if (!mysql) {
        await trx.raw(`SET LOCAL lock_timeout = '${lockTimeoutSeconds()}s'`);
        await run(trx);
        return;
      }
      const [[saved]] = (await trx.raw('SELECT @@SESSION.lock_wait_timeout AS timeout, @@SESSION.foreign_key_checks AS fk')) as [{ timeout: number; fk: number }[]];
      await trx.raw(`SET SESSION lock_wait_timeout = ${Math.max(1, Math.round(lockTimeoutSeconds()))}`);
      try {
        await run(trx);
      } finally {
        await trx.raw('SET SESSION lock_wait_timeout = ?, foreign_key_checks = ?', [Number(saved.timeout), Number(saved.fk)]);
      }
    });
  });
}

/**
 * PostgreSQL: `sql` is a `CREATE [UNIQUE] INDEX CONCURRENTLY IF NOT EXISTS ?? ON ?? ...` of the
 * index `name`, run outside any transaction (it lets writes go on while it builds). An INVALID
 * index of that name (left by a build that failed or was killed) is dropped first; a build that
 * cannot get its locks within the lock timeout leaves such an index, which the next try drops.
 */
export async function createIndexConcurrently(knex: Knex, name: string, sql: string, bindings: readonly string[]): Promise<void> {
  // Offline the index may still be there (the script drops it first): the statement is written.
  if (isOffline(knex)) {
    await knex.raw(sql, bindings as Knex.RawBinding[]);
    return;
  }
  await retried(() =>
    pinned(knex, async (raw) => {
      // The table (the second binding) may be of another schema (`billing.invoice`): its index is there.
      const { schema } = splitTable(bindings[1] ?? '');
      const state = await indexState(raw, name, schema);
      if (state === 'valid') return;
      if (state === 'invalid') await raw('DROP INDEX CONCURRENTLY IF EXISTS ??', [schema ? `${schema}.${name}` : name]);
      await raw(sql, bindings);
    }),
  );
}

/** PostgreSQL: `DROP INDEX CONCURRENTLY IF EXISTS`, outside any transaction, under the lock timeout. */
export async function dropIndexConcurrently(knex: Knex, name: string): Promise<void> {
  await retried(() => pinned(knex, (raw) => raw('DROP INDEX CONCURRENTLY IF EXISTS ??', [name])));
}

/**
 * PostgreSQL: makes an existing column NOT NULL without scanning the table under an exclusive
 * lock: `CHECK (col IS NOT NULL) NOT VALID`, `VALIDATE CONSTRAINT` (reads and writes go on),
 * `SET NOT NULL` (PostgreSQL 12+ takes the validated check as proof and skips the scan), then
 * the check is dropped. Each step is skipped when it is already done.
 */
export async function setNotNull(knex: Knex, table: string, column: string, check: string): Promise<void> {
  if (isOffline(knex) || !(await holds(knex, { has: 'not-null', table, name: column }))) {
    await ddl(knex, (k) => k.raw('ALTER TABLE ?? ADD CONSTRAINT ?? CHECK (?? IS NOT NULL) NOT VALID', [table, check, column]), { skipIf: { has: 'constraint', table, name: check } });
    await ddl(knex, (k) => k.raw('ALTER TABLE ?? VALIDATE CONSTRAINT ??', [table, check]));
    await ddl(knex, (k) => k.raw('ALTER TABLE ?? ALTER COLUMN ?? SET NOT NULL', [table, column]));
  }
  await ddl(knex, (k) => k.raw('ALTER TABLE ?? DROP CONSTRAINT ??', [table, check]), { skipIf: { lacks: 'constraint', table, name: check } });
}

/**
 * MySQL/MariaDB: after a foreign key was added with foreign_key_checks off (which lets the
 * server add it in place, without copying the table), proves that no existing row breaks it.
 * When one does, the foreign key is dropped again and the migration fails, naming it.
 */
export async function verifyForeignKey(
  knex: Knex,
  fk: { readonly table: string; readonly name: string; readonly columns: readonly string[]; readonly refTable: string; readonly refColumns: readonly string[] },
): Promise<void> {
  if (isOffline(knex)) return;
  const on = fk.columns.map(() => '?? = ??').join(' AND ');
  const onBindings = fk.columns.flatMap((c, i) => [`c.${c}`, `p.${fk.refColumns[i]}`]);
  const notNull = fk.columns.map(() => '?? IS NOT NULL').join(' AND ');
  const [rows] = (await knex.raw(`SELECT 1 AS orphan FROM ?? AS c LEFT JOIN ?? AS p ON ${on} WHERE ${notNull} AND ?? IS NULL LIMIT 1`, [
    fk.table,
    fk.refTable,
    ...onBindings,
    ...fk.columns.map((c) => `c.${c}`),
    `p.${fk.refColumns[0]}`,
  ])) as [unknown[]];
  if (!rows.length) return;
  await ddl(knex, (k) => k.raw('ALTER TABLE ?? DROP FOREIGN KEY ??', [fk.table, fk.name]));
  throw new Error(`foreign key ${fk.name}: rows of ${fk.table} reference no row of ${fk.refTable}; fix them and run the migration again`);
}

/** Whether the database already is as `skip` says (its objects in the current schema / database). */
export async function holds(knex: Knex, skip: SkipIf): Promise<boolean> {
  const what = 'has' in skip ? skip.has : skip.lacks;
  const present = await exists(knex, what, 'table' in skip ? skip.table : '', skip.name);
  return 'has' in skip ? present : !present;
}

async function exists(knex: Knex, what: SkipIf extends infer S ? (S extends { has: infer W } ? W : never) : never, table: string, name: string): Promise<boolean> {
  const mysql = dialectOfKnex(knex) === 'mysql';
  const any = async (sql: string, bindings: readonly unknown[]) => {
    const res = (await knex.raw(sql, bindings as Knex.RawBinding[])) as { rows?: unknown[] } | [unknown[]];
    return (Array.isArray(res) ? res[0] : (res.rows ?? [])).length > 0;
  };
  // A table of another PostgreSQL schema is named `billing.invoice` (src/schema/qualified.ts).
  const { schema, table: bare } = splitTable(what === 'table' ? name : table);
  const builder = () => (schema ? knex.schema.withSchema(schema) : knex.schema);
  switch (what) {
    case 'table':
      return builder().hasTable(bare);
    case 'column':
      return builder().hasColumn(bare, name);
    case 'type':
    {
      // An enum type of another schema is `shared.mood` (src/schema/qualified.ts splitTypeName).
      const type = splitTypeName(name);
      return any('select 1 from pg_catalog.pg_type t join pg_catalog.pg_namespace n on n.oid = t.typnamespace where t.typname = ? and n.nspname = coalesce(?::text, current_schema())', [type.type, type.schema]);
    }
    case 'sequence':
      if (mysql) return any("select 1 from information_schema.TABLES where TABLE_SCHEMA = database() and TABLE_NAME = ? and TABLE_TYPE = 'SEQUENCE'", [name]);
      return any("select 1 from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace where c.relname = ? and c.relkind = 'S' and n.nspname = current_schema()", [name]);
    case 'not-null':
      return mysql
        ? any("select 1 from information_schema.COLUMNS where TABLE_SCHEMA = database() and TABLE_NAME = ? and COLUMN_NAME = ? and IS_NULLABLE = 'NO'", [table, name])
        : any("select 1 from information_schema.columns where table_schema = coalesce(?::text, current_schema()) and table_name = ? and column_name = ? and is_nullable = 'NO'", [schema, bare, name]);
    case 'index':
      return mysql
        ? any('select 1 from information_schema.STATISTICS where TABLE_SCHEMA = database() and TABLE_NAME = ? and INDEX_NAME = ?', [table, name])
        : (await indexState(rawOf(knex), name, schema)) === 'valid';
    case 'constraint':
      return mysql
        ? any('select 1 from information_schema.TABLE_CONSTRAINTS where CONSTRAINT_SCHEMA = database() and TABLE_NAME = ? and CONSTRAINT_NAME = ?', [table, name])
        : any(
            'select 1 from pg_catalog.pg_constraint k join pg_catalog.pg_class c on c.oid = k.conrelid join pg_catalog.pg_namespace n on n.oid = c.relnamespace where c.relname = ? and k.conname = ? and n.nspname = coalesce(?::text, current_schema())',
            [bare, name, schema],
          );
  }
}

/** `billing.invoice` -> schema 'billing', table 'invoice'; a bare name is of the current schema (null). */
function splitTable(name: string): { schema: string | null; table: string } {
  const dot = name.indexOf('.');
  return dot < 0 ? { schema: null, table: name } : { schema: name.slice(0, dot), table: name.slice(dot + 1) };
}

/** Whether `knex` only records its writes (an offline run: `upgrade --sql`, `db lint`). */
const isOffline = (knex: Knex) => (knex.client as unknown as Record<symbol, unknown>)[OFFLINE_SQL] === true;

type Raw = (sql: string, bindings?: readonly unknown[]) => Promise<unknown>;

const rawOf = (knex: Knex): Raw => (sql, bindings = []) => knex.raw(sql, bindings as Knex.RawBinding[]) as unknown as Promise<unknown>;

/** PostgreSQL: whether the index `name` of the current schema is there, and valid. */
async function indexState(raw: Raw, name: string, schema: string | null = null): Promise<'valid' | 'invalid' | 'absent'> {
  const res = (await raw(
    `select i.indisvalid as valid from pg_catalog.pg_index i join pg_catalog.pg_class c on c.oid = i.indexrelid
     join pg_catalog.pg_namespace n on n.oid = c.relnamespace where c.relname = ? and n.nspname = coalesce(?::text, current_schema())`,
    [name, schema],
  )) as { rows?: { valid: boolean }[] };
  const row = res.rows?.[0];
  return row === undefined ? 'absent' : row.valid ? 'valid' : 'invalid';
}

/** PostgreSQL: `run` on one connection of the pool, outside any transaction, under the lock timeout. */
async function pinned<T>(knex: Knex, run: (raw: Raw) => Promise<T>): Promise<T> {
  const client = knex.client as { acquireConnection(): Promise<unknown>; releaseConnection(c: unknown): Promise<void> };
  const connection = await client.acquireConnection();
  const raw: Raw = (sql, bindings = []) => knex.raw(sql, bindings as Knex.RawBinding[]).connection(connection) as unknown as Promise<unknown>;
  try {
    await raw(`SET lock_timeout = '${lockTimeoutSeconds()}s'`);
    return await run(raw);
  } finally {
    await raw('RESET lock_timeout').catch(() => undefined);
    await client.releaseConnection(connection);
  }
}

/** Whether a failure is a lock not granted within the lock timeout (PostgreSQL 55P03, MySQL 1205). */
export function isLockTimeout(e: unknown): boolean {
  const err = e as { code?: unknown; errno?: unknown } | null;
  return err?.code === '55P03' || err?.errno === 1205 || err?.code === 'ER_LOCK_WAIT_TIMEOUT';
}

async function retried<T>(run: () => Promise<T>): Promise<T> {
  // Both settings are checked before anything runs.
  const max = tries();
  const timeout = lockTimeoutSeconds();
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (e) {
      if (!isLockTimeout(e) || attempt >= max) {
        if (isLockTimeout(e) && e instanceof Error) e.message += ` (lock not granted within ${timeout} s, ${max} tries)`;
        throw e;
      }
      process.stderr.write(`kiln/online: lock not granted within ${timeout} s, try ${attempt + 1} of ${max} in ${(BACKOFF_MS * 2 ** (attempt - 1)) / 1000} s\n`);
      await new Promise((r) => setTimeout(r, BACKOFF_MS * 2 ** (attempt - 1)));
    }
  }
}
