import type { Dialect } from '../dialect';
import type { DialectScratch } from '../scratch';
import { postgresConnection } from './connection';
import { postgresGeneration } from './generation';
import { postgresRuntime } from './runtime';

export const postgres: Dialect = { name: 'postgres', label: 'PostgreSQL', runtime: postgresRuntime, generation: postgresGeneration, connection: postgresConnection, scratch: lazyScratch() };

/** Loaded on first use, so that no other command loads it. */
function lazyScratch(): DialectScratch {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return { create: (configured, raw) => (require('./scratch') as typeof import('./scratch')).postgresScratch.create(configured, raw) };
}
