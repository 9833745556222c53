import type { DialectName } from './types';

/**
 * Whether the dialect runs DDL inside a transaction, so that a failed migration's earlier
 * statements roll back with it. MySQL/MariaDB commit every DDL statement at once: there a
 * generated migration of several steps undoes its completed steps itself (kiln/migrate).
 * The one place this is decided.
 */
export function transactionalDdl(dialect: DialectName): boolean {
  return dialect !== 'mysql';
}

/** Knex's dialect names (`knex.client.dialect`) of the databases kiln speaks. */
const BY_KNEX_DIALECT: Readonly<Record<string, DialectName>> = {
  sqlite3: 'sqlite',
  'better-sqlite3': 'sqlite',
  postgresql: 'postgres',
  pg: 'postgres',
  mysql: 'mysql',
  mysql2: 'mysql',
};

/** The dialect of a Knex instance (or transaction), or undefined for a database kiln does not speak. */
export function dialectOfKnex(knex: unknown): DialectName | undefined {
  const client = (knex as { client?: { dialect?: unknown; config?: { client?: unknown } } } | null)?.client;
  const name = typeof client?.dialect === 'string' ? client.dialect : typeof client?.config?.client === 'string' ? client.config.client : undefined;
  return name === undefined ? undefined : BY_KNEX_DIALECT[name];
}
