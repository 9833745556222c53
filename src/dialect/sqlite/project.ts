import { makeSchema } from '../../schema/build';
import type { Column, Schema } from '../../schema/types';
import { projectSqliteType } from './column-types';

/**
 * The model schema as SQLite stores it: an auto-increment key is always
 * `integer primary key autoincrement` (a rowid alias), so a BigInteger auto-increment key is
 * stored, and reads back, as integer. The types SQLite has no storage of their own for:
 * ./column-types.
 */
export function projectSqlite(schema: Schema): Schema {
  const bigKey = (c: Column) => c.type === 'bigint' && c.autoIncrement;
  const column = (t: string, c: Column): Column => (bigKey(c) ? { ...c, type: 'integer' } : projectSqliteType(c, `table '${t}' column '${c.name}'`));
  return makeSchema(schema.tables.map((t) => ({ ...t, columns: t.columns.map((c) => column(t.name, c)) })));
}
