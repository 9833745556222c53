import type { Operation } from '../ops/types';
import type { ForeignKey, Table } from '../schema/types';

/**
 * The order of `up`, chosen so that `up` runs and so does its reverse (`down`):
 * drop foreign keys that go away or change; drop indexes/uniques that go away; rename tables,
 * then columns; create tables (parents first); per table: add columns, tighten columns, change
 * the primary key, loosen columns (to nullable), drop columns; add indexes/uniques; add
 * foreign keys; drop tables (children first). Views are dropped first and created last
 * (./views).
 */
export const PHASE = {
  dropView: -1,
  dropTrigger: -0.5,
  dropForeignKey: 0,
  dropIndex: 1,
  createSchema: 1.5,
  renameTable: 2,
  renameColumn: 3,
  /** Sequences (./sequences): created and altered before the tables (a default may call nextval on one). */
  createSequence: 3.5,
  createTable: 4,
  tableBody: 5,
  addIndex: 6,
  addForeignKey: 7,
  dropTable: 8,
  /** After the tables, whose defaults may use them. */
  dropSequence: 8.25,
  createTrigger: 8.5,
  createView: 9,
} as const;

/** Steps inside PHASE.tableBody, per table. */
export const STEP = { addColumn: 0, tighten: 1, alterPrimaryKey: 2, loosen: 3, dropColumn: 4 } as const;

export interface Tagged {
  readonly op: Operation;
  readonly phase: number;
  /** Sort key inside the phase: the table's name ('' where `seq` alone orders). */
  readonly table: string;
  readonly step: number;
  /** Column / declaration order, or the topological position. */
  readonly seq: number;
}

export function tag(op: Operation, phase: number, table: string, seq: number, step = 0): Tagged {
  return { op, phase, table, step, seq };
}

const cmp = (a: string | number, b: string | number) => (a < b ? -1 : a > b ? 1 : 0);

/** Deterministic: by phase, table name, step, then sequence. */
export function sortTagged(tagged: readonly Tagged[]): Operation[] {
  return [...tagged]
    .sort((a, b) => cmp(a.phase, b.phase) || cmp(a.table, b.table) || cmp(a.step, b.step) || cmp(a.seq, b.seq))
    .map((t) => t.op);
}

export interface CreationOrder {
  /** Parents before children. */
  readonly order: readonly Table[];
  /** Foreign keys left out of their table to break a cycle, by table name. */
  readonly deferred: ReadonlyMap<string, readonly ForeignKey[]>;
}

/**
 * Topological order of `tables` by their foreign keys among themselves (self-references and
 * references to tables outside the set do not count), ties by name. A cycle is broken at the
 * smallest-named table left: its foreign keys to tables not yet placed are deferred.
 */
export function creationOrder(tables: readonly Table[]): CreationOrder {
  const byName = new Map(tables.map((t) => [t.name, t]));
  const placed = new Set<string>();
  const order: Table[] = [];
  const deferred = new Map<string, ForeignKey[]>();
  const pending = [...tables].sort((a, b) => cmp(a.name, b.name));
  const waitsFor = (t: Table) =>
    t.foreignKeys.filter((fk) => fk.refTable !== t.name && byName.has(fk.refTable) && !placed.has(fk.refTable));
  while (pending.length) {
    let i = pending.findIndex((t) => waitsFor(t).length === 0);
    if (i < 0) {
      i = 0;
      deferred.set(pending[0].name, waitsFor(pending[0]));
    }
    const [next] = pending.splice(i, 1);
    order.push(next);
    placed.add(next.name);
  }
  return { order, deferred };
}

/** The table without the given foreign keys (by identity). */
export function withoutForeignKeys(table: Table, fks: readonly ForeignKey[] | undefined): Table {
  if (!fks?.length) return table;
  return { ...table, foreignKeys: table.foreignKeys.filter((fk) => !fks.includes(fk)) };
}
