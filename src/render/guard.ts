import { lobBytes, typeLabel } from '../ops/describe';
import type { Operation } from '../ops/types';
import type { Column } from '../schema/types';
import { copyPairs } from './rebuild';
import { commentText, lit, litList } from './literal';
import { column } from '../schema/build';
import { floatRounds } from '../dialect/value-guard';

/** A column change that can alter stored values, found in one op. */
export interface ValueChange {
  readonly table: string;
  readonly column: string;
  readonly from: Column;
  readonly to: Column;
}

const INTEGERS = new Set(['tinyint', 'smallint', 'mediumint', 'integer', 'bigint']);
const RANK: Record<string, number> = { tinyint: 1, smallint: 2, mediumint: 3, integer: 4, bigint: 5 };
const FRACTIONAL = new Set(['float', 'real', 'decimal']);
const STRINGS = new Set(['string', 'char']);

/**
 * Whether changing `from` into `to` can alter a stored value: a string (or char) that gets
 * shorter, any other column that becomes a string(n) or char(n) (its text may not fit:
 * PostgreSQL cuts a float's or a boolean's text too), a datetime that becomes a date or a time,
 * a number that becomes a boolean (PostgreSQL casts 5 to true), a float or decimal that becomes
 * an integer, an integer type that gets smaller (or unsigned), a decimal(p,s) with fewer digits
 * after or before the point than the values may have, a MySQL TEXT/BLOB of a smaller size
 * (Column.size), anything that becomes a TINYTEXT/TINYBLOB (255 bytes), a number a float or
 * real rounds (a bigint past 2^53, a decimal, a SQLite NUMERIC column's integers: floatRounds).
 */
export function canChangeValues(from: Column, to: Column): boolean {
  if (from.type === 'enum' && to.type === 'enum') return (from.enum?.values ?? []).some((v) => !(to.enum?.values ?? []).includes(v));
  if (isLob(to)) return isLob(from) && from.type === to.type ? lobBytes(to) < lobBytes(from) : to.size === 'tiny';
  if (STRINGS.has(to.type)) {
    if (STRINGS.has(from.type)) return (to.length ?? 0) < (from.length ?? 0);
    return true;
  }
  if (to.type === 'decimal') return decimalCanChange(from, to);
  if (to.type === 'float' || to.type === 'real') return floatRounds(from.type, to.type);
  if (to.type === 'date' || to.type === 'time') return from.type === 'datetime';
  if (to.type === 'boolean') return INTEGERS.has(from.type) || FRACTIONAL.has(from.type);
  if (!INTEGERS.has(to.type)) return false;
  if (FRACTIONAL.has(from.type)) return true;
  if (!INTEGERS.has(from.type)) return false;
  if (RANK[from.type] > RANK[to.type]) return true;
  if (to.unsigned && !from.unsigned) return true;
  return from.unsigned && !to.unsigned && from.type === to.type;
}

const INTEGER_DIGITS: Record<string, number> = { tinyint: 3, smallint: 5, mediumint: 8, integer: 10, bigint: 20 };

function decimalCanChange(from: Column, to: Column): boolean {
  if (to.precision === undefined) return false;
  const whole = to.precision - (to.scale ?? 0);
  if (from.type === 'float' || from.type === 'real') return true;
  if (from.type === 'decimal') {
    if (from.precision === undefined) return true;
    return (to.scale ?? 0) < (from.scale ?? 0) || whole < from.precision - (from.scale ?? 0);
  }
  return INTEGERS.has(from.type) && whole < INTEGER_DIGITS[from.type];
}

/** The value-changing column changes an op makes (alterColumn; a SQLite rebuild's copied columns). */
export function valueChanges(op: Operation): ValueChange[] {
  if (op.kind === 'alterEnumType') return enumTypeChanges(op);
  if (op.kind === 'alterColumn') {
    const to = keepingRenamed(op.to, (op.renamedValues ?? []).map(([o]) => o));
    return canChangeValues(op.from, to) ? [{ table: op.table, column: op.to.name, from: op.from, to }] : [];
  }
  if (op.kind !== 'rebuildTable') return [];
  const out: ValueChange[] = [];
  for (const [newName, oldName] of copyPairs(op)) {
    const from = op.from.columns.find((c) => c.name === oldName);
    const found = op.to.columns.find((c) => c.name === newName);
    const to = found && keepingRenamed(found, (op.renamedValues ?? []).filter(([c]) => c === newName).map(([, o]) => o));
    if (from && to && canChangeValues(from, to)) out.push({ table: op.from.name, column: oldName, from, to });
  }
  return out;
}

