/* eslint-disable @typescript-eslint/no-require-imports -- the parts load on first use (lazyDialect) */
import { lazyDialect, type Dialect } from '../dialect';
import { postgresConnection } from './connection';

/** The PostgreSQL dialect (src/dialect/dialect.ts). */
export const postgres: Dialect = lazyDialect(
  { name: 'postgres', label: 'PostgreSQL', connection: postgresConnection, scratch: { kind: 'server', createSql: (n) => `CREATE DATABASE "${n}"`, dropSql: (n) => `DROP DATABASE IF EXISTS "${n}" WITH (FORCE)` } },
  {
    runtime: () => (require('./runtime') as typeof import('./runtime')).postgresRuntime,
    generation: () => (require('./generation') as typeof import('./generation')).postgresGeneration,
    lint: () => (require('./lint-hook') as typeof import('./lint-hook')).postgresLint,
  },
);
