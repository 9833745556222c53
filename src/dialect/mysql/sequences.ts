import type { Knex } from 'knex';
import type { IntrospectOptions } from '../../introspect';
import { KilnError } from '../../errors';
import { filtersNothing, tableMatcher } from '../../introspect/table-filter';
import { fail } from '../../model/checks';
import { SEQUENCE_OPTIONS, type SequenceOption } from '../../schema/sequence';
import type { Sequence } from '../../schema/types';

/**
 * MariaDB's sequences (10.3+; MySQL 8 has none, and its TABLES never say 'SEQUENCE'). A MariaDB
 * sequence is a table of one row: its options are read from that row.
 */
const LIST_SQL = `SELECT TABLE_NAME AS name FROM information_schema.TABLES
WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'SEQUENCE' ORDER BY TABLE_NAME`;

const quote = (name: string) => `\`${name.replace(/`/g, '``')}\``;

/**
 * One SELECT over every sequence's row, joined with UNION ALL: a fixed number of queries (two)
 * whatever the number of sequences. Each row says which sequence it is by its position in
 * `names` (a number: a name never has to be written as an SQL string, whose escaping depends on
 * the session's sql_mode); the numbers as text (a bigint bound does not fit a JavaScript number).
 */
export function sequenceOptionsSql(names: readonly string[]): string {
  return names
    .map(
      (name, i) =>
        `SELECT ${i} AS i, CAST(start_value AS CHAR) AS start_value, CAST(minimum_value AS CHAR) AS minimum_value, ` +
        `CAST(maximum_value AS CHAR) AS maximum_value, CAST(increment AS CHAR) AS increment, CAST(cache_size AS CHAR) AS cache_size, ` +
        `cycle_option FROM ${quote(name)}`,
    )
    .join('\nUNION ALL\n');
}

interface OptionsRow {
  i: number | string;
  start_value: string;
  minimum_value: string;
  maximum_value: string;
  increment: string;
  cache_size: string;
  cycle_option: number | string;
}

/**
 * The current database's sequences as kiln's Sequence, the config's include/exclude and the
 * left-out tables applied before their rows are read. Normalised at this boundary: `as` is
 * always bigint (MariaDB has no other sequence type); NOCACHE (cache_size 0) reads as cache 1,
 * which hands out the same values (one at a time).
 */