/** A text column or a LargeBinary: the types MySQL sizes (Column.size). */
const isLob = (c: Column) => c.type === 'text' || (c.type === 'binary' && c.length === null);

const typeLiteral = (c: Column) =>
  `{ type: ${lit(c.type)}${STRINGS.has(c.type) ? `, length: ${c.length}` : ''}${c.size ? `, size: ${lit(c.size)}` : ''}${c.unsigned ? ', unsigned: true' : ''}${c.enum ? `, values: ${litList(c.enum.values)}` : ''}` +
  `${c.type === 'decimal' && c.precision !== undefined ? `, precision: ${c.precision}${c.scale ? `, scale: ${c.scale}` : ''}` : ''} }`;

/**
 * An enum column whose renamed values (`olds`) count as kept: the guard runs before the body,
 * while rows still hold the old value, which the change renames rather than removes.
 */
function keepingRenamed(c: Column, olds: readonly string[]): Column {
  if (!olds.length || !c.enum) return c;
  return { ...c, enum: { ...c.enum, values: [...c.enum.values, ...olds.filter((v) => !c.enum!.values.includes(v))] } };
}

/** A named enum type losing values (renamed ones are kept): every column of that type (PostgreSQL's swap). */
function enumTypeChanges(op: Extract<Operation, { kind: 'alterEnumType' }>): ValueChange[] {
  const olds = (op.renamedValues ?? []).map(([o]) => o);
  if (op.from.every((v) => op.to.includes(v) || olds.includes(v))) return [];
  const as = (name: string, values: readonly string[]): Column => ({ ...column(name, 'enum'), enum: { name: op.name, values } });
  return op.columns.map((u) => ({ table: u.table, column: u.column, from: as(u.column, op.from), to: keepingRenamed(as(u.column, op.to), olds) }));
}

/**
 * The guards of a migration body, run first, before any statement (MySQL cannot roll DDL back):
 * one `guardValues(...)` per value-changing column change, under a comment saying what and how
 * to opt in. Names are the ones the database has before the body runs (renames earlier in the
 * body are undone); a column of a table created, or a column added, in the same body has no
 * stored values and needs no guard.
 */
export function renderGuards(ops: readonly Operation[]): string[] {
  const tables = new Map<string, string>(); // current name -> name before the body
  const columns = new Map<string, string>(); // `table\0current` -> column name before the body
  const fresh = new Set<string>(); // tables created, `table\0column` added in the body
  const out: string[] = [];
  for (const op of ops) {
    if (op.kind === 'renameTable') tables.set(op.to, tables.get(op.from) ?? op.from);
    else if (op.kind === 'renameColumn') columns.set(`${op.table}\0${op.to}`, columns.get(`${op.table}\0${op.from}`) ?? op.from);
    else if (op.kind === 'createTable') fresh.add(op.table.name);
    else if (op.kind === 'addColumn') fresh.add(`${op.table}\0${op.column.name}`);
    for (const g of valueChanges(op)) {
      if (fresh.has(g.table) || fresh.has(`${g.table}\0${g.column}`)) continue;
      const table = tables.get(g.table) ?? g.table;
      const column = columns.get(`${g.table}\0${g.column}`) ?? g.column;
      out.push(
        `// kiln: '${commentText(table)}.${commentText(column)}' ${typeLabel(g.from)} -> ${typeLabel(g.to)} can change stored values: ` +
          'this guard refuses to run the migration while any row would change; set allowValueChanges: true to accept that',
        `await guardValues(knex, { table: ${lit(table)}, column: ${lit(column)}, from: ${typeLiteral(g.from)}, to: ${typeLiteral(g.to)}, allowValueChanges: false });`,
      );
    }
  }
  return out;
}

/** Whether the rendered body calls `guardValues`. */
export function usesGuard(ops: readonly Operation[]): boolean {
  return renderGuards(ops).length > 0;
}
