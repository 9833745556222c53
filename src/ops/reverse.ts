import type { Operation, OperationKind, OperationOf, ValueRename } from './types';

/** Value renames the other way round (absent stays absent). */
const backValues = (pairs: readonly ValueRename[] | undefined) =>
  pairs?.length ? { renamedValues: pairs.map(([o, n]) => [n, o] as const) } : {};

/** The reverse of a change of a named enum type's values: the renames back, then a swap (or nothing more). */
function reverseEnumType(op: OperationOf<'alterEnumType'>): OperationOf<'alterEnumType'> {
  const back = new Map((op.renamedValues ?? []).map(([o, n]) => [n, o]));
  const renamedTo = op.to.map((v) => back.get(v) ?? v);
  // Only renames: renaming back is the whole reverse. A removal cannot be done in place: a swap.
  const method = JSON.stringify(renamedTo) === JSON.stringify(op.from) ? 'add' : 'swap';
  const { renamedValues: _, ...rest } = op;
  return { ...rest, from: op.to, to: op.from, method, ...backValues(op.renamedValues) };
}

type Reversers = { readonly [K in OperationKind]: (op: OperationOf<K>) => Operation };

/** Exhaustive: a new op kind does not compile until it has a reverse. */
const REVERSERS: Reversers = {
  createTable: (op) => ({ kind: 'dropTable', table: op.table }),
  dropTable: (op) => ({ kind: 'createTable', table: op.table }),
  renameTable: (op) => ({ kind: 'renameTable', from: op.to, to: op.from }),
  addColumn: (op) => ({ kind: 'dropColumn', table: op.table, column: op.column }),
  dropColumn: (op) => ({ kind: 'addColumn', table: op.table, column: op.column }),
  alterColumn: (op) => ({ kind: 'alterColumn', table: op.table, from: op.to, to: op.from, ...backValues(op.renamedValues) }),
  renameColumn: (op) => ({ kind: 'renameColumn', table: op.table, from: op.to, to: op.from }),
  addIndex: (op) => ({ kind: 'dropIndex', table: op.table, index: op.index }),
  dropIndex: (op) => ({ kind: 'addIndex', table: op.table, index: op.index }),
  addUnique: (op) => ({ kind: 'dropUnique', table: op.table, unique: op.unique }),
  dropUnique: (op) => ({ kind: 'addUnique', table: op.table, unique: op.unique }),
  addForeignKey: (op) => ({ kind: 'dropForeignKey', table: op.table, foreignKey: op.foreignKey }),
  dropForeignKey: (op) => ({ kind: 'addForeignKey', table: op.table, foreignKey: op.foreignKey }),
  addCheck: (op) => ({ kind: 'dropCheck', table: op.table, check: op.check }),
  dropCheck: (op) => ({ kind: 'addCheck', table: op.table, check: op.check }),
  alterTableComment: (op) => ({ kind: 'alterTableComment', table: op.table, ...(op.to === undefined ? {} : { from: op.to }), ...(op.from === undefined ? {} : { to: op.from }) }),
  commentOn: (op) => ({ kind: 'commentOn', table: op.table, on: op.on, name: op.name, ...(op.to === undefined ? {} : { from: op.to }), ...(op.from === undefined ? {} : { to: op.from }) }),
  alterPrimaryKey: (op) => ({ kind: 'alterPrimaryKey', table: op.table, from: op.to, to: op.from }),
  createEnumType: (op) => ({ kind: 'dropEnumType', name: op.name, values: op.values }),
  createDomain: (op) => ({ kind: 'dropDomain', name: op.name, sql: op.sql }),
  dropDomain: (op) => ({ kind: 'createDomain', name: op.name, sql: op.sql }),
  createExtension: (op) => ({ ...op, kind: 'dropExtension' }),
  dropExtension: (op) => ({ ...op, kind: 'createExtension' }),
  dropEnumType: (op) => ({ kind: 'createEnumType', name: op.name, values: op.values }),
  alterEnumType: reverseEnumType,
  createSequence: (op) => ({ kind: 'dropSequence', sequence: op.sequence }),
  dropSequence: (op) => ({ kind: 'createSequence', sequence: op.sequence }),
  alterSequence: (op) => ({ kind: 'alterSequence', from: op.to, to: op.from }),
  createSchema: (op) => ({ kind: 'dropSchema', name: op.name }),
  dropSchema: (op) => ({ kind: 'createSchema', name: op.name }),
  createView: (op) => ({ kind: 'dropView', view: op.view }),
  dropView: (op) => ({ kind: 'createView', view: op.view }),
  replaceView: (op) => ({ kind: 'replaceView', from: op.to, to: op.from }),
  createTrigger: (op) => ({ kind: 'dropTrigger', trigger: op.trigger }),
  dropTrigger: (op) => ({ kind: 'createTrigger', trigger: op.trigger }),
  replaceTrigger: (op) => ({ kind: 'replaceTrigger', from: op.to, to: op.from }),
  rebuildTable: (op) => ({
    kind: 'rebuildTable',
    from: op.to,
    to: op.from,
    renamed: op.renamed.map(([oldName, newName]) => [newName, oldName] as const),
    ...(op.renamedValues?.length ? { renamedValues: op.renamedValues.map(([c, o, n]) => [renamedBack(op, c), n, o] as const) } : {}),
  }),
};

/** A rebuild's column (new name) under its old name, the name it has in the reversed rebuild's `to`. */
function renamedBack(op: OperationOf<'rebuildTable'>, column: string): string {
  return op.renamed.find(([, newName]) => newName === column)?.[0] ?? column;
}

export function reverseOp(op: Operation): Operation {
  return (REVERSERS[op.kind] as (o: Operation) => Operation)(op);
}

/** The `down` of a list of ops: reversed order, each op reversed. */
export function reverseOps(ops: readonly Operation[]): Operation[] {
  return [...ops].reverse().map(reverseOp);
}
