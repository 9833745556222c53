import { checkSignature } from '../schema/expression';
import type { Table } from '../schema/types';
import { PHASE, tag, type Tagged } from './order';

/**
 * CHECK constraints, matched by expression: dropped before columns change (a check names
 * columns), added once they exist. Drops carry the database's names.
 */
export function compareChecks(original: Table, view: Table, to: Table, match: <T>(a: readonly T[], b: readonly T[], sig: (x: T) => string) => { removed: number[]; added: T[] }): Tagged[] {
  const out: Tagged[] = [];
  const found = match(view.checks ?? [], to.checks ?? [], checkSignature);
  const offset = original.indexes.length + original.uniques.length;
  for (const i of found.removed) {
    out.push(tag({ kind: 'dropCheck', table: original.name, check: (original.checks ?? [])[i] }, PHASE.dropIndex, original.name, offset + i));
  }
  const after = to.indexes.length + to.uniques.length;
  found.added.forEach((check, seq) => out.push(tag({ kind: 'addCheck', table: to.name, check }, PHASE.addIndex, to.name, after + seq)));
  return out;
}

/** The table's comment (absent and '' are none). */
export function compareTableComment(view: Table, to: Table): Tagged[] {
  if ((view.comment ?? '') === (to.comment ?? '')) return [];
  const op = { kind: 'alterTableComment', table: to.name, ...(view.comment ? { from: view.comment } : {}), ...(to.comment ? { to: to.comment } : {}) } as const;
  return [tag(op, PHASE.addIndex, to.name, 1_000_000)];
}
