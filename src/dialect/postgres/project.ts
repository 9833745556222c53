import { makeSchema } from '../../schema/build';
import type { Schema } from '../../schema/types';
import { projectPgType } from './column-types';
import { projectCollation } from '../project-extras';
import { refuseLooseForeignKeys } from '../table-options';

/** The model schema as PostgreSQL stores it: the types' own defaults left out (./column-types). */
export function projectPostgres(schema: Schema): Schema {
  refuseLooseForeignKeys(schema, 'PostgreSQL');
  return makeSchema(schema.tables.map((t) => ({ ...t, columns: t.columns.map((c) => projectCollation(projectPgType(c), (n) => n, 'default')) })));
}
