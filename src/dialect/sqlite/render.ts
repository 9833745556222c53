import type { DialectRender } from '../generation';
import { sqliteColumnType } from './column-types';
import { sqliteExtras } from './extras';
import { lit, litList } from '../../render/literal';
import { collatedType } from '../extras-render';

/**
 * SQLite drops a column with native `ALTER TABLE ... DROP COLUMN` (3.35+), never knex's
 * `dropColumn`, which rebuilds the table (losing triggers, cascading deletes). SQLite refuses,
 * with a clear error, to drop a column that is indexed, unique, part of a key or referenced:
 * the planner sends those as rebuildTable. Nothing else alters in place.
 */
export const sqliteRender: DialectRender = {
  alterInPlace: false,
  columnType: sqliteColumnType,
  intervalColumn: (name) => `t.specificType(${name}, 'interval')`,
  dropColumn: (op) => `await knex.raw('ALTER TABLE ?? DROP COLUMN ??', ${litList([op.table, op.column.name])});`,
  renameColumn: () => undefined,
  alterAutoIncrement: () => undefined,
  extras: sqliteExtras,
  /** SQLite has no comments: the projection drops them, nothing renders one. */
  commentText: (text) => text,
  rawText: (sql) => sql,
  quoteName: (name) => `"${name.replace(/"/g, '""')}"`,
  alterColumnComment: () => undefined,
  collate: (c, name) => {
    const own = c.generated ? sqliteExtras.generatedType(c) : c.type === 'enum' ? sqliteExtras.enumType(c) : undefined;
    return `t.specificType(${name}, ${lit(collatedType(c, sqliteCollation(c.collation ?? ''), 'SQLite', own))})`;
  },
};

/** A collation name, quoted unless a plain identifier (SQLite prints it back as written). */
function sqliteCollation(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`;
}
