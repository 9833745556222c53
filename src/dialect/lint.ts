import type { Knex } from 'knex';
import type { StatementReader } from '../lint/types';

/** How a dialect reads migration SQL for `kiln db lint` and `db upgrade --plan` (loaded by those commands only). */
export interface DialectLint {
  reader(): Promise<StatementReader>;
  /**
   * The planner's row estimates for `tables` (PostgreSQL reltuples, InnoDB's TABLE_ROWS);
   * tables missing from the map are counted exactly (up to a bound) by the caller.
   */
  estimateRows(knex: Knex, tables: readonly string[]): Promise<Map<string, number>>;
}
