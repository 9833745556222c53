import type { Knex } from 'knex';
import { refuseSchemas } from '../refuse-schemas';
import type { IntrospectOptions } from '../../introspect';
import type { Schema } from '../../schema/types';
import type { DialectGeneration } from '../generation';
import { refuseMysqlNames } from './names';
import { planForMysql } from './plan';
import { projectMysql, unsignedByDefault } from './project';
import { projectUnnamedExtras } from '../project-extras';
import { mysqlRender } from './render';
import { indexesFor } from '../table-options';

export const mysqlGeneration: DialectGeneration = {
  knexClient: 'mysql2',
  project: (schema) => projectMysql(projectUnnamedExtras(refuseMysqlNames(indexesFor(refuseSchemas(schema, 'MySQL/MariaDB'), 'mysql')), 'MySQL/MariaDB')),
  /** The projection already made keys and their foreign keys unsigned: no portableUnsigned here. */
  plan: (changes, database, models) => planForMysql(changes, database, models),
  unsignedByDefault,
  introspect(knex: Knex, options: IntrospectOptions): Promise<Schema> {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (require('./introspect') as typeof import('./introspect')).introspectMysql(knex, options);
  },
  views: {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    read: (knex, options) => (require('./views') as typeof import('./views')).mysqlViews.read(knex, options),
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    probe: (knex, views, options) => (require('./views') as typeof import('./views')).mysqlViews.probe(knex, views, options),
  },
  triggers: {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    read: (knex, options) => (require('./triggers') as typeof import('./triggers')).mysqlTriggers.read(knex, options),
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    probe: (knex, triggers, options) => (require('./triggers') as typeof import('./triggers')).mysqlTriggers.probe(knex, triggers, options),
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    create: (trigger) => (require('./triggers') as typeof import('./triggers')).mysqlTriggers.create(trigger),
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    drop: (trigger) => (require('./triggers') as typeof import('./triggers')).mysqlTriggers.drop(trigger),
  },
  /** MariaDB's (./sequences); MySQL 8 has none: its catalog lists none, and a model's is refused there. */
  sequences: {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    read: (knex, options) => (require('./sequences') as typeof import('./sequences')).readMariadbSequences(knex, options),
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    project: (s) => (require('./sequences') as typeof import('./sequences')).projectMariadbSequence(s),
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    said: (s) => (require('./sequences') as typeof import('./sequences')).mariadbSaidOptions(s),
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    clause: (s, option) => (require('./sequences') as typeof import('./sequences')).mariadbClause(s, option),
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    refuseServer: (knex, names) => (require('./sequences') as typeof import('./sequences')).refuseMysqlServer(knex, names),
    filteredAsTables: true,
  },
  render: mysqlRender,
};
