import type { Operation, OperationOf } from '../../ops/types';
import type { Column, Schema, Table } from '../../schema/types';
import { creationOrder } from '../../diff/order';
import { renamedTable } from '../../diff/rename-view';
import type { Renames } from '../../diff/renames';

/** Ops that name the table by its database name (they run before the renames). */
const BEFORE_RENAMES = new Set<Operation['kind']>(['dropIndex', 'dropUnique', 'dropForeignKey']);

type TableOp = Exclude<Operation, { kind: 'createTable' | 'dropTable' | 'renameTable' | 'rebuildTable' | 'createEnumType' | 'dropEnumType' | 'createDomain' | 'dropDomain' | 'createExtension' | 'dropExtension' | 'alterEnumType' | 'createSchema' | 'dropSchema' | 'createView' | 'dropView' | 'replaceView' | 'createTrigger' | 'dropTrigger' | 'replaceTrigger' | 'createSequence' | 'dropSequence' | 'alterSequence' }>;

/**
 * What SQLite's ALTER TABLE can do in place: rename a table or column, add/drop an index or a
 * unique index (not a `sqlite_autoindex_*`: those need a rebuild), add a column that is
 * nullable or has a constant default and is not part of the primary key or of a unique rule.
 */
function inPlace(op: TableOp, target: Table | undefined): boolean {
  switch (op.kind) {
    case 'renameColumn':
    case 'addIndex':
    case 'dropIndex':
    case 'addUnique':
      return true;
    case 'dropUnique':
      return !op.unique.inline;
    case 'addColumn':
      return addableInPlace(op.column, target);
    default:
      return false;
  }
}

function addableInPlace(c: Column, target: Table | undefined): boolean {
  if (c.autoIncrement || (!c.nullable && c.default === null) || c.default?.kind === 'expression') return false;
  if (c.generated?.stored) return false; // ALTER TABLE ADD COLUMN refuses a STORED generated column
  if (!target) return false;
  return !target.primaryKey?.columns.includes(c.name) && !target.uniques.some((u) => u.columns.includes(c.name));
}

/**
 * The diff's ops as SQLite can run them: per table, everything ALTER TABLE cannot do in place
 * becomes ONE `rebuildTable` (the table's other column and constraint ops fold into it);
 * `renameTable` ops stay before it, ops on other tables stay as they are. A renamed column
 * folds into the rebuild's `renamed` pairs, unless another table's foreign key points at it
 * (then the in-place RENAME COLUMN, which rewrites those references, runs first). Foreign
 * keys deferred to break a cycle fold back into their createTable / dropTable (SQLite does
 * not check a reference when a table is created or dropped). Expects `compare`'s order.
 */
export function planForSqlite(ops: readonly Operation[], from: Schema, to: Schema): Operation[] {
  const tableRenames = new Map<string, string>();
  for (const op of ops) if (op.kind === 'renameTable') tableRenames.set(op.from, op.to);
  const newName = (op: TableOp) => (BEFORE_RENAMES.has(op.kind) ? (tableRenames.get(op.table) ?? op.table) : op.table);
  const toByName = new Map(to.tables.map((t) => [t.name, t]));
  const created = new Set(ops.flatMap((op) => (op.kind === 'createTable' ? [op.table.name] : [])));
  const dropped = new Set(ops.flatMap((op) => (op.kind === 'dropTable' ? [op.table.name] : [])));
  const rebuilt = new Set<string>();
  for (const op of ops) {
    if (!isTableOp(op) || created.has(newName(op)) || dropped.has(newName(op))) continue;
    if (!inPlace(op, toByName.get(newName(op)))) rebuilt.add(newName(op));
  }
  const keptRenames = referencedRenames(ops, from, tableRenames, rebuilt);
  const folded = (op: Operation) =>
    isTableOp(op) && [rebuilt, created, dropped].some((set) => set.has(newName(op))) && !keptRenames.has(op);
  const out = ops.filter((op) => !folded(op)).map((op) => refold(op, ops, toByName));
  const renames = renamesInPlace(out, tableRenames);
  const rebuilds = rebuildOps(ops, from, toByName, rebuilt, renames, keptRenames);
  const at = out.findIndex((op) => op.kind === 'dropTable');
  out.splice(at < 0 ? out.length : at, 0, ...rebuilds);
  return out;
}

function isTableOp(op: Operation): op is TableOp {
  return 'table' in op && typeof op.table === 'string';
}

/** createTable / dropTable with the foreign keys deferred to break a cycle folded back in. */
function refold(op: Operation, ops: readonly Operation[], toByName: Map<string, Table>): Operation {
  if (op.kind === 'createTable') {
    const late = ops.some((o) => o.kind === 'addForeignKey' && o.table === op.table.name);
    return late ? { kind: 'createTable', table: toByName.get(op.table.name) ?? op.table } : op;
  }
  if (op.kind === 'dropTable') {
    const late = ops.flatMap((o) => (o.kind === 'dropForeignKey' && o.table === op.table.name ? [o.foreignKey] : []));
    if (late.length) return { kind: 'dropTable', table: { ...op.table, foreignKeys: [...op.table.foreignKeys, ...late] } };
  }
  return op;
}

/** renameColumn ops on rebuilt tables whose column another table's foreign key references. */
function referencedRenames(ops: readonly Operation[], from: Schema, tableRenames: Map<string, string>, rebuilt: Set<string>): Set<Operation> {
  const referenced = new Set<string>();
  for (const t of from.tables) {
    for (const fk of t.foreignKeys) {
      if (fk.refTable === t.name) continue;
      const parent = tableRenames.get(fk.refTable) ?? fk.refTable;
      for (const c of fk.refColumns) referenced.add(`${parent}\u0000${c}`);
    }
  }
  return new Set(ops.filter((op) => op.kind === 'renameColumn' && rebuilt.has(op.table) && referenced.has(`${op.table}\u0000${op.from}`)));
}

function renamesInPlace(ops: readonly Operation[], tables: Map<string, string>): Renames {
  const columns = new Map<string, Map<string, string>>();
  for (const op of ops) {
    if (op.kind !== 'renameColumn') continue;
    columns.set(op.table, (columns.get(op.table) ?? new Map<string, string>()).set(op.from, op.to));
  }
  return { tables, columns };
}

function rebuildOps(
  ops: readonly Operation[],
  from: Schema,
  toByName: Map<string, Table>,
  rebuilt: Set<string>,
  renames: Renames,
  keptRenames: Set<Operation>,
): OperationOf<'rebuildTable'>[] {
  const oldName = new Map([...renames.tables].map(([o, n]) => [n, o]));
  const targets = [...rebuilt].map((name) => toByName.get(name)).filter((t): t is Table => t !== undefined);
  return creationOrder(targets).order.map((target) => {
    const original = from.tables.find((t) => t.name === (oldName.get(target.name) ?? target.name));
    if (!original) throw new Error(`kiln bug: no database table for rebuilt table '${target.name}'`);
    const renamed = ops.flatMap((op) =>
      op.kind === 'renameColumn' && op.table === target.name && !keptRenames.has(op) ? [[op.from, op.to] as const] : [],
    );
    const renamedValues = ops.flatMap((op) =>
      op.kind === 'alterColumn' && op.table === target.name ? (op.renamedValues ?? []).map(([o, n]) => [op.to.name, o, n] as const) : [],
    );
    return { kind: 'rebuildTable', from: renamedTable(original, renames), to: target, renamed, ...(renamedValues.length ? { renamedValues } : {}) };
  });
}
