import type { DialectGeneration } from '../generation';

export const sqliteGeneration: DialectGeneration = {
  knexClient: 'sqlite3',
};
