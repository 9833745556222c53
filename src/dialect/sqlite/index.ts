import type { Dialect } from '../dialect';
import type { DialectScratch } from '../scratch';
import { sqliteConnection } from './connection';
import { sqliteGeneration } from './generation';
import { sqliteRuntime } from './runtime';

export const sqlite: Dialect = { name: 'sqlite', label: 'SQLite', runtime: sqliteRuntime, generation: sqliteGeneration, connection: sqliteConnection, scratch: lazyScratch() };

/** Loaded on first use, so that no other command loads it. */
function lazyScratch(): DialectScratch {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return { create: (configured, raw) => (require('./scratch') as typeof import('./scratch')).sqliteScratch.create(configured, raw) };
}
