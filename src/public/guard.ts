import type { Knex } from 'knex';
import { dialectOfKnex } from '../dialect/capabilities';
import { dialectOf } from '../dialect/registry';
import type { DialectName } from '../dialect/types';
import type { GuardType } from '../dialect/value-guard';

export type { GuardType } from '../dialect/value-guard';

/**
 * kiln/guard: generated migrations call `guardValues` before a column change that can change
 * stored values (a shorter string, a float becoming an integer, a smaller integer type). It
 * counts the rows whose value the change would alter on this database and, unless the
 * migration opts in with `allowValueChanges: true`, throws before anything is touched, naming
 * the table, the column and the count.
 *
 * What "would alter" means follows what each database does:
 * - PostgreSQL casts (`USING col::varchar(20)`) truncate strings and round floats (2.5 -> 2)
 *   in silence; MySQL/MariaDB round floats and, outside strict mode, cut and clamp.
 * - With `allowValueChanges: true` the change runs and values change as PostgreSQL's cast
 *   changes them; on MySQL/MariaDB, whose strict mode refuses to cut a string, the guard cuts
 *   the too-long strings to the new length first.
 * - SQLite keeps every value as it is (it enforces no length, and a REAL such as 2.5 copied
 *   into an INTEGER column stays 2.5): nothing to count there.
 *
 * Each dialect's rule is its runtime's `changedValueCondition` and `cutsStringsBeforeShortening`
 * (src/dialect/<name>/runtime.ts).
 */

export interface GuardSpec {
  readonly table: string;
  readonly column: string;
  readonly from: GuardType;
  readonly to: GuardType;
  /** true: the migration accepts that stored values change (the guard only counts). */
  readonly allowValueChanges: boolean;
}

/**
 * The SQL condition (with `??` for the column) true for a row whose value the change alters,
 * or null when the change alters no value on this dialect.
 */
export function changedValueCondition(dialect: DialectName, from: GuardType, to: GuardType): string | null {
  return dialectOf(dialect).runtime.changedValueCondition(from, to);
}

/** The runtime of the database `knex` talks to; a database kiln does not speak counts as one whose values never change. */
function runtimeOfKnex(knex: Knex) {
  const dialect = dialectOfKnex(knex);
  return dialect === undefined ? undefined : dialectOf(dialect).runtime;
}

/** How many rows of `table` the change would alter on this database (0 where none can be). */
export async function countChangedValues(knex: Knex, spec: Omit<GuardSpec, 'allowValueChanges'>): Promise<number> {
  const condition = runtimeOfKnex(knex)?.changedValueCondition(spec.from, spec.to) ?? null;
  if (condition === null) return 0;
  const bindings = [spec.table, ...Array.from(condition.matchAll(/\?\?/g), () => spec.column)];
  const result = await knex.raw(`SELECT COUNT(*) AS n FROM ?? WHERE ${condition}`, bindings);
  const rows = (Array.isArray(result) ? result[0] : (result as { rows: unknown[] }).rows) as { n: number | string }[];
  return Number(rows[0].n);
}

const label = (t: GuardType) => `${t.type === 'string' ? `string(${t.length})` : t.type}${t.unsigned ? ' unsigned' : ''}`;

/** Throws, before the change runs, if it would alter a stored value and the migration did not opt in. */
export async function guardValues(knex: Knex, spec: GuardSpec): Promise<void> {
  const n = await countChangedValues(knex, spec);
  if (n === 0) return;
  if (spec.allowValueChanges) {
    // MySQL/MariaDB in strict mode refuse to cut a string in ALTER ("Data too long"): cut it
    // here, as PostgreSQL's cast does, so the accepted change runs the same on both.
    if (runtimeOfKnex(knex)?.cutsStringsBeforeShortening && spec.to.type === 'string' && spec.to.length) {
      const len = spec.to.length;
      await knex.raw(`UPDATE ?? SET ?? = LEFT(??, ${len}) WHERE char_length(??) > ${len}`, [spec.table, spec.column, spec.column, spec.column]);
    }
    return;
  }
  throw new Error(
    `changing '${spec.table}.${spec.column}' from ${label(spec.from)} to ${label(spec.to)} would change the stored value of ${n} row(s); ` +
      'nothing was changed. Fix those rows first, or set allowValueChanges: true in the migration to accept the change',
  );
}
