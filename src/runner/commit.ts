import type { Knex } from 'knex';
import { executionPromise } from '../knex-internals';
import { dialectOfKnex } from '../dialect/capabilities';
import { dialectOf } from '../dialect/registry';
import { KilnError, messageOf, type ErrorCode } from '../errors';

/**
 * Commits a Knex transaction and throws the COMMIT's own error.
 *
 * Knex's `trx.commit()` resolves even when the COMMIT fails (a deferred foreign key on
 * PostgreSQL or SQLite, SQLITE_FULL or SQLITE_BUSY when SQLite writes the pages): it puts the
 * error on the transaction's execution promise instead. Every commit kiln makes goes through
 * here, so a refused COMMIT is a failure with one line naming `what` was being committed,
 * never a success. The failure is a KilnError whose message ends with `nothing was changed`, or
 * `outcome` where that is not so (MySQL, whose DDL committed on its own); on SQLite a COMMIT
 * that failed leaves the transaction open, so it is rolled back here.
 */
export async function commitTransaction(knex: Knex, trx: Knex.Transaction, what: string, outcome?: string, code: ErrorCode = 'MIGRATION_FAILED'): Promise<void> {
  await trx.commit();
  const execution = executionPromise(trx);
  const failure = execution ? await execution.then(() => undefined, (e: unknown) => e ?? new Error('COMMIT failed')) : undefined;
  if (failure === undefined) return;
  // SQLite keeps the transaction open after a failed COMMIT (its one pooled connection would
  // carry it on); PostgreSQL has already rolled it back, and there ROLLBACK only warns.
  const dialect = dialectOfKnex(knex);
  if (dialect && dialectOf(dialect).runtime.rollbackAfterFailedCommit) await knex.raw('ROLLBACK').catch(() => undefined);
  throw commitError(failure, what, code, outcome);
}

/**
 * The error of a COMMIT that failed. `outcome` says what that left: the default holds where the
 * database rolls the whole transaction back (not for MySQL's implicit commit after DDL).
 */
export function commitError(failure: unknown, what: string, code: ErrorCode = 'MIGRATION_FAILED', outcome: string | undefined = '; the transaction was rolled back, nothing was changed'): KilnError {
  const cause = messageOf(failure).replace(/^(?:COMMIT;?|SET autocommit = 1) - /i, '');
  return new KilnError(code, `${what} failed at COMMIT: ${cause}${outcome}`, { cause: failure });
}
