import type { Column, ColumnDefault, Table } from '../schema/types';
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
    (a.comment ?? '') === (b.comment ?? '') &&
    defaultsEqual(a.default, b.default)
  );
}

/**
 * Column ops of one table: `from` is the database's table after renames, `to` the models'.
 * Added columns in model order, then changed ones, then dropped ones in database order.
 */
export function compareColumns(from: Table, to: Table): Tagged[] {
  const out: Tagged[] = [];
  const fromCols = new Map(from.columns.map((c) => [c.name, c]));
  const toNames = new Set(to.columns.map((c) => c.name));
  const body = (op: Tagged['op'], step: number, seq: number) => out.push(tag(op, PHASE.tableBody, to.name, seq, step));
  to.columns.forEach((column, seq) => {
    const old = fromCols.get(column.name);
    if (!old) body({ kind: 'addColumn', table: to.name, column }, STEP.addColumn, seq);
    else if (!columnsEqual(old, column)) {
      const step = column.nullable && !old.nullable ? STEP.loosen : STEP.tighten;
      body({ kind: 'alterColumn', table: to.name, from: old, to: column }, step, seq);
    }
  });
  from.columns.forEach((column, seq) => {
    if (!toNames.has(column.name)) body({ kind: 'dropColumn', table: to.name, column }, STEP.dropColumn, seq);
  });
  return out;
}