export async function readMariadbSequences(knex: Knex, options: IntrospectOptions): Promise<Sequence[]> {
  const run = async <T>(sql: string): Promise<T[]> => {
    options.onQuery?.(sql);
    const [rows] = (await knex.raw(sql)) as [T[], unknown];
    return rows;
  };
  const ignored = new Set(options.ignoreTables ?? []);
  const managed = options.tables && !filtersNothing(options.tables) ? tableMatcher(options.tables) : () => true;
  const names = (await run<{ name: string }>(LIST_SQL)).map((r) => r.name).filter((n) => !ignored.has(n) && managed(n));
  if (!names.length) return [];
  const rows = await run<OptionsRow>(sequenceOptionsSql(names));
  return rows
    .map((r) => ({
      name: names[Number(r.i)],
      as: 'bigint' as const,
      start: String(r.start_value),
      increment: String(r.increment),
      minValue: String(r.minimum_value),
      maxValue: String(r.maximum_value),
      cache: String(r.cache_size) === '0' ? '1' : String(r.cache_size),
      cycle: Number(r.cycle_option) !== 0,
    }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** The least and greatest value a MariaDB sequence can hold (a step inside bigint's range at both ends). */
const MARIADB_MIN = -9223372036854775807n;
const MARIADB_MAX = 9223372036854775806n;

/** MariaDB's bounds for a sequence left without them: 1 to MARIADB_MAX counting up, MARIADB_MIN to -1 counting down. */
function mariadbBounds(increment: bigint): { minValue: bigint; maxValue: bigint } {
  return increment > 0n ? { minValue: 1n, maxValue: MARIADB_MAX } : { minValue: MARIADB_MIN, maxValue: -1n };
}

/** MariaDB's cache when CREATE SEQUENCE says none. */
const MARIADB_CACHE = '1000';

/**
 * A model's sequence as MariaDB stores it: what the model does not say is MariaDB's default
 * (cache 1000; bounds as mariadbBounds; start at the bound it counts from), not PostgreSQL's,
 * which src/model/sequence.ts filled in. Refused: a type other than bigint (MariaDB 10.11 has
 * no `AS type`), and values outside MariaDB's range.
 */
export function projectMariadbSequence(s: Sequence): Sequence {
  const given = new Set<SequenceOption>(s.given ?? SEQUENCE_OPTIONS);
  const where = `sequence '${s.name}'`;
  if (given.has('as') && s.as !== 'bigint') {
    fail(`${where}: as '${s.as}' is not possible on MySQL/MariaDB, whose sequences are always bigint`, "remove 'as' (bound the values with minValue and maxValue instead)");
  }
  const increment = BigInt(s.increment);
  const bounds = mariadbBounds(increment);
  const minValue = given.has('minValue') ? BigInt(s.minValue) : bounds.minValue;
  const maxValue = given.has('maxValue') ? BigInt(s.maxValue) : bounds.maxValue;
  for (const [k, v] of [['minValue', minValue], ['maxValue', maxValue]] as const) {
    if (v < MARIADB_MIN || v > MARIADB_MAX) fail(`${where}: '${k}' ${v} is out of range for a MariaDB sequence (${MARIADB_MIN} to ${MARIADB_MAX})`);
  }
  if (minValue >= maxValue) fail(`${where}: 'minValue' (${minValue}) must be less than 'maxValue' (${maxValue})`);
  const start = given.has('start') ? BigInt(s.start) : increment > 0n ? minValue : maxValue;
  if (start < minValue || start > maxValue) fail(`${where}: 'start' ${start} is outside minValue..maxValue (${minValue} to ${maxValue})`);
  return {
    name: s.name,
    as: 'bigint',
    start: String(start),
    increment: s.increment,
    minValue: String(minValue),
    maxValue: String(maxValue),
    cache: given.has('cache') ? s.cache : MARIADB_CACHE,
    cycle: s.cycle,
  };
}

/** The options of `s` that differ from MariaDB's defaults (never `as`: there is no other type). */
export function mariadbSaidOptions(s: Sequence): SequenceOption[] {
  const increment = BigInt(s.increment);
  const bounds = mariadbBounds(increment);
  const defaults: Omit<Sequence, 'name' | 'as'> = {
    increment: '1',
    minValue: String(bounds.minValue),
    maxValue: String(bounds.maxValue),
    start: increment > 0n ? s.minValue : s.maxValue,
    cache: MARIADB_CACHE,
    cycle: false,
  };
  return SEQUENCE_OPTIONS.filter((k) => k !== 'as' && s[k] !== defaults[k]);
}

/** MariaDB spells "no cycle" NOCYCLE (`NO CYCLE` is a syntax error). */
export function mariadbClause(s: Sequence, option: SequenceOption): string | undefined {
  return option === 'cycle' && !s.cycle ? 'NOCYCLE' : undefined;
}

/** MySQL 8 (the same dialect) has no sequences: the models' are refused by name there. */
export async function refuseMysqlServer(knex: Knex, names: readonly string[]): Promise<void> {
  const [rows] = (await knex.raw('SELECT VERSION() AS version')) as [{ version: string }[], unknown];
  if (/mariadb/i.test(String(rows[0]?.version ?? ''))) return;
  throw new KilnError('MODEL', `sequence${names.length > 1 ? 's' : ''} ${names.join(', ')}: this server is MySQL ${rows[0]?.version ?? ''}, which has no standalone sequences (MariaDB 10.3+ has them)`, {
    hint: 'remove the sequence() from the models, or use an auto-increment column',
  });
}
