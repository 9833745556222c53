import type { Knex } from 'knex';
import { dialectOfKnex, transactionalDdl } from '../dialect/capabilities';
import { dialectOf } from '../dialect/registry';
import type { DialectName } from '../dialect/types';

/**
 * kiln/migrate: a generated migration of several steps, each paired with its exact reverse.
 *
 * MySQL/MariaDB commit every DDL statement at once, so a migration that fails at its third
 * statement would leave the first two applied. `steps()` runs the steps in order; when one
 * fails, it runs the `undo` of every completed step, last first, then rethrows the failure
 * with a note saying so (or, if an undo fails too, exactly what stays applied). The database
 * is then at the previous revision and the migration can run again once the cause is fixed.
 *
 * Where DDL is transactional (PostgreSQL, SQLite) the run's rollback already undoes
 * everything (and a failed statement aborts a PostgreSQL transaction): there the steps simply
 * run in order and no undo ever runs.
 */

export interface Step {
  /** The change. */
  readonly run: () => unknown;
  /** Its exact reverse, run when a later step of the same migration fails. */
  readonly undo: () => unknown;
  /** What `run` destroys (e.g. "drops column 'a.b' and its data"): `undo` restores the structure, not the data. */
  readonly loses?: string;
}

/** Attached (as `kilnSteps`) to the error `steps()` rethrows, for kiln's runner to report. */
export interface StepsFailure {
  /** The failure's own message, before the note was added. */
  readonly message: string;
  /** The statement that failed, when a statement did. */
  readonly statement?: { readonly sql: string; readonly bindings?: readonly unknown[] };
  /** What was undone, or what stays applied. */
  readonly note: string;
  /** Statements of this migration that ran and stay applied (empty when everything was undone). */
  readonly leftApplied: readonly string[];
}

interface QueryEvent {
  sql?: string;
  bindings?: unknown[];
}

/** One body per database, each as `kiln db migrate` generated it against that database. */
export type DialectBodies = Partial<Record<DialectName, (knex: Knex) => Promise<void>>>;

/**
 * Runs the body written for the database the migration runs on. Generated migrations say what
 * the database they were generated against stores (an enum is a type on PostgreSQL, a CHECK on
 * SQLite); a migration meant for several databases holds one generated body per database. A
 * database without a body is refused, naming it: nothing runs.
 */
export async function byDialect(knex: Knex, bodies: DialectBodies): Promise<void> {
  const dialect = dialectOfKnex(knex);
  const body = dialect === undefined ? undefined : bodies[dialect];
  if (body === undefined) {
    const has = (Object.keys(bodies) as DialectName[]).map((d) => dialectOf(d).label).join(', ');
    const on = dialect === undefined ? 'this database' : dialectOf(dialect).label;
    throw new Error(`this migration has no body for ${on} (it has one for ${has || 'no database'})`);
  }
  await body(knex);
}

/** Runs `list` in order; on a database without transactional DDL, undoes the completed steps when one fails. */
export async function steps(knex: Knex, list: readonly Step[]): Promise<void> {
  const dialect = dialectOfKnex(knex);
  if (!dialect || transactionalDdl(dialect)) {
    for (const step of list) await step.run();
    return;
  }
  const recorder = new Recorder(knex);
  try {
    const done: string[][] = [];
    for (let i = 0; i < list.length; i++) {
      recorder.start();
      try {
        await list[i].run();
      } catch (e) {
        const failed = recorder.take();
        throw await undoCompleted(list, i, done, failed, recorder, e);
      }
      done.push(recorder.take().ran);
    }
  } finally {
    recorder.stop();
  }
}

/** The statements one step ran (and the one that failed), from Knex's query events. */
class Recorder {
  private ran: string[] = [];
  private failed: QueryEvent | undefined;
  private readonly onResponse = (_r: unknown, q: QueryEvent) => {
    if (q?.sql) this.ran.push(q.sql);
    this.failed = undefined; // a failure the step caught and got past is not its failure
  };
  private readonly onError = (_e: unknown, q: QueryEvent) => void (this.failed = q?.sql ? q : undefined);

  constructor(private readonly knex: Knex) {
    knex.on('query-response', this.onResponse);
    knex.on('query-error', this.onError);
  }

  start(): void {
    this.ran = [];
    this.failed = undefined;
  }

  take(): { ran: string[]; failed: QueryEvent | undefined } {
    return { ran: this.ran, failed: this.failed };
  }

  stop(): void {
    this.knex.removeListener('query-response', this.onResponse);
    this.knex.removeListener('query-error', this.onError);
  }
}

/** One line: the note goes on the error's single line. */
const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e)).replace(/\s*\n\s*/g, ' ');
const plural = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;

/** Undoes steps `failedAt-1 .. 0`; returns the original failure with a note on what was undone. */
async function undoCompleted(
  list: readonly Step[],
  failedAt: number,
  done: readonly string[][],
  failed: { ran: string[]; failed: QueryEvent | undefined },
  recorder: Recorder,
  cause: unknown,
): Promise<Error> {
  const partial = failed.ran.length
    ? `the failed step ${failedAt + 1} had already run ${plural(failed.ran.length, 'statement')}, which stay${failed.ran.length === 1 ? 's' : ''} applied`
    : '';
  for (let j = failedAt - 1; j >= 0; j--) {
    recorder.start();
    try {
      await list[j].undo();
    } catch (u) {
      const undoRan = recorder.take().ran;
      const note =
        `undoing step ${j + 1} failed (${messageOf(u)}): ` +
        `step${j === 0 ? ' 1 stays' : `s 1-${j + 1} stay`} applied` +
        (failedAt - 1 > j ? ` (${failedAt - 1 === j + 1 ? `step ${failedAt} was` : `steps ${j + 2}-${failedAt} were`} undone)` : '') +
        (undoRan.length ? `, and ${plural(undoRan.length, 'statement')} of the failed undo ran` : '');
      return annotate(cause, failed.failed, [note, partial], [...done.slice(0, j + 1).flat(), ...undoRan, ...failed.ran]);
    }
  }
  if (failedAt === 0) return annotate(cause, failed.failed, [partial], failed.ran);
  const lost = list.slice(0, failedAt).flatMap((s, j) => (s.loses ? [`step ${j + 1} (${s.loses})`] : []));
  const undid = `kiln undid the ${plural(failedAt, 'completed step')} of this migration`;
  const state = partial
    ? ''
    : lost.length
      ? `: the schema is as before it, but the data dropped by ${lost.join(' and ')} is gone`
      : ': the database is as before it';
  return annotate(cause, failed.failed, [undid + state, partial], failed.ran);
}

function annotate(cause: unknown, statement: QueryEvent | undefined, notes: string[], leftApplied: string[]): Error {
  const e = cause instanceof Error ? cause : new Error(String(cause));
  const note = notes.filter(Boolean).join('; ');
  const failure: StepsFailure = {
    message: e.message,
    statement: statement?.sql ? { sql: statement.sql, bindings: statement.bindings } : undefined,
    note,
    leftApplied,
  };
  if (note) e.message = `${e.message}; ${note}`;
  Object.defineProperty(e, 'kilnSteps', { value: failure, enumerable: false, configurable: true });
  return e;
}

/** The report `steps()` attached to a failure, if any. */
export function stepsFailureOf(e: unknown): StepsFailure | undefined {
  const found = (e as { kilnSteps?: StepsFailure } | null)?.kilnSteps;
  return found && typeof found.note === 'string' && Array.isArray(found.leftApplied) ? found : undefined;
}
