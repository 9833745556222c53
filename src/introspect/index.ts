import type { Knex } from 'knex';
import { dialectOf } from '../dialect/registry';
import type { DialectName } from '../dialect/types';
import { deepFreeze, makeSchema } from '../schema/build';
import type { Schema } from '../schema/types';
import { DEFAULT_BOOKKEEPING_TABLES } from './ignored';
import { filtersNothing, tableMatcher, type TableFilter } from './table-filter';

export interface IntrospectOptions {
  /** PostgreSQL: the schema to read (default: the connection's current schema). */
  readonly schema?: string;
  /**
   * PostgreSQL: the other schemas kiln manages (config `schemas`), read in the same queries; their
   * tables are named `schema.table` (src/schema/qualified.ts). Tables of other schemas are not read.
   */
  readonly schemas?: readonly string[];
  /**
   * Every table left out: the list replaces the default (DEFAULT_BOOKKEEPING_TABLES: Knex's
   * `knex_migrations` and `knex_migrations_lock`, kiln's `kiln_migrations_checksums`), so `[]`
   * reports every table. The same meaning in every dialect's introspector.
   */
  readonly ignoreTables?: readonly string[];
  /**
   * The tables kiln manages (config `include` / `exclude`, src/introspect/table-filter.ts):
   * the others are left out here, so no command sees them.
   */
  readonly tables?: TableFilter;
  /** Called with each catalog query's SQL. */
  onQuery?(sql: string): void;
}

/**
 * The live database as a canonical Schema, with the bookkeeping tables (or `ignoreTables`) left
 * out, and its views, triggers and sequences (one more catalog query each; the config's
 * include/exclude apply to views and sequences too, and a trigger is read with its table).
 */
export async function introspect(knex: Knex, dialect: DialectName, options: IntrospectOptions = {}): Promise<Schema> {
  const ignoreTables = options.ignoreTables ?? DEFAULT_BOOKKEEPING_TABLES;
  const { generation } = dialectOf(dialect);
  // The views', triggers' and sequences' queries run beside the tables' (server dialects: on other pool connections).
  const [schema, views, triggers, sequences] = await Promise.all([
    generation.introspect(knex, { ...options, ignoreTables }),
    generation.views.read(knex, { ...options, ignoreTables }),
    generation.triggers.read(knex, { ...options, ignoreTables }),
    // Standalone sequences (PostgreSQL, MariaDB; issue 12 item 4)
    generation.sequences ? generation.sequences.read(knex, { ...options, ignoreTables }) : [],
  ]);
  const ignored = new Set(ignoreTables);
  const managed = options.tables && !filtersNothing(options.tables) ? tableMatcher(options.tables, options.schema) : () => true;
  const tables = schema.tables.filter((t) => !ignored.has(t.name) && managed(t.name));
  // A trigger is its table's: on a table kiln does not read, it is not read either.
  const tableNames = new Set(tables.map((t) => t.name));
  const out = makeSchema(
    tables,
    views.filter((v) => managed(v.name)),
    triggers.filter((t) => tableNames.has(t.table)),
    sequences.filter((s) => managed(s.name)),
  );
  return schema.schemas?.length ? deepFreeze({ ...out, schemas: schema.schemas }) : out;
}
