import { dialectOf } from '../dialect/registry';
import type { DialectName } from '../dialect/types';
import { INTEGER_TYPES, NARROW_INTEGERS, type Column, type ColumnType } from '../schema/types';
import { renderColumnComment } from './extras';
import { lit, litValue } from './literal';

/**
 * The Knex builder call for each canonical type, per dialect (checked against knex 3.3's
 * column compilers):
 * - float: `double` (SQLite `float`, PostgreSQL `double precision`, MySQL `double`); knex
 *   `float` would be `float(8, 2)` on MySQL and `real` on PostgreSQL.
 * - datetime: `datetime` (PostgreSQL `timestamptz`).
 * - interval: the dialect's `intervalColumn` (`specificType('interval')` on SQLite/PostgreSQL;
 *   MySQL has no interval type, so `time`).
 * - issue 11's types: the dialect's `columnType` first (src/dialect/<name>/column-types.ts),
 *   which says every type its projection lets through; the calls below are the common ones.
 */
function typeCall(c: Column, dialect: DialectName, own?: string): string {
  const call = own ?? plainTypeCall(c, dialect);
  // A collation ('' is "the default, said": none) is the dialect's to spell.
  return c.collation ? dialectOf(dialect).generation.render.collate(c, lit(c.name), call) : call;
}

function plainTypeCall(c: Column, dialect: DialectName): string {
  const n = lit(c.name);
  const extras = dialectOf(dialect).generation.render.extras;
  if (c.generated) return `t.specificType(${n}, ${lit(extras.generatedType(c))})`;
  if (c.type === 'enum') return `t.specificType(${n}, ${lit(extras.enumType(c))})`;
  const identity = c.identity ? extras.identityType(c) : undefined;
  if (identity !== undefined) return `t.specificType(${n}, ${lit(identity)})`;
  const own = dialectOf(dialect).generation.render.columnType(c, n);
  if (own !== undefined) return own;
  const simple: Partial<Record<ColumnType, string>> = {
    integer: 'integer',
    smallint: 'smallint',
    tinyint: 'tinyint',
    mediumint: 'mediumint',
    bigint: 'bigInteger',
    text: 'text',
    date: 'date',
    time: 'time',
    datetime: 'datetime',
    float: 'double',
    boolean: 'boolean',
    json: 'json',
    jsonb: 'jsonb',
    uuid: 'uuid',
  };
  switch (c.type) {
    case 'string':
      return `t.string(${n}, ${c.length ?? 255})`;
    case 'interval':
      return dialectOf(dialect).generation.render.intervalColumn(n);
    case 'binary':
    case 'varbinary':
      return c.length === null ? `t.binary(${n})` : `t.binary(${n}, ${c.length})`;
    case 'decimal':
      return c.precision === undefined ? `t.decimal(${n}, null)` : `t.decimal(${n}, ${c.precision}, ${c.scale ?? 0})`;
    case 'real':
      return `t.specificType(${n}, 'real')`;
    case 'char':
      return `t.specificType(${n}, ${lit(`char(${c.length})`)})`;
    case 'array':
    case 'custom':
      throw new Error(`kiln bug: cannot render a ${c.type} column ('${c.name}') on ${dialectOf(dialect).label}`);
    default:
      return `t.${simple[c.type] ?? c.type}(${n})`;
  }
}

/**
 * Whether the column renders as knex `increments` / `bigIncrements` (which imply the PK), or, for
 * a SmallInteger/TinyInteger/MediumInteger key (knex has no `smallIncrements`), as the dialect's
 * own call that does the same.
 */
export function isIncrements(c: Column): boolean {
  return c.autoIncrement && !c.identity && INTEGER_TYPES.has(c.type);
}

function knexIncrements(c: Column, dialect: DialectName): string {
  if (NARROW_INTEGERS.has(c.type)) throw new Error(`kiln bug: ${dialectOf(dialect).label} has no call for the auto-increment ${c.type} key '${c.name}'`);
  return `t.${c.type === 'bigint' ? 'bigIncrements' : 'increments'}(${lit(c.name)})`;
}

/** `.defaultTo(...)` or '' */
export function renderDefault(c: Column): string {
  if (!c.default) return '';
  if (c.default.kind === 'literal') return `.defaultTo(${litValue(c.default.value)})`;
  // An expression other than a bare keyword is parenthesised: SQLite and MySQL accept an
  // expression default (`1 + 2`, `lower('A')`) only in parentheses; PostgreSQL takes both.
  const sql = /^[A-Za-z_]+$/.test(c.default.sql) ? c.default.sql : `(${c.default.sql})`;
  return `.defaultTo(knex.raw(${lit(sql)}))`;
}

/**
 * One column as a table-builder call: `t.string('name', 70).notNullable()`. With `alter`, the
 * call ends in `.alter()` and states nullability both ways (knex re-sets type, nullability and
 * default from exactly what is rendered). With `keepNullability` (nullability does not change),
 * `.alter({ alterNullable: false })`: knex on PostgreSQL otherwise runs `DROP NOT NULL` first,
 * which PostgreSQL refuses on a primary-key column ("column is in a primary key").
 */
export function renderColumn(c: Column, dialect: DialectName, alter = false, keepNullability = false): string {
  if (isIncrements(c) && !alter) {
    const call = dialectOf(dialect).generation.render.incrementsColumn?.(c, lit(c.name)) ?? knexIncrements(c, dialect);
    return `${call}${renderColumnComment(c.comment, dialect)}`;
  }
  // A default the dialect writes its own way (MySQL: TEXT/BLOB/JSON) comes with its own type call.
  const own = c.default ? dialectOf(dialect).generation.render.columnDefault?.(c, lit(c.name)) : undefined;
  let s = typeCall(c, dialect, own?.call);
  // Knex ignores unsigned() on PostgreSQL and SQLite, so it is rendered everywhere: a migration
  // generated on SQLite then gives MySQL the unsigned foreign keys its `increments` needs.
  if (c.unsigned) s += '.unsigned()';
  if (!c.nullable) s += '.notNullable()';
  else if (alter) s += '.nullable()';
  s += own ? `.defaultTo(${own.value})` : renderDefault(c);
  s += renderColumnComment(c.comment, dialect);
  if (!alter) return s;
  return keepNullability ? `${s}.alter({ alterNullable: false })` : `${s}.alter()`;
}
