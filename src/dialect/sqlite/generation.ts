import type { Knex } from 'knex';
import { refuseSchemas } from '../refuse-schemas';
import type { IntrospectOptions } from '../../introspect';
import type { Schema } from '../../schema/types';
import type { DialectGeneration } from '../generation';
import { refuseSqliteNames } from './names';
import { portableUnsigned, withoutUnsigned } from '../portable-unsigned';
import { planForSqlite } from './plan';
import { projectSqlite } from './project';
import { projectUnnamedExtras } from '../project-extras';
import { sqliteRender } from './render';
import { indexesFor } from '../table-options';

export const sqliteGeneration: DialectGeneration = {
  knexClient: 'sqlite3',
  project: (schema) => withoutUnsigned(projectSqlite(projectUnnamedExtras(refuseSqliteNames(indexesFor(refuseSchemas(schema, 'SQLite'), 'sqlite')), 'SQLite'))),
  plan: (changes, database, models) => portableUnsigned(planForSqlite(changes, database, models), [models, database]),
  introspect(knex: Knex, options: IntrospectOptions): Promise<Schema> {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (require('./introspect') as typeof import('./introspect')).introspectSqlite(knex, options);
  },
  views: {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    read: (knex, options) => (require('./views') as typeof import('./views')).sqliteViews.read(knex, options),
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    probe: (knex, views, options) => (require('./views') as typeof import('./views')).sqliteViews.probe(knex, views, options),
  },
  triggers: {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    read: (knex, options) => (require('./triggers') as typeof import('./triggers')).sqliteTriggers.read(knex, options),
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    probe: (knex, triggers, options) => (require('./triggers') as typeof import('./triggers')).sqliteTriggers.probe(knex, triggers, options),
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    create: (trigger) => (require('./triggers') as typeof import('./triggers')).sqliteTriggers.create(trigger),
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    drop: (trigger) => (require('./triggers') as typeof import('./triggers')).sqliteTriggers.drop(trigger),
  },
  render: sqliteRender,
};
