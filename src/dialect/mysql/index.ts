/* eslint-disable @typescript-eslint/no-require-imports -- the parts load on first use (lazyDialect) */
import { lazyDialect, type Dialect } from '../dialect';
import { mysqlConnection } from './connection';

/** The MySQL/MariaDB dialect (src/dialect/dialect.ts). */
export const mysql: Dialect = lazyDialect(
  { name: 'mysql', label: 'MySQL/MariaDB', connection: mysqlConnection, scratch: { kind: 'server', createSql: (n) => `CREATE DATABASE \`${n}\` CHARACTER SET utf8mb4`, dropSql: (n) => `DROP DATABASE IF EXISTS \`${n}\`` } },
  {
    runtime: () => (require('./runtime') as typeof import('./runtime')).mysqlRuntime,
    generation: () => (require('./generation') as typeof import('./generation')).mysqlGeneration,
    lint: () => (require('./lint-hook') as typeof import('./lint-hook')).mysqlLint,
  },
);
