import type { ForeignKey, Table } from '../schema/types';
import { compareColumns } from './compare-columns';
import { indexSignature } from '../schema/expression';
import { compareChecks, compareTableComment } from './compare-extras';
import { PHASE, STEP, tag, type Tagged } from './order';

const key = (cols: readonly string[]) => JSON.stringify(cols);
const fkSignature = (fk: ForeignKey) => JSON.stringify([fk.columns, fk.refTable, fk.refColumns]);

interface Matched<T> {
  /** Indexes into `from` with no counterpart. */
  readonly removed: number[];
  readonly added: T[];
  /** [index into from, counterpart in to] */
  readonly common: [number, T][];
}

/** Pairs items by signature (a multiset match), never by name. */
export function matchBySignature<T>(from: readonly T[], to: readonly T[], sig: (x: T) => string): Matched<T> {
  const unused = new Map<string, number[]>();
  from.forEach((x, i) => unused.set(sig(x), [...(unused.get(sig(x)) ?? []), i]));
  const added: T[] = [];
  const common: [number, T][] = [];
  for (const x of to) {
    const i = unused.get(sig(x))?.shift();
    if (i === undefined) added.push(x);
    else common.push([i, x]);
  }
  const removed = [...unused.values()].flat().sort((a, b) => a - b);
  return { removed, added, common };
}

/**
 * Everything that differs inside one table. `original` is the database's table, `view` the
 * same after renames (index-aligned with it), `to` the models'; `renamedValues`: per column,
 * its enum values renamed (old -> new). Drops that run before the
 * renames carry the database's names and objects; everything else the new names.
 */
export function compareTable(
  original: Table,
  view: Table,
  to: Table,
  renamedValues?: ReadonlyMap<string, ReadonlyMap<string, string>>,
): Tagged[] {
  return [
    ...compareColumns(view, to, renamedValues),
    ...comparePrimaryKey(view, to),
    ...compareIndexes(original, view, to),
    ...compareForeignKeys(original, view, to),
    ...compareChecks(original, view, to, matchBySignature),
    ...compareTableComment(view, to),
  ];
}

function comparePrimaryKey(view: Table, to: Table): Tagged[] {
  if (key(view.primaryKey?.columns ?? []) === key(to.primaryKey?.columns ?? [])) return [];
  const op = { kind: 'alterPrimaryKey', table: to.name, from: view.primaryKey, to: to.primaryKey } as const;
  return [tag(op, PHASE.tableBody, to.name, 0, STEP.alterPrimaryKey)];
}

function compareIndexes(original: Table, view: Table, to: Table): Tagged[] {
  const out: Tagged[] = [];
  const indexes = matchBySignature(view.indexes, to.indexes, indexSignature);
  for (const i of indexes.removed) {
    out.push(tag({ kind: 'dropIndex', table: original.name, index: original.indexes[i] }, PHASE.dropIndex, original.name, i));
  }
  indexes.added.forEach((index, seq) => out.push(tag({ kind: 'addIndex', table: to.name, index }, PHASE.addIndex, to.name, seq)));
  const uniques = matchBySignature(view.uniques, to.uniques, (u) => key(u.columns));
  const offset = original.indexes.length;
  for (const i of uniques.removed) {
    const op = { kind: 'dropUnique', table: original.name, unique: original.uniques[i] } as const;
    out.push(tag(op, PHASE.dropIndex, original.name, offset + i));
  }
  uniques.added.forEach((unique, seq) => {
    out.push(tag({ kind: 'addUnique', table: to.name, unique }, PHASE.addIndex, to.name, to.indexes.length + seq));
  });
  return out;
}

function compareForeignKeys(original: Table, view: Table, to: Table): Tagged[] {
  const out: Tagged[] = [];
  const fks = matchBySignature(view.foreignKeys, to.foreignKeys, fkSignature);
  const changed = fks.common.filter(([i, fk]) => {
    const old = view.foreignKeys[i];
    return old.onDelete !== fk.onDelete || old.onUpdate !== fk.onUpdate;
  });
  const dropped = [...fks.removed, ...changed.map(([i]) => i)].sort((a, b) => a - b);
  for (const i of dropped) {
    const op = { kind: 'dropForeignKey', table: original.name, foreignKey: original.foreignKeys[i] } as const;
    out.push(tag(op, PHASE.dropForeignKey, original.name, i));
  }
  const addedSet = new Set<ForeignKey>([...fks.added, ...changed.map(([, fk]) => fk)]);
  to.foreignKeys.forEach((foreignKey, seq) => {
    if (addedSet.has(foreignKey)) out.push(tag({ kind: 'addForeignKey', table: to.name, foreignKey }, PHASE.addForeignKey, to.name, seq));
  });
  return out;
}
