import type { Dialect } from '../dialect';
import { postgresGeneration } from './generation';
import { postgresRuntime } from './runtime';

export const postgres: Dialect = { name: 'postgres', runtime: postgresRuntime, generation: postgresGeneration };
