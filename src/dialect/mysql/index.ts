import type { Dialect } from '../dialect';
import { mysqlConnection } from './connection';

/**
 * The MySQL/MariaDB dialect. Its connection rules (URL schemes, TLS) are loaded with it; generation,
 * runtime and lint are loaded on first use, so a command on one database never loads the
 * others' renderers and planners (about 40 ms of start-up: bench/startup.js).
 */
export const mysql: Dialect = {
  name: 'mysql',
  label: 'MySQL/MariaDB',
  connection: mysqlConnection,
  get generation() {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (require('./generation') as typeof import('./generation')).mysqlGeneration;
  },
  get runtime() {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (require('./runtime') as typeof import('./runtime')).mysqlRuntime;
  },
  get lint() {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (require('./lint-hook') as typeof import('./lint-hook')).mysqlLint;
  },
  scratch: { kind: 'server', createSql: (n) => `CREATE DATABASE \`${n}\` CHARACTER SET utf8mb4`, dropSql: (n) => `DROP DATABASE IF EXISTS \`${n}\`` },
};
