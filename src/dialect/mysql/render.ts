import { mysqlOnline } from './online';
import type { DialectRender } from '../generation';
import { lobSpelling, mysqlColumnType } from './column-types';
import { mysqlExtras } from './extras';
import type { Column } from '../../schema/types';
import { mysqlTableOptionCalls } from './table-options';
import { lit, litList, litValue } from '../../render/literal';

/**
 * MySQL/MariaDB: no interval type, so `time`. Columns rename with `RENAME COLUMN` (MySQL 8.0,
 * MariaDB 10.5.2), not knex's `renameColumn`, which reads the column back and splices its
 * default into a `CHANGE` unescaped: a default holding a quote breaks the statement. A column
 * becoming (or staying) auto-increment goes through `knex.raw`: knex's `.alter()` would drop
 * AUTO_INCREMENT. A TEXT, BLOB or JSON column with a default: see textDefault.
 */
export const mysqlRender: DialectRender = {
  alterInPlace: true,
  tableOptionCalls: (options) => options.flatMap((o) => mysqlTableOptionCalls(o.sql)),
  online: mysqlOnline,
  columnType: mysqlColumnType,
  columnDefault: textDefault,
  intervalColumn: (name) => `t.time(${name})`,
  dropColumn: () => undefined,
  renameColumn: (op) => `await knex.raw('ALTER TABLE ?? RENAME COLUMN ?? TO ??', ${litList([op.table, op.from, op.to])});`,
  /**
   * Knex's `increments` is `int unsigned`: a signed key (`.unsigned(false)`) is said in full, and
   * so is a SmallInteger, TinyInteger or MediumInteger key (knex has no `smallIncrements`),
   * unsigned unless said signed.
   */
  incrementsColumn: (c, name) =>
    c.unsigned && (c.type === 'integer' || c.type === 'bigint') ? undefined : `t.specificType(${name}, '${autoIncrementType(c)} NOT NULL AUTO_INCREMENT PRIMARY KEY')`,
  alterAutoIncrement: (table, _from, to) => (to.autoIncrement ? autoIncrement(table, to) : undefined),
  extras: mysqlExtras,
  /** Backslashes and quotes escaped (knex escapes quotes only, and not at all on tables). */
  commentText: (text) => text.replace(/\\/g, '\\\\').replace(/'/g, "\\'"),
  rawText: (sql) => sql,
  quoteName: (name) => `\`${name.replace(/`/g, '``')}\``,
  alterColumnComment: () => undefined,
  /** Knex's own `.collate()`, which MODIFY restates too (MySQL infers the character set from it). */
  collate: (c, _name, call) => `${call}.collate(${lit(c.collation ?? '')})`,
};

/** The integer type of an auto-increment column: `INT`, `BIGINT UNSIGNED`, `SMALLINT UNSIGNED`, `TINYINT UNSIGNED`, ... */
function autoIncrementType(c: Column): string {
  const type = c.type === 'integer' ? 'INT' : c.type.toUpperCase();
  return `${type}${c.unsigned ? ' UNSIGNED' : ''}`;
}

function autoIncrement(table: string, c: Column): string {
  return `await knex.raw('ALTER TABLE ?? MODIFY ?? ${autoIncrementType(c)} NOT NULL AUTO_INCREMENT', ${litList([table, c.name])});`;
}

/**
 * A TEXT, BLOB or JSON column's default. Knex 3.3 leaves it out on `t.text`/`t.binary` (with a
 * warning) and turns a `knex.raw` default of `t.json` into `('{...}')` of the Raw object, and
 * MySQL 8.0.13+ takes such a default only as a parenthesised expression: so the type is said
 * through `t.specificType` (knex writes its default as given) and the default in parentheses,
 * a literal as a knex binding (escaped by knex, as every other string default is). MariaDB
 * 10.2+ takes the same spelling and reads a parenthesised literal back as that literal
 * (`DEFAULT ('x')` -> COLUMN_DEFAULT `'x'`).
 */
function textDefault(c: Column, name: string): { call: string; value: string } | undefined {
  const spelling = c.type === 'text' || (c.type === 'binary' && c.length === null) ? lobSpelling(c) : c.type === 'json' ? 'json' : undefined;
  if (!spelling || !c.default) return undefined;
  const value = c.default.kind === 'literal' ? `knex.raw('(?)', [${litValue(c.default.value)}])` : `knex.raw(${lit(`(${c.default.sql})`)})`;
  return { call: `t.specificType(${name}, '${spelling}')`, value };
}
