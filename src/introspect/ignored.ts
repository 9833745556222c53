/** Bookkeeping tables no introspector reports unless told otherwise (Knex's two and kiln's checksums). */
export const DEFAULT_IGNORED_TABLES: readonly string[] = ['knex_migrations', 'knex_migrations_lock', 'kiln_migrations_checksums'];
