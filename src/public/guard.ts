import type { Knex } from 'knex';

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
 * This module imports nothing at run time: it is loaded by every migration that uses it.
 */

export interface GuardType {
  readonly type: string;
  readonly length?: number | null;
  readonly unsigned?: boolean;
}

export interface GuardSpec {
  readonly table: string;
  readonly column: string;
  readonly from: GuardType;
  readonly to: GuardType;
  /** true: the migration accepts that stored values change (the guard only counts). */
  readonly allowValueChanges: boolean;
}

type Dialect = 'postgres' | 'mysql' | 'sqlite';

const RANGE: Record<string, [string, string]> = {
  integer: ['-2147483648', '2147483647'],
  'integer unsigned': ['0', '4294967295'],
  bigint: ['-9223372036854775808', '9223372036854775807'],
  'bigint unsigned': ['0', '18446744073709551615'],
};

function dialectOf(knex: Knex): Dialect {
  const name = String((knex.client as { dialect?: string }).dialect ?? knex.client.config?.client ?? '');
  if (/postgres|^pg/.test(name)) return 'postgres';
  if (/mysql|maria/.test(name)) return 'mysql';
  return 'sqlite';
}

/**
 * The SQL condition (with `??` for the column) true for a row whose value the change alters,
 * or null when the change alters no value on this dialect.
 */
export function changedValueCondition(dialect: Dialect, from: GuardType, to: GuardType): string | null {
  if (dialect === 'sqlite') return null;
  const conditions: string[] = [];
  if (to.type === 'string' && to.length) {
    conditions.push(dialect === 'postgres' ? `char_length(??::text) > ${to.length}` : `char_length(??) > ${to.length}`);
  }
  if (from.type === 'datetime' && to.type === 'date') conditions.push('?? <> CAST(?? AS DATE)');
  if (from.type === 'datetime' && to.type === 'time') conditions.push('?? IS NOT NULL');
  if (to.type === 'boolean' && from.type !== 'boolean') {
    // PostgreSQL casts any non-zero number to true; MySQL's tinyint(1) keeps integers, rounds floats.
    if (dialect === 'postgres') conditions.push('?? NOT IN (0, 1)');
    else if (from.type === 'float') conditions.push('?? <> floor(??)');
  }
  if ((to.type === 'integer' || to.type === 'bigint') && from.type === 'float') conditions.push('?? <> floor(??)');
  if (to.type === 'integer' || to.type === 'bigint') {
    const [min, max] = RANGE[`${to.type}${to.unsigned ? ' unsigned' : ''}`];
    const [fromMin, fromMax] = from.type === 'float' ? ['', ''] : (RANGE[`${from.type}${from.unsigned ? ' unsigned' : ''}`] ?? ['', '']);
    if (fromMin === '' || BigInt(fromMin) < BigInt(min)) conditions.push(`?? < ${min}`);
    if (fromMax === '' || BigInt(fromMax) > BigInt(max)) conditions.push(`?? > ${max}`);
  }
  return conditions.length ? conditions.map((c) => `(${c})`).join(' OR ') : null;
}

/** How many rows of `table` the change would alter on this database (0 where none can be). */
export async function countChangedValues(knex: Knex, spec: Omit<GuardSpec, 'allowValueChanges'>): Promise<number> {
  const condition = changedValueCondition(dialectOf(knex), spec.from, spec.to);
  if (condition === null) return 0;
  const bindings = [spec.table, ...Array.from(condition.matchAll(/\?\?/g), () => spec.column)];
  const result = await knex.raw(`SELECT COUNT(*) AS n FROM ?? WHERE ${condition}`, bindings);
  const rows = (Array.isArray(result) ? result[0] : (result as { rows: unknown[] }).rows) as { n: number | string }[];
  return Number(rows[0].n);
}

const label = (t: GuardType) => `${t.type === 'string' ? `string(${t.length})` : t.type}${t.unsigned ? ' unsigned' : ''}`;

/**
 * Set by `kiln db upgrade/downgrade --sql` on the Knex client its migrations run on: the
 * statements are printed for later, so counting today's rows would check the wrong rows (or a
 * table the script creates first): the guard goes into the script instead.
 */
export const OFFLINE_SQL = Symbol.for('kiln.offlineSql');

const refusal = (spec: GuardSpec, n: string) =>
  `changing '${spec.table}.${spec.column}' from ${label(spec.from)} to ${label(spec.to)} would change the stored value of ${n} row(s); ` +
  'nothing was changed. Fix those rows first, or set allowValueChanges: true in the migration to accept the change';

/** The guard as statements of an offline script: PostgreSQL raises when the script runs. */
async function printGuard(knex: Knex, spec: GuardSpec, condition: string): Promise<void> {
  const dialect = dialectOf(knex);
  const ident = (s: string) => (dialect === 'mysql' ? `\`${s.replace(/`/g, '``')}\`` : `"${s.replace(/"/g, '""')}"`);
  const where = condition.replace(/\?\?/g, () => ident(spec.column));
  if (spec.allowValueChanges) {
    if (dialect === 'mysql' && spec.to.type === 'string' && spec.to.length) {
      const len = spec.to.length;
      await knex.raw(`UPDATE ${ident(spec.table)} SET ${ident(spec.column)} = LEFT(${ident(spec.column)}, ${len}) WHERE char_length(${ident(spec.column)}) > ${len}`);
    }
    return;
  }
  const message = refusal(spec, '\u0000').replace(/%/g, '%%').replace('\u0000', '%');
  if (dialect !== 'postgres' || message.includes('$kiln$')) {
    throw new Error(`offline SQL cannot check the stored values of '${spec.table}.${spec.column}' when the script runs on this database; run the migration online, or set allowValueChanges: true in it`);
  }
  await knex.raw(
    `DO $kiln$DECLARE n bigint; BEGIN SELECT count(*) INTO n FROM ${ident(spec.table)} WHERE ${where}; ` +
      `IF n > 0 THEN RAISE EXCEPTION '${message.replace(/'/g, "''")}', n; END IF; END$kiln$`,
  );
}

/** Throws, before the change runs, if it would alter a stored value and the migration did not opt in. */
export async function guardValues(knex: Knex, spec: GuardSpec): Promise<void> {
  const offline = (knex.client as unknown as Record<symbol, unknown>)[OFFLINE_SQL] === true;
  const condition = changedValueCondition(dialectOf(knex), spec.from, spec.to);
  if (offline && condition !== null) return printGuard(knex, spec, condition);
  const n = await countChangedValues(knex, spec);
  if (n === 0) return;
  if (spec.allowValueChanges) {
    // MySQL/MariaDB in strict mode refuse to cut a string in ALTER ("Data too long"): cut it
    // here, as PostgreSQL's cast does, so the accepted change runs the same on both.
    if (dialectOf(knex) === 'mysql' && spec.to.type === 'string' && spec.to.length) {
      const len = spec.to.length;
      await knex.raw(`UPDATE ?? SET ?? = LEFT(??, ${len}) WHERE char_length(??) > ${len}`, [spec.table, spec.column, spec.column, spec.column]);
    }
    return;
  }
  throw new Error(refusal(spec, String(n)));
}
