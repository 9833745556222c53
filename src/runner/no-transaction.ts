import type { Knex } from 'knex';
import { KilnError } from '../errors';
import { patchClientQuery } from '../knex-internals';
import { ensureTables, lockTableName, nextBatch, recordApplied, recordReverted } from './bookkeeping';
import { commitTransaction } from './commit';
import type { MigrationFile } from './files';
import { guardRun } from './interrupt';
import { displayPath, type MigrationModule } from './load-migration';
import { lockWaitNotice } from './lock';
import { checksumOf } from './status';
import { runStep, type StepContext } from './step';
import { runtimeOf, type TransactionContext } from './transaction';

/** Whether kiln runs the migration inside the run's transaction (Knex's `config.transaction`). */
export const inTransaction = (mod: MigrationModule): boolean => mod.config?.transaction !== false;

/**
 * One migration that declares `export const config = { transaction: false }` (CREATE INDEX
 * CONCURRENTLY, VACUUM, ALTER TYPE ... ADD VALUE before PostgreSQL 12): run on its own, outside
 * any transaction, under the dialect's session lock (DialectRuntime.sessionLock). It is recorded
 * only after it succeeded, in a transaction of its own; a failure records nothing, so a re-run
 * runs it again from its start (statements of it that ran stay applied: a migration without a
 * transaction has to be written to run twice, e.g. `CREATE INDEX CONCURRENTLY IF NOT EXISTS`,
 * and PostgreSQL's INVALID index left by a failed concurrent build is dropped before the build
 * runs again).
 */
export async function runWithoutTransaction(
  ctx: TransactionContext,
  step: MigrationFile,
  direction: 'up' | 'down',
  mod: MigrationModule,
  /** The applied migrations' names, as kiln understands the rows (squashed and moved files). */
  readApplied: (knex: Knex) => Promise<string[]>,
  /** Under the lock, with the applied migrations: throws when the step is no longer to do, else reports it. */
  begin: (applied: readonly string[]) => void,
): Promise<void> {
  const { knex } = ctx.db;
  const table = ctx.config.tableName;
  const runtime = runtimeOf(ctx);
  const guard = guardRun(knex, { betweenMigrations: true });
  const stop = lockWaitNotice(ctx.config.lockTimeoutMs);
  let release: () => Promise<void>;
  try {
    await ensureTables(knex, table);
    release = runtime.sessionLock ? (await runtime.sessionLock(knex, table, ctx.config.lockTimeoutMs)).release : await takeLockRow(knex, table);
  } catch (e) {
    guard.release();
    throw e;
  } finally {
    stop();
  }
  try {
    if (runtime.sessionLock) await refuseKnexLockRow(knex, table);
    begin(await readApplied(knex));
    guard.working();
    const stepCtx: StepContext = { knex, runtime };
    const fkBaseline = runtime.foreignKeyCheck ? (await runtime.foreignKeyCheck(knex)).length : 0;
    const restore = runtime.beforeNonTransactionalStatement ? repairBefore(knex, runtime.beforeNonTransactionalStatement) : () => undefined;
    try {
      if (direction === 'up') await runStep(stepCtx, knex, step, fkBaseline, () => mod.up(knex));
      else {
        if (!mod.down) throw new KilnError('MIGRATION_FILE', `migration ${displayPath(step.path)} has no down(knex) function: it cannot be reverted`);
        await runStep(stepCtx, knex, step, fkBaseline, () => mod.down!(knex));
      }
    } catch (e) {
      throw ranOutsideTransaction(e, step);
    } finally {
      restore();
    }
    guard.done();
    const trx = await knex.transaction();
    try {
      if (direction === 'up') await recordApplied(trx, table, step.name, await nextBatch(trx, table), checksumOf(step));
      else await recordReverted(trx, table, step.name);
    } catch (e) {
      await trx.rollback().catch(() => undefined);
      throw e;
    }
    await commitTransaction(knex, trx, `the record of migration ${displayPath(step.path)}`, `; migration ${displayPath(step.path)} ran (outside a transaction) but is not recorded: 'kiln db stamp' it once you checked`);
  } finally {
    guard.release();
    await release();
  }
}

/** A failure inside a step without a transaction: what ran stays, and the re-run starts it over. */
function ranOutsideTransaction(e: unknown, step: MigrationFile): unknown {
  if (!(e instanceof KilnError) || e.code !== 'MIGRATION_FAILED') return e;
  // A guard of kiln/guard refused before any statement ran: there is nothing applied to speak of.
  if ((e.cause as { kilnNothingChanged?: boolean } | undefined)?.kilnNothingChanged === true) return e;
  const note = `it runs without a transaction: its statements before the failure stay applied, it is not recorded, and 'kiln db upgrade' runs it again from its start`;
  return new KilnError('MIGRATION_FAILED', `${e.message}; ${note}`, { cause: e.cause, hint: e.hint ?? `migration ${displayPath(step.path)} must be safe to run twice (IF NOT EXISTS / IF EXISTS)` });
}

/** SQLite: Knex's lock row, set and committed (there is no lock outside a transaction). */
async function takeLockRow(knex: Knex, tableName: string): Promise<() => Promise<void>> {
  const lock = lockTableName(tableName);
  const updated = await knex(lock).where('is_locked', 0).update({ is_locked: 1 });
  if (Number(updated) === 0) {
    throw new KilnError('LOCKED', `Knex's lock table ${lock} says a migration is running (is_locked = 1)`, {
      hint: "if no kiln or knex migration is running, it was left by a killed process: run 'kiln db unlock'",
    });
  }
  return async () => void (await knex(lock).update({ is_locked: 0 }));
}

async function refuseKnexLockRow(knex: Knex, tableName: string): Promise<void> {
  const lock = lockTableName(tableName);
  const row = (await knex(lock).first('is_locked')) as { is_locked?: number | boolean } | undefined;
  if (row && Number(row.is_locked) === 1) {
    throw new KilnError('LOCKED', `Knex's lock table ${lock} says a migration is running (is_locked = 1)`, {
      hint: "if no 'knex migrate' is running, it was left by a killed process: run 'kiln db unlock'",
    });
  }
}

/** Runs the dialect's repair before each statement of the step, on the statement's connection. */
function repairBefore(knex: Knex, repair: NonNullable<ReturnType<typeof runtimeOf>['beforeNonTransactionalStatement']>): () => void {
  const client = knex.client as object;
  return patchClientQuery(client, (original) =>
    async function (this: unknown, conn, q) {
      const sql = typeof q === 'string' ? q : q.sql;
      await repair(sql, async (s, bindings = []) => {
        const { sql: text, bindings: b } = knex.raw(s, bindings as Knex.RawBinding[]).toSQL();
        const res = (await original.call(this, conn, { sql: text, bindings: b, method: 'raw' } as never)) as { response?: { rows?: unknown[] } };
        return res?.response?.rows ?? [];
      });
      return original.call(this, conn, q);
    },
  );
}
