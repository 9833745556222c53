import type { Knex } from 'knex';
import type { IntrospectOptions } from '../../introspect';
import { filtersNothing, tableMatcher } from '../../introspect/table-filter';
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
