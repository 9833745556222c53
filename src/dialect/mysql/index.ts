import type { Dialect } from '../dialect';
import { mysqlConnection } from './connection';
import { mysqlGeneration } from './generation';
import { mysqlLint } from './lint-hook';
import { mysqlRuntime } from './runtime';

export const mysql: Dialect = { name: 'mysql', label: 'MySQL/MariaDB', runtime: mysqlRuntime, generation: mysqlGeneration, connection: mysqlConnection, lint: mysqlLint, scratch: { kind: 'server', createSql: (n) => `CREATE DATABASE \`${n}\` CHARACTER SET utf8mb4`, dropSql: (n) => `DROP DATABASE IF EXISTS \`${n}\`` } };
