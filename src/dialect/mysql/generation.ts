import type { DialectGeneration } from '../generation';

export const mysqlGeneration: DialectGeneration = {
  knexClient: 'mysql2',
};
