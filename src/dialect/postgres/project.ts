import { makeSchema } from '../../schema/build';
import type { Column, Schema } from '../../schema/types';
import { projectPgType } from './column-types';
import { projectCollation } from '../project-extras';
import { refuseLooseForeignKeys } from '../table-options';

/** The model schema as PostgreSQL stores it: the types' own defaults left out (./column-types). */
export function projectPostgres(schema: Schema): Schema {
  refuseLooseForeignKeys(schema, 'PostgreSQL');
  return makeSchema(schema.tables.map((t) => ({ ...t, columns: t.columns.map((c) => bareNumberDefault(projectCollation(projectPgType(c), (n) => n, 'default'))) })));
}

/**
 * A custom-type column's default that is a number (`Custom('money').default('0')`) as a bare
 * number: quoted, PostgreSQL casts it once at CREATE into the type's own text ('$0.00'::money),
 * which then never compares equal; bare, it is cast as each row is written and reads back as it
 * was written (./introspect parseDefault reads it so).
 */
function bareNumberDefault(c: Column): Column {
  if (c.type !== 'custom' || c.default?.kind !== 'literal' || typeof c.default.value !== 'string') return c;
  return /^-?\d+(\.\d+)?(e[+-]?\d+)?$/i.test(c.default.value) ? { ...c, default: { kind: 'expression', sql: c.default.value } } : c;
}
