import type { DialectScratch } from '../scratch';
import { createServerScratch } from '../server-scratch';

/** A database created beside the configured one (same server, same `?schema=`, created in it). */
export const postgresScratch: DialectScratch = {
  create: (configured, raw) =>
    createServerScratch(
      {
        label: 'PostgreSQL',
        create: async (knex, name) => void (await knex.raw(`CREATE DATABASE "${name}"`)),
        prepare: async (knex, url) => {
          if (url.options.schema) await knex.raw('CREATE SCHEMA IF NOT EXISTS ??', [url.options.schema]);
        },
        drop: async (knex, name) => void (await knex.raw(`DROP DATABASE IF EXISTS "${name}"`)),
      },
      configured,
      raw,
    ),
};
