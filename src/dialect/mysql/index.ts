import type { Dialect } from '../dialect';
import { mysqlGeneration } from './generation';
import { mysqlRuntime } from './runtime';

export const mysql: Dialect = { name: 'mysql', label: 'MySQL/MariaDB', runtime: mysqlRuntime, generation: mysqlGeneration };
