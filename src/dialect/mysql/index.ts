import type { Dialect } from '../dialect';
import { mysqlGeneration } from './generation';
import { mysqlRuntime } from './runtime';

export const mysql: Dialect = { name: 'mysql', runtime: mysqlRuntime, generation: mysqlGeneration };
