import { makeSchema } from '../../schema/build';
import type { Column, Schema } from '../../schema/types';

/**
 * The model schema as SQLite stores it: an auto-increment key is always
 * `integer primary key autoincrement` (a rowid alias), so a BigInteger auto-increment key is
 * stored, and reads back, as integer.
 */
export function projectSqlite(schema: Schema): Schema {
  const bigKey = (c: Column) => c.type === 'bigint' && c.autoIncrement;
  if (!schema.tables.some((t) => t.columns.some(bigKey))) return schema;
  return makeSchema(schema.tables.map((t) => ({ ...t, columns: t.columns.map((c) => (bigKey(c) ? { ...c, type: 'integer' as const } : c)) })));
}
