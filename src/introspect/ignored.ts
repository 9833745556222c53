/**
 * The bookkeeping tables under their default names: Knex's two (`knex_migrations`, its lock)
 * and kiln's checksums. What every introspector leaves out when `ignoreTables` is not given;
 * a config with another `tableName` passes its own list (src/runner/bookkeeping.ts).
 */
export const DEFAULT_BOOKKEEPING_TABLES: readonly string[] = ['knex_migrations', 'knex_migrations_lock', 'kiln_migrations_checksums'];
