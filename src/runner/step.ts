import type { Knex } from 'knex';
import { formatQuery } from '../knex-internals';
import type { DialectRuntime } from '../dialect/runtime';
import { KilnError, isKilnError, messageOf } from '../errors';
import type { MigrationFile } from './files';
import { displayPath } from './load-migration';
import { commitError } from './commit';
import { interruptedError, pendingSignal } from './interrupt';
import { stepsFailureOf, type StepsFailure } from '../public/migrate';
import { reportActivity } from '../public/activity';

/** One migration function run inside the run's transaction, and the one line its failure becomes. */
export interface StepContext {
  readonly knex: Knex;
  readonly runtime: DialectRuntime;
}

/**
 * Knex prefixes a driver error with the statement (`<sql> - <error>`); the statement is
 * printed apart, so the prefix goes.
 */
function withoutSqlPrefix(message: string, query: { sql: string; bindings?: unknown[] } | undefined, knex: Knex): string {
  if (!query) return message;
  for (const prefix of [`${formatQuery(query.sql, query.bindings ?? [], knex.client)} - `, `${query.sql} - `]) {
    if (message.startsWith(prefix)) return message.slice(prefix.length);
  }
  return message.replace(/^.* - (?=[A-Z_]+:|ER_|error:)/, '');
}

/** MySQL: a recorded migration is committed with its record (DialectRuntime.commitEachMigration). */
export async function commitBoundary(ctx: StepContext, trx: Knex.Transaction, step: MigrationFile): Promise<void> {
  const boundaries = ctx.runtime.commitEachMigration;
  if (!boundaries) return;
  await boundaries.commit(trx).catch((e: unknown) => Promise.reject(commitError(e, `migration ${displayPath(step.path)}`, 'MIGRATION_FAILED', '')));
}

/** Runs one migration function, turning its failure into one line naming file, statement and cause. */
export async function runStep(ctx: StepContext, trx: Knex | Knex.Transaction, step: MigrationFile, fkBaseline: number, fn: () => unknown): Promise<void> {
  const executed: string[] = [];
  // The statement the database refused, if one was: an error the migration's own code throws
  // (not SQL) names no statement, the last one that ran having succeeded.
  let failed: { sql: string; bindings?: unknown[] } | undefined;
  const onQuery = (q: { sql?: string }) => {
    if (!q.sql) return;
    executed.push(q.sql);
    reportActivity({ kind: 'statement', migration: step.id, index: executed.length, sql: q.sql });
  };
  const onQueryError = (_e: unknown, q: { sql?: string; bindings?: unknown[] }) => {
    if (q?.sql) failed = { sql: q.sql, bindings: q.bindings };
    reportActivity({ kind: 'statement-done' });
  };
  const onResponse = () => reportActivity({ kind: 'statement-done' });
  ctx.knex.on('query', onQuery);
  ctx.knex.on('query-error', onQueryError);
  ctx.knex.on('query-response', onResponse);
  try {
    await fn();
    const { foreignKeyCheck } = ctx.runtime;
    if (foreignKeyCheck && !onlyCreates(executed)) await checkForeignKeys(foreignKeyCheck, trx, step, fkBaseline);
  } catch (caught) {
    // A signal arrived: whatever failed (code that wraps errors, e.g. a rebuild) failed because
    // the next statement was refused.
    const signal = pendingSignal();
    const e = signal && !ctx.runtime.letRunningMigrationFinishOnSignal && !(isKilnError(caught) && caught.code === 'INTERRUPTED') ? interruptedError(signal) : caught;
    if (isKilnError(e) && e.code === 'INTERRUPTED') {
      const hint =
        !ctx.runtime.transactionalDdl && executed.some(isDdl)
          ? `MySQL cannot roll back DDL: ${executed.length} statement(s) of this migration ran and stay applied: ${executed.map(clip).join('; ')}`
          : undefined;
      throw new KilnError('INTERRUPTED', `${e.message} in migration ${displayPath(step.path)}`, { exit: e.exit, hint });
    }
    if (isKilnError(e)) throw e;
    const undone = stepsFailureOf(e);
    if (undone) throw stepsFailed(step, undone, ctx.knex, e);
    const cause = withoutSqlPrefix(messageOf(e), failed, ctx.knex);
    if (failed && executed.includes(failed.sql)) executed.splice(executed.lastIndexOf(failed.sql), 1);
    const stmt = failed ? ` (statement: ${clip(failed.sql)})` : '';
    const hint =
      !ctx.runtime.transactionalDdl && executed.some(isDdl)
        ? `MySQL cannot roll back DDL: ${executed.length} earlier statement(s) of this migration ran and stay applied: ${executed.map(clip).join('; ')}`
        : undefined;
    throw new KilnError('MIGRATION_FAILED', `migration ${displayPath(step.path)} failed: ${cause}${stmt}`, { cause: e, hint });
  } finally {
    ctx.knex.removeListener('query', onQuery);
    ctx.knex.removeListener('query-error', onQueryError);
    ctx.knex.removeListener('query-response', onResponse);
    reportActivity({ kind: 'statement-done' });
  }
}

/** A generated migration's `steps()` failed and undid what it could (kiln/migrate): say what it did. */
function stepsFailed(step: MigrationFile, f: StepsFailure, knex: Knex, e: unknown): KilnError {
  const statement = f.statement ? { sql: f.statement.sql, bindings: f.statement.bindings ? [...f.statement.bindings] : undefined } : undefined;
  const cause = withoutSqlPrefix(f.message, statement, knex);
  const stmt = statement ? ` (statement: ${clip(statement.sql)})` : '';
  const hint = f.leftApplied.length
    ? `MySQL cannot roll back DDL: ${f.leftApplied.length} statement(s) of this migration ran and stay applied: ${f.leftApplied.map(clip).join('; ')}`
    : undefined;
  return new KilnError('MIGRATION_FAILED', `migration ${displayPath(step.path)} failed: ${cause}${stmt}${f.note ? `; ${f.note}` : ''}`, { cause: e, hint });
}

/**
 * True when the migration ran statements and each only created a table or an index: that cannot
 * add a row breaking a foreign key, so the check after it (a scan of every table) is skipped.
 * A migration that ran nothing through Knex (or anything else) is checked.
 */
function onlyCreates(executed: readonly string[]): boolean {
  return executed.length > 0 && executed.every((sql) => /^\s*create\s+(?:table|(?:unique\s+)?index)\b[^;]*;?\s*$/i.test(sql));
}

const clip = (sql: string) => (sql.length > 200 ? `${sql.slice(0, 200)}...` : sql);
const isDdl = (sql: string) => /^\s*(create|alter|drop|rename|truncate)\b/i.test(sql);

/**
 * SQLite runs migrations with foreign keys off (its ALTER TABLE recipe), so after each
 * migration the foreign keys are checked: rows that break one and did not before the run
 * fail the migration and roll the run back.
 */
async function checkForeignKeys(check: NonNullable<DialectRuntime["foreignKeyCheck"]>, trx: Knex | Knex.Transaction, step: MigrationFile, baseline: number): Promise<void> {
  const rows = await check(trx);
  if (rows.length <= baseline) return;
  const first = rows[0];
  throw new KilnError(
    'MIGRATION_FAILED',
    `migration ${displayPath(step.path)} leaves ${rows.length - baseline} row(s) breaking foreign keys (first: table '${first.table}' rowid ${first.rowid} -> '${first.parent}'); rolled back`,
  );
}
