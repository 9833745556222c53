import type { Column, ColumnDefault, Table } from '../schema/types';
import { groupedExpressionKey } from '../schema/expression';
import { PHASE, STEP, tag, type Tagged } from './order';

/** Defaults compared as data: same kind and same value (expressions: same text, spacing aside). */
export function defaultsEqual(a: ColumnDefault | null, b: ColumnDefault | null): boolean {
  if (a === null || b === null) return a === b;
  if (a.kind === 'literal' && b.kind === 'literal') return a.value === b.value;
  if (a.kind === 'expression' && b.kind === 'expression') return squash(a.sql) === squash(b.sql);
  return false;
}

const squash = (sql: string) => sql.trim().replace(/\s+/g, ' ');

/** Whether two versions of a column need an alterColumn (the name is not compared). */
export function columnsEqual(a: Column, b: Column): boolean {
  return (
    a.type === b.type &&
    a.length === b.length &&
    a.nullable === b.nullable &&
    a.autoIncrement === b.autoIncrement &&
    a.unsigned === b.unsigned &&
    typeFieldsEqual(a, b) &&
    (a.comment ?? '') === (b.comment ?? '') &&
    (a.collation ?? '') === (b.collation ?? '') &&
    defaultsEqual(a.default, b.default) &&
    extrasEqual(a, b)
  );
}

/** Enum values and type name, generation (expression by its key) and identity. */
function extrasEqual(a: Column, b: Column): boolean {
  const gen = (c: Column) => (c.generated ? `${c.generated.stored}:${groupedExpressionKey(c.generated.expression)}` : '');
  // A named enum type's values are the type's (compareEnums), not each column's.
  const sameEnum = a.enum?.name && a.enum.name === b.enum?.name ? true : JSON.stringify(a.enum ?? null) === JSON.stringify(b.enum ?? null);
  return (
    sameEnum &&
    gen(a) === gen(b) &&
    (a.identity ?? null) === (b.identity ?? null) &&
    JSON.stringify(a.identityOptions ?? null) === JSON.stringify(b.identityOptions ?? null)
  );
}

/** The type's parameters (decimal precision/scale, a datetime's zone, an array's element, a custom spelling, a TEXT/BLOB size). */
export function typeFieldsEqual(a: Column, b: Column): boolean {
  return a.precision === b.precision && a.scale === b.scale && a.timezone === b.timezone && a.element === b.element && a.custom === b.custom && a.size === b.size;
}

/**
 * Column ops of one table: `from` is the database's table after renames, `to` the models'.
 * Added columns in model order, then changed ones, then dropped ones in database order. An
 * enum column's renamed values (`renamedValues`, by column name) go with its alterColumn.
 */
export function compareColumns(from: Table, to: Table, renamedValues?: ReadonlyMap<string, ReadonlyMap<string, string>>): Tagged[] {
  const out: Tagged[] = [];
  const fromCols = new Map(from.columns.map((c) => [c.name, c]));
  const toNames = new Set(to.columns.map((c) => c.name));
  const body = (op: Tagged['op'], step: number, seq: number) => out.push(tag(op, PHASE.tableBody, to.name, seq, step));
  to.columns.forEach((column, seq) => {
    const old = fromCols.get(column.name);
    if (!old) body({ kind: 'addColumn', table: to.name, column }, STEP.addColumn, seq);
    else if (!columnsEqual(old, column)) {
      const step = column.nullable && !old.nullable ? STEP.loosen : STEP.tighten;
      const values = [...(renamedValues?.get(column.name) ?? [])];
      body({ kind: 'alterColumn', table: to.name, from: old, to: column, ...(values.length ? { renamedValues: values } : {}) }, step, seq);
    }
  });
  from.columns.forEach((column, seq) => {
    if (!toNames.has(column.name)) body({ kind: 'dropColumn', table: to.name, column }, STEP.dropColumn, seq);
  });
  return out;
}
