import type { Dialect } from '../dialect';
import { postgresConnection } from './connection';
import { postgresGeneration } from './generation';
import { postgresLint } from './lint-hook';
import { postgresRuntime } from './runtime';

export const postgres: Dialect = { name: 'postgres', label: 'PostgreSQL', runtime: postgresRuntime, generation: postgresGeneration, connection: postgresConnection, lint: postgresLint };
