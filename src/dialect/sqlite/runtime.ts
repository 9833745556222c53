import type { DialectRuntime } from '../runtime';

export const sqliteRuntime: DialectRuntime = {
  transactionalDdl: true,
};
