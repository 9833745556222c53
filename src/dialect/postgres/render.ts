import { postgresOnline } from './online';
import type { DialectRender } from '../generation';
import { pgColumnType, pgSpelling } from './column-types';
import { postgresExtras } from './extras';
import type { Column } from '../../schema/types';
import { lit, litList } from '../../render/literal';
import { collatedType, quoteIdent } from '../extras-render';
import { KilnError } from '../../errors';

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
  /** Knex has no `smallIncrements`: a SmallInteger key is a `smallserial` (serial's small sibling). */
  incrementsColumn: (c, name) => (c.type === 'smallint' ? `t.specificType(${name}, 'smallserial PRIMARY KEY')` : undefined),
  alterAutoIncrement: (table, from, to) => {
    const identity = postgresExtras.alterIdentity(table, from, to);
    if (identity === undefined) return to.autoIncrement && from.autoIncrement ? serialType(table, from, to) : undefined;
    return withRestOfChange(table, from, to, identity);
  },
  extras: postgresExtras,
  /** Quotes doubled (knex doubles only a lone one); '?' escaped from knex's parameters. */
  commentText: (text) => passable(text, 'a comment').replace(/'/g, "''").replace(/\?/g, '\\?'),
  rawText: (sql) => passable(sql, 'a statement').replace(/\?/g, '\\?'),
  quoteName: (name) => `"${name.replace(/"/g, '""')}"`,
  /** COMMENT ON COLUMN alone (knex's `.alter()` would restate the type, default and NOT NULL). */
  alterColumnComment: (table, column, comment) => {
    const value = comment === undefined ? 'NULL' : `'${passable(comment, 'a comment').replace(/'/g, "''").replace(/\?/g, '\\?')}'`;
    return `await knex.raw(${lit(`COMMENT ON COLUMN ??.?? IS ${value}`)}, ${litList([table, column])});`;
  },
  /** `t.specificType(name, 'varchar(100) COLLATE "C"')`: knex's ALTER COLUMN TYPE then restates it. */
  collate: (c, name) => {
    if (c.generated || c.type === 'enum') {
      throw new KilnError('MODEL', `column '${c.name}': kiln cannot give a ${c.generated ? 'generated' : 'enum'} column a collation on PostgreSQL`, {
        hint: "leave the collation out of the model (kiln keeps the database's), or change it by hand",
      });
    }
    const own = c.type === 'array' ? pgSpelling(c) : undefined;
    return `t.specificType(${name}, ${lit(collatedType(c, quoteIdent(c.collation ?? ''), 'PostgreSQL', own))})`;
  },
};

/**
 * knex on PostgreSQL turns every '?' into a parameter and drops the backslashes before one (its
 * escape): a backslash right before a '?' cannot reach the database, and the text would change
 * in silence (`a\?b` became `a$1b`). Refused, naming it. Comments kiln writes itself avoid it
 * (src/dialect/postgres/literal.ts pgStringLiteral).
 */
function passable(text: string, what: string): string {
  if (!/\\\?/.test(text)) return text;
  const shown = text.length > 60 ? `${text.slice(0, 57)}...` : text;
  throw new KilnError('MODEL', `${what} holds a backslash before '?' (${JSON.stringify(shown)}), which knex on PostgreSQL cannot pass through unchanged`, {
    hint: 'write that part of the migration by hand with a binding, or avoid the backslash before the question mark',
  });
}

/** The column without its identity and auto-increment: what knex's `.alter()` says of it. */
const plain = (c: Column): Column => {
  const { identity: _identity, identityOptions: _options, ...rest } = c;
  return { ...rest, autoIncrement: false };
};

/**
 * An identity gained, lost or changed, with whatever else changes on the column (its type, NOT
 * NULL, default): the rest through knex's `.alter()`, before ADD GENERATED (which needs the
 * column NOT NULL and without a default) and SET (options of the new type), after DROP IDENTITY.
 */
function withRestOfChange(table: string, from: Column, to: Column, identity: string): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { columnsEqual } = require('../../diff/compare-columns') as typeof import('../../diff/compare-columns');
  if (columnsEqual(plain(from), plain(to))) return identity;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { renderAlterColumn } = require('../../render/column-ops') as typeof import('../../render/column-ops');
  const rest = renderAlterColumn({ kind: 'alterColumn', table, from: plain(from), to: plain(to) }, 'postgres');
  return from.identity && !to.identity ? `${identity}\n${rest}` : `${rest}\n${identity}`;
}

function serialType(table: string, from: Column, to: Column): string {
  if (from.type === to.type) return '// kiln: nothing to change for auto-increment column ' + lit(to.name);
  const type = to.type === 'bigint' || to.type === 'smallint' ? to.type : 'integer';
  return [
    `// kiln: the serial's sequence keeps its own type (ALTER SEQUENCE ... AS ${type} if needed)`,
    `await knex.raw('ALTER TABLE ?? ALTER COLUMN ?? TYPE ${type}', ${litList([table, to.name])});`,
  ].join('\n');
}
