import type { Operation, OperationKind, OperationOf } from './types';

type Reversers = { readonly [K in OperationKind]: (op: OperationOf<K>) => Operation };

/** Exhaustive: a new op kind does not compile until it has a reverse. */
const REVERSERS: Reversers = {
  createTable: (op) => ({ kind: 'dropTable', table: op.table }),
  dropTable: (op) => ({ kind: 'createTable', table: op.table }),
  renameTable: (op) => ({ kind: 'renameTable', from: op.to, to: op.from }),
  addColumn: (op) => ({ kind: 'dropColumn', table: op.table, column: op.column }),
  dropColumn: (op) => ({ kind: 'addColumn', table: op.table, column: op.column }),
  alterColumn: (op) => ({ kind: 'alterColumn', table: op.table, from: op.to, to: op.from }),
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
  alterPrimaryKey: (op) => ({ kind: 'alterPrimaryKey', table: op.table, from: op.to, to: op.from }),
  createEnumType: (op) => ({ kind: 'dropEnumType', name: op.name, values: op.values }),
  dropEnumType: (op) => ({ kind: 'createEnumType', name: op.name, values: op.values }),
  // A removal cannot be done in place: the reverse of an 'add' is a swap.
  alterEnumType: (op) => ({ ...op, from: op.to, to: op.from, method: 'swap' }),
  createView: (op) => ({ kind: 'dropView', view: op.view }),
  dropView: (op) => ({ kind: 'createView', view: op.view }),
  replaceView: (op) => ({ kind: 'replaceView', from: op.to, to: op.from }),
  rebuildTable: (op) => ({
    kind: 'rebuildTable',
    from: op.to,
    to: op.from,
    renamed: op.renamed.map(([oldName, newName]) => [newName, oldName] as const),
  }),
};

export function reverseOp(op: Operation): Operation {
  return (REVERSERS[op.kind] as (o: Operation) => Operation)(op);
}

/** The `down` of a list of ops: reversed order, each op reversed. */
export function reverseOps(ops: readonly Operation[]): Operation[] {
  return [...ops].reverse().map(reverseOp);
}
