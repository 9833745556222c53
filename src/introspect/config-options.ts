import type { ResolvedConfig } from '../config/load';
import { tablesLeftOut } from '../runner/bookkeeping';
import type { IntrospectOptions } from './index';

/**
 * What every command reads of the database, from the config: its schema(s), without kiln's and
 * Knex's bookkeeping tables, and without the tables the config's include/exclude leave out (an
 * excluded table is invisible to every command: check, migrate, pull, graph, report, lint, adopt).
 */
export function introspectOptionsOf(config: ResolvedConfig): IntrospectOptions {
  return { schema: config.schema, schemas: config.schemas, ignoreTables: tablesLeftOut(config.tableName), tables: { include: config.include, exclude: config.exclude } };
}
