import { dialectOf } from './registry';
import type { DialectName } from './types';

/** See DialectRuntime.transactionalDdl. */
export function transactionalDdl(dialect: DialectName): boolean {
  return dialectOf(dialect).runtime.transactionalDdl;
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
