import type { Dialect } from '../dialect';
import { postgresConnection } from './connection';
import { postgresGeneration } from './generation';
import { postgresLint } from './lint-hook';
import { postgresRuntime } from './runtime';

export const postgres: Dialect = { name: 'postgres', label: 'PostgreSQL', runtime: postgresRuntime, generation: postgresGeneration, connection: postgresConnection, lint: postgresLint, scratch: { kind: 'server', createSql: (n) => `CREATE DATABASE "${n}"`, dropSql: (n) => `DROP DATABASE IF EXISTS "${n}" WITH (FORCE)` } };
