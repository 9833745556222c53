import { makeSchema } from '../../schema/build';
import type { Column, Schema, Table } from '../../schema/types';
import { refuseIndexOptions, withoutComments } from '../table-options';

/**
 * The model schema as SQLite stores it: an auto-increment key is always
 * `integer primary key autoincrement` (a rowid alias), so a BigInteger auto-increment key is
 * stored, and reads back, as integer. SQLite has no comments (ignored) and no index method or
 * INCLUDE (refused).
 */
export function projectSqlite(schema: Schema): Schema {
  refuseIndexOptions(schema, 'SQLite', { method: 'SQLite has only b-tree indexes', include: 'SQLite has no covering INCLUDE columns' });
  const bigKey = (c: Column) => c.type === 'bigint' && c.autoIncrement;
  const hasComment = (t: Table) => t.comment !== undefined || t.columns.some((c) => c.comment !== undefined);
  if (!schema.tables.some((t) => t.columns.some(bigKey) || hasComment(t))) return schema;
  // SQLite has no comments: the models' comments are ignored there.
  return makeSchema(
    schema.tables.map(withoutComments).map((t) => ({ ...t, columns: t.columns.map((c) => (bigKey(c) ? { ...c, type: 'integer' as const } : c)) })),
  );
}
