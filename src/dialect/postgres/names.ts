import type { Schema } from '../../schema/types';
import { splitQualified } from '../../schema/qualified';
import { indexNames, primaryKeyNames, refuseLongNames, refuseSharedNames, uniqueNames } from '../shared-names';

/**
 * PostgreSQL's names across tables: an index, a unique constraint and a primary key are each an
 * index, a relation named once per schema (a table in another schema may reuse the name); foreign
 * key and check constraint names are per table, so two tables may share one.
 */
export function refusePostgresNames(schema: Schema): Schema {
  refuseLongNames(schema, { max: 63, unit: 'bytes', database: 'PostgreSQL', primaryKeyNamed: true });
  return refuseSharedNames(schema, {
    parts: (t) => [...primaryKeyNames(t), ...indexNames(t), ...uniqueNames(t)],
    scope: (t) => splitQualified(t.name).schema ?? '',
    rule: 'PostgreSQL keeps index, unique and primary key names unique per schema',
  });
}
