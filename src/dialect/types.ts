/** The databases kiln speaks. A fourth (e.g. CockroachDB) is one introspector + type rules. */
export type DialectName = 'sqlite' | 'postgres' | 'mysql';

/** Knex's client name for each dialect. */
export const KNEX_CLIENT: Readonly<Record<DialectName, string>> = {
  sqlite: 'sqlite3',
  postgres: 'pg',
  mysql: 'mysql2',
};
