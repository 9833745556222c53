import type { Schema } from '../../schema/types';
import { indexNames, refuseSharedNames, uniqueNames } from '../shared-names';

/**
 * SQLite's names across tables: an index and a unique rule (kiln and knex create one as
 * `CREATE UNIQUE INDEX`) are named once in the database, whatever the case; the names of
 * constraints inside CREATE TABLE (foreign keys, checks, the primary key) are not kept unique at
 * all. A model's unique is never inline (only introspection reads a UNIQUE inside CREATE TABLE).
 */
export function refuseSqliteNames(schema: Schema): Schema {
  return refuseSharedNames(schema, {
    parts: (t) => [...indexNames(t), ...uniqueNames({ ...t, uniques: t.uniques.filter((u) => !u.inline) })],
    caseBlind: true,
    rule: 'SQLite keeps index and unique names unique in the database',
  });
}
