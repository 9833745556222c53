import type { Operation } from '../ops/types';
import { INTEGER_TYPES, type Column, type Schema, type Table } from '../schema/types';

/**
 * The types MySQL's projection may make unsigned: an auto-increment key (a SmallInteger one
 * too, when said) and a foreign key column pointing at an unsigned column (InnoDB wants the
 * same type and sign on both sides, so such a SmallInteger column follows its SmallInteger key;
 * TinyInteger and MediumInteger alike).
 */
export const isInteger = (c: Column) => INTEGER_TYPES.has(c.type);

/** The tables without the model-only `signed` mark (Column.signed): what every projection returns. */
export function withoutSignedMarks(tables: readonly Table[]): Table[] {
  return tables.map((t) => (t.columns.some((c) => c.signed) ? { ...t, columns: t.columns.map(({ signed: _signed, ...c }) => c) } : t));
}

/**
 * PostgreSQL and SQLite have no unsigned integers: the model's `.unsigned()` says nothing there
 * (Knex ignores `unsigned()` on both), so the projection reads it as the database will.
 */
export function withoutUnsigned(schema: Schema): Schema {
  const said = (t: Table) => t.columns.some((c) => c.unsigned || c.signed);
  if (!schema.tables.some(said)) return schema;
  return { ...schema, tables: schema.tables.map((t) => (said(t) ? { ...t, columns: t.columns.map(({ signed: _signed, ...c }) => ({ ...c, unsigned: false })) } : t)) };
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
