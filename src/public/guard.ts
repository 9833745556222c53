import type { Knex } from 'knex';
import { dialectOfKnex } from '../dialect/capabilities';
import { dialectOf } from '../dialect/registry';
import type { DialectName } from '../dialect/types';
import { lobShrinksTo, type GuardType } from '../dialect/value-guard';

export type { GuardType } from '../dialect/value-guard';

/**
 * kiln/guard: generated migrations call `guardValues` before a column change that can change
 * stored values (a shorter string, a float becoming an integer, a smaller integer type). It
 * counts the rows whose value the change would alter on this database and, unless the
 * migration opts in with `allowValueChanges: true`, throws before anything is touched, naming
 * the table, the column and the count.
 *
 * What "would alter" means follows what each database does:
 * - PostgreSQL casts (`USING col::varchar(20)`) truncate strings (and the text of any other
 *   type cast to a string), round floats (2.5 -> 2) and drop a datetime's time of day in silence; MySQL/MariaDB round floats and, outside strict mode, cut and clamp.
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
  // MySQL: [rows, fields]; SQLite: rows; PostgreSQL: { rows }.
  const rows = (Array.isArray(result) ? (Array.isArray(result[0]) ? result[0] : result) : (result as { rows: unknown[] }).rows) as { n: number | string }[];
  return Number(rows[0].n);
}

const label = (t: GuardType) => {
  if (t.size) return `${t.size}${t.type === 'text' ? 'text' : 'blob'}`;
  const params = t.type === 'string' || t.type === 'char' ? `(${t.length})` : t.precision !== undefined ? `(${t.precision}${t.scale ? `,${t.scale}` : ''})` : '';
  return `${t.type}${params}${t.unsigned ? ' unsigned' : ''}`;
};

/**
 * Set by `kiln db upgrade/downgrade --sql` on the Knex client its migrations run on: the
 * statements are printed for later, so counting today's rows would check the wrong rows (or a
 * table the script creates first): the guard goes into the script instead.
 */
export const OFFLINE_SQL = Symbol.for('kiln.offlineSql');

const refusal = (spec: GuardSpec, n: string) =>
  `changing '${spec.table}.${spec.column}' from ${label(spec.from)} to ${label(spec.to)} would change the stored value of ${n} row(s); ` +
  'nothing was changed. Fix those rows first, or set allowValueChanges: true in the migration to accept the change';

/** The guard as a statement of an offline script (PostgreSQL raises when the script runs). */
async function printGuard(knex: Knex, spec: GuardSpec, condition: string): Promise<void> {
  const runtime = runtimeOfKnex(knex);
  if (spec.allowValueChanges) return cutTooLong(knex, spec);
  const ident = (s: string) => knex.raw('??', [s]).toQuery();
  const where = condition.replace(/\?\?/g, () => ident(spec.column));
  const statement = runtime?.offlineValueGuard(ident(spec.table), where, (n) => refusal(spec, n));
  if (!statement) {
    throw new Error(`offline SQL cannot check the stored values of '${spec.table}.${spec.column}' when the script runs on this database; run the migration online, or set allowValueChanges: true in it`);
  }
  await knex.raw(statement);
}

/**
 * MySQL/MariaDB in strict mode refuse to cut a string in ALTER ("Data too long"): an accepted
 * shortening cuts the too-long values first, as PostgreSQL's cast does, so it runs the same on both.
 */
async function cutTooLong(knex: Knex, spec: GuardSpec): Promise<void> {
  if (!runtimeOfKnex(knex)?.cutsStringsBeforeShortening) return;
  const lobLimit = lobShrinksTo(spec.from, spec.to);
  if (lobLimit !== undefined) return cutToBytes(knex, spec, lobLimit);
  if ((spec.to.type !== 'string' && spec.to.type !== 'char') || !spec.to.length) return;
  const len = spec.to.length;
  await knex.raw(`UPDATE ?? SET ?? = LEFT(??, ${len}) WHERE char_length(??) > ${len}`, [spec.table, spec.column, spec.column, spec.column]);
}

/**
 * A smaller TEXT/BLOB holds `limit` bytes: a blob is cut to them (LEFT counts bytes there); a
 * text by whole characters (LEFT counts characters), dropping at least a quarter of the excess
 * bytes' worth of characters per pass (a character is 1 to 4 bytes), until every value fits.
 */
async function cutToBytes(knex: Knex, spec: GuardSpec, limit: number): Promise<void> {
  const ids = [spec.table, spec.column, spec.column, spec.column];
  if (spec.to.type !== 'text') {
    await knex.raw(`UPDATE ?? SET ?? = LEFT(??, ${limit}) WHERE octet_length(??) > ${limit}`, ids);
    return;
  }
  await knex.raw(`UPDATE ?? SET ?? = LEFT(??, ${limit}) WHERE char_length(??) > ${limit}`, ids);
  for (;;) {
    const [result] = (await knex.raw(
      `UPDATE ?? SET ?? = LEFT(??, char_length(??) - CEIL((octet_length(??) - ${limit}) / 4)) WHERE octet_length(??) > ${limit}`,
      [spec.table, spec.column, spec.column, spec.column, spec.column, spec.column],
    )) as [{ affectedRows: number }];
    if (result.affectedRows === 0) return;
  }
}

/** Throws, before the change runs, if it would alter a stored value and the migration did not opt in. */
export async function guardValues(knex: Knex, spec: GuardSpec): Promise<void> {
  const offline = (knex.client as unknown as Record<symbol, unknown>)[OFFLINE_SQL] === true;
  const condition = runtimeOfKnex(knex)?.changedValueCondition(spec.from, spec.to) ?? null;
  if (offline && condition !== null) return printGuard(knex, spec, condition);
  const n = await countChangedValues(knex, spec);
  if (n === 0) return;
  if (spec.allowValueChanges) return cutTooLong(knex, spec);
  // Marked: it ran before any statement, so a migration without a transaction changed nothing either.
  throw Object.assign(new Error(refusal(spec, String(n))), { kilnNothingChanged: true });
}
