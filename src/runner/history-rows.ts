import type { Knex } from 'knex';
import { KilnError } from '../errors';
import { checksumTableName, type AppliedMigration } from './bookkeeping';
import { revisionId } from './files';
import type { RevisionGraph } from './revision-graph';

/**
 * Bookkeeping rows that name files `db squash` or `db rebase` replaced, understood.
 *
 * - A squash migration (` * Replaces: a, b, c`): a database that applied every replaced
 *   migration is at the squash's revision. Its rows become one: the row of the last applied
 *   replaced migration is renamed to the squash file (its id, so its place in the application
 *   order, is kept) and the others are deleted. A database that applied some of them but not
 *   the last sits inside the squashed range, which no longer exists: refused.
 * - A moved migration (` * Moved-from: old`): the row named `old` is renamed to the new file.
 *
 * Read-only commands see the understood rows in memory; `db upgrade` and `db stamp` write them,
 * inside their locked transaction (rewriteRows), so the Knex CLI finds every row's file again.
 */
export interface Understood {
  /** The applied list as it reads once understood (names of files that exist). */
  readonly applied: AppliedMigration[];
  readonly renames: readonly { readonly id: number; readonly from: string; readonly to: string }[];
  readonly deletes: readonly { readonly id: number; readonly name: string }[];
}

export function understandApplied(graph: RevisionGraph, applied: readonly AppliedMigration[]): Understood {
  const present = new Set(graph.nodes.map((n) => n.file.name));
  const rowsById = new Map(applied.filter((a) => !present.has(a.name)).map((a) => [revisionId(a.name), a] as const));
  const renames: { id: number; from: string; to: string }[] = [];
  const deletes: { id: number; name: string }[] = [];
  const appliedNames = new Set(applied.map((a) => a.name));
  for (const node of graph.nodes) {
    const { replaces, movedFrom } = node.header;
    const olds = [...movedFrom, ...replaces].map((id) => rowsById.get(id)).filter((a): a is AppliedMigration => a !== undefined);
    if (olds.length === 0) continue;
    const last = replaces[replaces.length - 1];
    if (replaces.length && !appliedNames.has(node.file.name) && !rowsById.has(last) && movedFrom.every((id) => !rowsById.has(id))) {
      throw new KilnError('HISTORY', `the database applied ${olds.length} of the migrations squashed into ${node.file.name} but not ${last}: it is at a revision the squash removed`, {
        hint: `upgrade it to ${last} with the history from before the squash (git), then run kiln again`,
      });
    }
    const [keep, ...drop] = [...olds].sort((a, b) => b.id - a.id);
    if (appliedNames.has(node.file.name)) drop.push(keep);
    else {
      renames.push({ id: keep.id, from: keep.name, to: node.file.name });
      appliedNames.add(node.file.name);
    }
    for (const d of drop) deletes.push({ id: d.id, name: d.name });
    for (const o of olds) rowsById.delete(revisionId(o.name));
  }
  const renamed = new Map(renames.map((r) => [r.id, r.to]));
  const deleted = new Set(deletes.map((d) => d.id));
  return {
    applied: applied.filter((a) => !deleted.has(a.id)).map((a) => (renamed.has(a.id) ? { ...a, name: renamed.get(a.id)! } : a)),
    renames,
    deletes,
  };
}

/** Writes the understood rows (inside the run's transaction); a renamed file's old checksum row goes (it is not checked). */
export async function rewriteRows(trx: Knex.Transaction, tableName: string, u: Understood): Promise<void> {
  const sums = checksumTableName(tableName);
  for (const r of u.renames) {
    await trx(tableName).where({ id: r.id }).update({ name: r.to });
    await trx(sums).whereIn('name', [r.from, r.to]).del();
  }
  for (const d of u.deletes) {
    await trx(tableName).where({ id: d.id }).del();
    await trx(sums).where({ name: d.name }).del();
  }
}
