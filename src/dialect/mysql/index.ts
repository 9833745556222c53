import type { Dialect } from '../dialect';
import { mysqlConnection } from './connection';
import { mysqlGeneration } from './generation';
import { mysqlRuntime } from './runtime';

export const mysql: Dialect = { name: 'mysql', label: 'MySQL/MariaDB', runtime: mysqlRuntime, generation: mysqlGeneration, connection: mysqlConnection, scratch: { kind: 'server', createSql: (n) => `CREATE DATABASE \`${n}\` CHARACTER SET utf8mb4`, dropSql: (n) => `DROP DATABASE IF EXISTS \`${n}\`` } };
