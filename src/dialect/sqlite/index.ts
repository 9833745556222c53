/* eslint-disable @typescript-eslint/no-require-imports -- the parts load on first use (lazyDialect) */
import { lazyDialect, type Dialect } from '../dialect';
import { sqliteConnection } from './connection';

/** The SQLite dialect (src/dialect/dialect.ts). */
export const sqlite: Dialect = lazyDialect(
  { name: 'sqlite', label: 'SQLite', connection: sqliteConnection, scratch: { kind: 'file' } },
  {
    runtime: () => (require('./runtime') as typeof import('./runtime')).sqliteRuntime,
    generation: () => (require('./generation') as typeof import('./generation')).sqliteGeneration,
    lint: () => (require('./lint-hook') as typeof import('./lint-hook')).sqliteLint,
  },
);
