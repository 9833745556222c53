import type { Dialect } from '../dialect';
import { sqliteConnection } from './connection';

/**
 * The SQLite dialect. Its connection rules (URL schemes, TLS) are loaded with it; generation,
 * runtime and lint are loaded on first use, so a command on one database never loads the
 * others' renderers and planners (about 40 ms of start-up: bench/startup.js).
 */
export const sqlite: Dialect = {
  name: 'sqlite',
  label: 'SQLite',
  connection: sqliteConnection,
  get generation() {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (require('./generation') as typeof import('./generation')).sqliteGeneration;
  },
  get runtime() {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (require('./runtime') as typeof import('./runtime')).sqliteRuntime;
  },
  get lint() {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (require('./lint-hook') as typeof import('./lint-hook')).sqliteLint;
  },
  scratch: { kind: 'file' },
};
