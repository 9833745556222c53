import type { Dialect } from '../dialect';
import type { DialectScratch } from '../scratch';
import { mysqlConnection } from './connection';
import { mysqlGeneration } from './generation';
import { mysqlRuntime } from './runtime';

export const mysql: Dialect = { name: 'mysql', label: 'MySQL/MariaDB', runtime: mysqlRuntime, generation: mysqlGeneration, connection: mysqlConnection, scratch: lazyScratch() };

/** Loaded on first use, so that no other command loads it. */
function lazyScratch(): DialectScratch {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return { create: (configured, raw) => (require('./scratch') as typeof import('./scratch')).mysqlScratch.create(configured, raw) };
}
