import { postgresOnline } from './online';
import type { DialectRender } from '../generation';
import { pgColumnType } from './column-types';
import { postgresExtras } from './extras';
import type { Column } from '../../schema/types';
import { lit, litList } from '../../render/literal';

/**
 * PostgreSQL: an auto-increment column that stays one changes type through `knex.raw` (knex's
 * `.alter()` would cast it to `serial`); the serial's sequence keeps its own type.
 */
export const postgresRender: DialectRender = {
  alterInPlace: true,
  online: postgresOnline,
  columnType: pgColumnType,
  intervalColumn: (name) => `t.specificType(${name}, 'interval')`,
  dropColumn: () => undefined,
  renameColumn: () => undefined,
  alterAutoIncrement: (table, from, to) =>
    postgresExtras.alterIdentity(table, from, to) ?? (to.autoIncrement && from.autoIncrement ? serialType(table, from, to) : undefined),
  extras: postgresExtras,
  /** Quotes doubled (knex doubles only a lone one); '?' escaped from knex's parameters. */
  commentText: (text) => text.replace(/'/g, "''").replace(/\?/g, '\\?'),
  quoteName: (name) => `"${name.replace(/"/g, '""')}"`,
  /** COMMENT ON COLUMN alone (knex's `.alter()` would restate the type, default and NOT NULL). */
  alterColumnComment: (table, column, comment) => {
    const value = comment === undefined ? 'NULL' : `'${comment.replace(/'/g, "''").replace(/\?/g, '\\?')}'`;
    return `await knex.raw(${lit(`COMMENT ON COLUMN ??.?? IS ${value}`)}, ${litList([table, column])});`;
  },
};

function serialType(table: string, from: Column, to: Column): string {
  if (from.type === to.type) return '// kiln: nothing to change for auto-increment column ' + lit(to.name);
  const type = to.type === 'bigint' ? 'bigint' : 'integer';
  return [
    `// kiln: the serial's sequence keeps its own type (ALTER SEQUENCE ... AS ${type} if needed)`,
    `await knex.raw('ALTER TABLE ?? ALTER COLUMN ?? TYPE ${type}', ${litList([table, to.name])});`,
  ].join('\n');
}
