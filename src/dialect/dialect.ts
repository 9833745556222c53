import type { DialectConnection } from './connection';
import type { DialectGeneration } from './generation';
import type { DialectRuntime } from './runtime';
import type { DialectScratch } from './scratch';
import type { DialectName } from './types';

/**
 * Everything one database differs in, as one object (Kysely's Dialect, Alembic's DefaultImpl).
 * Code outside src/dialect/ asks the object (`dialectOf(name).runtime.transactionalDdl`) and
 * never branches on the dialect's name. Each dialect lives in its own folder
 * (src/dialect/<name>/) and is listed once in the registry (src/dialect/registry.ts); an
 * incomplete one does not compile.
 */
export interface Dialect {
  readonly name: DialectName;
  /** How messages name the database ('PostgreSQL', 'MySQL/MariaDB'). */
  readonly label: string;
  /** How migrations run: transactions, locks, commit boundaries, checks, errors. */
  readonly runtime: DialectRuntime;
  /** How a schema is read, projected, planned and rendered. */
  readonly generation: DialectGeneration;
  /** How a database URL reads and becomes a Knex connection: options, TLS, driver settings. */
  readonly connection: DialectConnection;
  /** A throwaway database of this dialect (`kiln db adopt`). */
  readonly scratch: DialectScratch;
}
