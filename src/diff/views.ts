import type { Operation } from '../ops/types';
import type { Schema, View } from '../schema/types';
import { viewReads, viewSignature } from '../schema/view-sql';
import type { Renames } from './renames';
import { PHASE, tag, type Tagged } from './order';

/**
 * The ops on views (issue 12), given the table ops the diff found. A view only in the models
 * is created; one only in `from` is dropped (autogenerate passes only the database views the
 * models declare or used to declare: the others are never touched); a view whose definition
 * differs (../schema/view-sql viewKey) is replaced, and so is one that reads a table the
 * migration alters in a way some database refuses under a view or breaks it with (a column
 * altered, dropped or renamed, the primary key changed, the table renamed or dropped) or that
 * gains a column (a `select *` is expanded when the view is created), and
 * one that reads a replaced or dropped view. Creation follows the views' reads (a view after
 * those it reads); drops go the other way.
 */
export function compareViews(from: Schema, to: Schema, tableOps: readonly Tagged[], renames: Renames): Tagged[] {
  const before = new Map((from.views ?? []).map((v) => [v.name, v]));
  const after = new Map((to.views ?? []).map((v) => [v.name, keepingStatementIndexes(before.get(v.name), v)]));
  const touched = touchedTables(tableOps.map((t) => t.op), renames);
  const names = [...from.tables.map((t) => t.name), ...before.keys()];
  const reads = new Map([...before.values()].map((v) => [v.name, viewReads(v, names)]));
  const gone = new Set([...before.keys()].filter((n) => !after.has(n)));
  const replaced = new Set<string>();
  for (const [name, v] of before) {
    const target = after.get(name);
    if (!target) continue;
    if (viewSignature(v) !== viewSignature(target) || reads.get(name)!.some((r) => touched.has(r))) replaced.add(name);
  }
  // A view that reads a replaced or dropped view goes and comes back with it.
  for (let grew = true; grew; ) {
    grew = false;
    for (const name of before.keys()) {
      if (replaced.has(name) || gone.has(name) || !after.has(name)) continue;
      if (!reads.get(name)!.some((r) => replaced.has(r) || gone.has(r))) continue;
      replaced.add(name);
      grew = true;
    }
  }
  const out: Tagged[] = [];
  viewOrder([...before.values()].filter((v) => gone.has(v.name)))
    .reverse()
    .forEach((view, seq) => out.push(tag({ kind: 'dropView', view }, PHASE.dropView, '', seq)));
  viewOrder([...after.values()].filter((v) => !before.has(v.name) || replaced.has(v.name))).forEach((view, seq) => {
    const old = before.get(view.name);
    out.push(tag(old ? { kind: 'replaceView', from: old, to: view } : { kind: 'createView', view }, PHASE.createView, '', seq));
  });
  return out;
}

/**
 * A model's materialized view with the database's indexes that no model can say (ViewIndex.sql:
 * an expression, a predicate, a method other than btree, an operator class, a sort order...)
 * and that the model does not name: db pull leaves them out of the model (and says so), so they
 * are compared by their statement and kept, re-created as they are when the view is replaced.
 */
function keepingStatementIndexes(from: View | undefined, to: View): View {
  if (!from?.materialized || !to.materialized) return to;
  const named = new Set((to.indexes ?? []).map((i) => i.name));
  const kept = (from.indexes ?? []).filter((i) => i.sql !== undefined && !named.has(i.name));
  return kept.length ? { ...to, indexes: [...(to.indexes ?? []), ...kept] } : to;
}

/** Tables (by their names before and after the migration) that a view must not stand on while the migration runs. */
function touchedTables(ops: readonly Operation[], renames: Renames): Set<string> {
  const out = new Set<string>();
  const oldName = new Map([...renames.tables].map(([o, n]) => [n, o]));
  const add = (name: string) => out.add(name).add(oldName.get(name) ?? name);
  for (const op of ops) {
    switch (op.kind) {
      case 'addColumn': // a `select *` is expanded when the view is created (PostgreSQL, MySQL)
      case 'alterColumn':
      case 'dropColumn':
      case 'renameColumn':
      case 'alterPrimaryKey':
        add(op.table);
        break;
      case 'renameTable':
        add(op.from);
        add(op.to);
        break;
      case 'dropTable':
        add(op.table.name);
        break;
      default:
        break;
    }
  }
  return out;
}

/** Views in creation order: each after the views of the list it reads; ties by name. */
export function viewOrder(views: readonly View[]): View[] {
  const names = views.map((v) => v.name);
  const reads = new Map(views.map((v) => [v.name, viewReads(v, names)]));
  const pending = [...views].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const placed = new Set<string>();
  const out: View[] = [];
  while (pending.length) {
    let i = pending.findIndex((v) => reads.get(v.name)!.every((r) => placed.has(r)));
    if (i < 0) i = 0; // a cycle (only through an over-approximated read): name order
    const [next] = pending.splice(i, 1);
    out.push(next);
    placed.add(next.name);
  }
  return out;
}

/**
 * `up` as it must run around views: every view that goes (dropView, and the old side of a
 * replaceView) is dropped before any other op, dependents first; every view that comes
 * (createView, the new side of a replaceView) is created after all of them, in creation order.
 * Applied after the dialect's plan (SQLite's rebuilds must run with the views gone).
 */
/**
 * The new side of a replaced view with what the old one had that no model says (its options,
 * its comment: View.unmanaged and the statements that set them again), so that re-creating it
 * keeps them, or (nothing restates them: MySQL/MariaDB) is refused rather than losing them.
 */
export function keepingUnsaid(from: View, to: View): View {
  if (!from.unmanaged?.length || to.unmanaged?.length) return to;
  // An index of the same name keeps its comment; one the new view does not have goes with it.
  const comments = new Map((from.indexes ?? []).flatMap((i) => (i.comment === undefined ? [] : [[i.name, i.comment] as const])));
  const kept = (name: string) => !name.startsWith('comment on index ') || (to.indexes ?? []).some((i) => `comment on index ${i.name}` === name);
  const indexes = to.indexes?.map((i) => (i.comment === undefined && comments.has(i.name) ? { ...i, comment: comments.get(i.name)! } : i));
  const unmanaged = from.unmanaged.filter(kept);
  return { ...to, ...(indexes ? { indexes } : {}), ...(unmanaged.length ? { unmanaged } : {}), ...(from.restate ? { restate: from.restate } : {}) };
}

export function arrangeViews(ops: readonly Operation[]): Operation[] {
  const drops: View[] = [];
  const creates: View[] = [];
  const rest: Operation[] = [];
  for (const op of ops) {
    if (op.kind === 'dropView') drops.push(op.view);
    else if (op.kind === 'createView') creates.push(op.view);
    else if (op.kind === 'replaceView') {
      drops.push(op.from);
      creates.push(keepingUnsaid(op.from, op.to));
    } else rest.push(op);
  }
  if (!drops.length && !creates.length) return [...ops];
  return [
    ...viewOrder(drops).reverse().map((view): Operation => ({ kind: 'dropView', view })),
    ...rest,
    ...viewOrder(creates).map((view): Operation => ({ kind: 'createView', view })),
  ];
}
