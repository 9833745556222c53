import type { Knex } from 'knex';
import type { IntrospectOptions } from '../../introspect';
import type { Schema } from '../../schema/types';
import type { DialectGeneration } from '../generation';
import { refusePostgresNames } from './names';
import { portableUnsigned, withoutUnsigned } from '../portable-unsigned';
import { projectPostgres } from './project';
import { postgresRender } from './render';
import { carryObjectComments, refuseDeferrableForeignKeys } from './plan';
import { projectPostgresExtras } from '../project-extras';
import { indexesFor } from '../table-options';
import { saidOptions } from '../../schema/sequence';

export const postgresGeneration: DialectGeneration = {
  knexClient: 'pg',
  /** Stored as modelled, the types' own defaults left out (./column-types); an enum is a named type (`<table>_<column>` unless named). */
  project: (schema, defaultSchema) => withoutUnsigned(projectPostgresExtras(projectPostgres(refusePostgresNames(indexesFor(schema, 'postgres'))), defaultSchema)),
  /** Every change runs in place; foreign keys to auto-increment keys are marked unsigned for MySQL's sake. */
  plan: (changes, database, models) => {
    refuseDeferrableForeignKeys(changes, database);
    return portableUnsigned(carryObjectComments(changes, database), [models, database]);
  },
  introspect(knex: Knex, options: IntrospectOptions): Promise<Schema> {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (require('./introspect') as typeof import('./introspect')).introspectPostgres(knex, options);
  },
  views: {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    read: (knex, options) => (require('./views') as typeof import('./views')).postgresViews.read(knex, options),
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    probe: (knex, views, options) => (require('./views') as typeof import('./views')).postgresViews.probe(knex, views, options),
  },
  triggers: {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    read: (knex, options) => (require('./triggers') as typeof import('./triggers')).postgresTriggers.read(knex, options),
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    probe: (knex, triggers, options) => (require('./triggers') as typeof import('./triggers')).postgresTriggers.probe(knex, triggers, options),
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    create: (trigger) => (require('./triggers') as typeof import('./triggers')).postgresTriggers.create(trigger),
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    drop: (trigger) => (require('./triggers') as typeof import('./triggers')).postgresTriggers.drop(trigger),
  },
  domains: {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    read: (knex, options) => (require('./domains') as typeof import('./domains')).readUsedDomains(knex, options),
  },
  extensions: {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    read: (knex) => (require('./extensions') as typeof import('./extensions')).readUsedExtensions(knex),
  },
  schemasPresent: async (knex, names) => {
    const { rows } = (await knex.raw('select nspname from pg_catalog.pg_namespace where nspname = any(?::text[])', [[...names]])) as { rows: { nspname: string }[] };
    return rows.map((r) => r.nspname).sort();
  },
  sequences: {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    read: (knex, options) => (require('./sequences') as typeof import('./sequences')).readPostgresSequences(knex, options),
    /** The model's sequence holds PostgreSQL's defaults already (src/model/sequence.ts). */
    project: ({ given: _given, ...s }) => s,
    said: saidOptions,
  },
  render: postgresRender,
};
