import type { DialectGeneration } from '../generation';

export const postgresGeneration: DialectGeneration = {
  knexClient: 'pg',
};
