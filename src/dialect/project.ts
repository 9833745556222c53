import { makeSchema } from '../schema/build';
import type { Column, Schema, Table } from '../schema/types';
import type { Operation } from '../ops/types';
import type { DialectName } from './types';

/**
 * The model schema as the given dialect stores it, so that the pure diff compares like with
 * like. This is where a dialect's type rules for the *model* side live (introspection owns the
 * database side):
 * - MySQL/MariaDB: Knex's `increments` is `int unsigned`, so a lone auto-increment key is
 *   unsigned and every foreign key column pointing at an unsigned column is unsigned too;
 *   there is no INTERVAL type, so Interval is stored as TIME; MariaDB reports RESTRICT as
 *   NO ACTION (they behave alike there); Knex cannot give TEXT/BLOB/JSON columns a default
 *   on MySQL, so such a default is not part of the stored schema.
 * - SQLite: an auto-increment key is always `integer primary key autoincrement` (a rowid
 *   alias), so a BigInteger auto-increment key is stored, and reads back, as integer.
 * - PostgreSQL: stored as modelled.
 */
export function projectSchema(schema: Schema, dialect: DialectName): Schema {
  if (dialect === 'sqlite') return projectSqlite(schema);
  if (dialect !== 'mysql') return schema;
  const keyed = schema.tables.map((t) => ({
    ...t,
    columns: t.columns.map((c) => projectMysqlColumn(c)),
    foreignKeys: t.foreignKeys.map((fk) => ({
      ...fk,
      onDelete: fk.onDelete === 'RESTRICT' ? ('NO ACTION' as const) : fk.onDelete,
      onUpdate: fk.onUpdate === 'RESTRICT' ? ('NO ACTION' as const) : fk.onUpdate,
    })),
  }));
  const unsigned = new Set<string>();
  for (const t of keyed) for (const c of t.columns) if (c.unsigned) unsigned.add(`${t.name}.${c.name}`);
  // Foreign keys may chain (a -> b.id -> c.id): repeat until nothing changes.
  let tables: Table[] = keyed;
  for (let changed = true; changed; ) {
    changed = false;
    tables = tables.map((t) => {
      const fkUnsigned = new Set<string>();
      for (const fk of t.foreignKeys) {
        fk.columns.forEach((col, i) => {
          if (unsigned.has(`${fk.refTable}.${fk.refColumns[i]}`)) fkUnsigned.add(col);
        });
      }
      const columns = t.columns.map((c) => {
        if (!fkUnsigned.has(c.name) || c.unsigned || !isInteger(c)) return c;
        changed = true;
        unsigned.add(`${t.name}.${c.name}`);
        return { ...c, unsigned: true };
      });
      return { ...t, columns };
    });
  }
  return makeSchema(tables);
}

function projectSqlite(schema: Schema): Schema {
  const bigKey = (c: Column) => c.type === 'bigint' && c.autoIncrement;
  if (!schema.tables.some((t) => t.columns.some(bigKey))) return schema;
  return makeSchema(schema.tables.map((t) => ({ ...t, columns: t.columns.map((c) => (bigKey(c) ? { ...c, type: 'integer' as const } : c)) })));
}

const isInteger = (c: Column) => c.type === 'integer' || c.type === 'bigint';

const NO_DEFAULT_ON_MYSQL = new Set(['text', 'binary', 'json']);

function projectMysqlColumn(c: Column): Column {
  if (NO_DEFAULT_ON_MYSQL.has(c.type) && c.default) c = { ...c, default: null };
  if (c.type === 'interval') return { ...c, type: 'time' };
  if (c.autoIncrement && isInteger(c)) return { ...c, unsigned: true };
  return c;
}

/**
 * Makes generated migrations portable to MySQL: an integer column whose foreign key points at
 * an auto-increment key is marked unsigned in the rendered ops (Knex's `increments` is
 * `int unsigned` there; PostgreSQL and SQLite ignore `unsigned()`). The diff never sees this.
 */
export function portableUnsigned(ops: readonly Operation[], schemas: readonly Schema[]): Operation[] {
  const auto = new Set<string>();
  for (const s of schemas) for (const t of s.tables) for (const c of t.columns) if (c.autoIncrement) auto.add(`${t.name}.${c.name}`);
  const mark = (t: Table): Table => {
    const cols = new Set<string>();
    for (const fk of t.foreignKeys) fk.columns.forEach((c, i) => auto.has(`${fk.refTable}.${fk.refColumns[i]}`) && cols.add(c));
    if (cols.size === 0) return t;
    return { ...t, columns: t.columns.map((c) => (cols.has(c.name) && isInteger(c) && !c.unsigned ? { ...c, unsigned: true } : c)) };
  };
  const tableOf = (name: string) => schemas.map((s) => s.tables.find((t) => t.name === name)).find(Boolean);
  return ops.map((op): Operation => {
    switch (op.kind) {
      case 'createTable':
      case 'dropTable':
        return { ...op, table: mark(op.table) };
      case 'rebuildTable':
        return { ...op, from: mark(op.from), to: mark(op.to) };
      case 'addColumn':
      case 'dropColumn': {
        const t = tableOf(op.table);
        const marked = t ? mark({ ...t, columns: [op.column] }).columns[0] : op.column;
        return { ...op, column: marked };
      }
      default:
        return op;
    }
  });
}
