import type { DialectRuntime } from '../runtime';

export const postgresRuntime: DialectRuntime = {
  transactionalDdl: true,
};
