import type { Dialect } from '../dialect';
import { sqliteConnection } from './connection';
import { sqliteGeneration } from './generation';
import { sqliteLint } from './lint-hook';
import { sqliteRuntime } from './runtime';

export const sqlite: Dialect = { name: 'sqlite', label: 'SQLite', runtime: sqliteRuntime, generation: sqliteGeneration, connection: sqliteConnection, lint: sqliteLint, scratch: { kind: 'file' } };
