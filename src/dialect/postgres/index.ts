import type { Dialect } from '../dialect';
import { postgresConnection } from './connection';

/**
 * The PostgreSQL dialect. Its connection rules (URL schemes, TLS) are loaded with it; generation,
 * runtime and lint are loaded on first use, so a command on one database never loads the
 * others' renderers and planners (about 40 ms of start-up: bench/startup.js).
 */
export const postgres: Dialect = {
  name: 'postgres',
  label: 'PostgreSQL',
  connection: postgresConnection,
  get generation() {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (require('./generation') as typeof import('./generation')).postgresGeneration;
  },
  get runtime() {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (require('./runtime') as typeof import('./runtime')).postgresRuntime;
  },
  get lint() {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (require('./lint-hook') as typeof import('./lint-hook')).postgresLint;
  },
  scratch: { kind: 'server', createSql: (n) => `CREATE DATABASE "${n}"`, dropSql: (n) => `DROP DATABASE IF EXISTS "${n}" WITH (FORCE)` },
};
