import { makeSchema } from '../../schema/build';
import { NARROW_INTEGERS, type Column, type Schema } from '../../schema/types';
import { projectSqliteType } from './column-types';
import { refuseIndexOptions, withoutComments } from '../table-options';
import { projectCollation } from '../project-extras';

/**
 * The model schema as SQLite stores it: an auto-increment key is always
 * `integer primary key autoincrement` (a rowid alias), so a BigInteger, SmallInteger,
 * TinyInteger or MediumInteger auto-increment key is stored, and reads back, as integer (knex's
 * `increments`). The types SQLite has no storage of their own for: ./column-types. SQLite has no comments (ignored) and no index method or INCLUDE (refused).
 */
export function projectSqlite(schema: Schema): Schema {
  refuseIndexOptions(schema, 'SQLite', { method: 'SQLite has only b-tree indexes', include: 'SQLite has no covering INCLUDE columns' });
  const bigKey = (c: Column) => (c.type === 'bigint' || NARROW_INTEGERS.has(c.type)) && c.autoIncrement;
  const typed = (t: string, c: Column): Column => (bigKey(c) ? { ...c, type: 'integer' } : projectSqliteType(c, `table '${t}' column '${c.name}'`));
  // Collation names are case-blind on SQLite: upper case, as introspection reads them; BINARY is the default.
  const column = (t: string, c: Column): Column => projectCollation(typed(t, c), (n) => n.toUpperCase(), 'BINARY');
  // SQLite has no comments: the models' comments are ignored there.
  return makeSchema(schema.tables.map(withoutComments).map((t) => ({ ...t, columns: t.columns.map((c) => column(t.name, c)) })));
}
