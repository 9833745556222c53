import type { Operation } from '../ops/types';
import type { Schema, Trigger } from '../schema/types';
import { triggerKey, triggerNames } from '../schema/trigger-sql';
import { PHASE, tag, type Tagged } from './order';

/**
 * The ops on triggers (issue 12 item 2), given the table ops the diff found. A trigger only in
 * the models is created; one only in `from` is dropped (autogenerate passes only the database
 * triggers the models declare or used to declare: the others are never touched); one whose key
 * differs (../schema/trigger-sql triggerKey) is replaced, and so is one whose condition or
 * `UPDATE OF` names a column the migration alters (PostgreSQL refuses to change the type of
 * a column a trigger's definition uses).
 */
export function compareTriggers(from: Schema, to: Schema, tableOps: readonly Tagged[]): Tagged[] {
  const before = new Map((from.triggers ?? []).map((t) => [t.name, t]));
  const after = new Map((to.triggers ?? []).map((t) => [t.name, t]));
  const altered = tableOps.flatMap(({ op }) => (op.kind === 'alterColumn' ? [[op.table, op.from.name] as const] : []));
  const out: Tagged[] = [];
  let seq = 0;
  for (const [name, t] of before) if (!after.has(name)) out.push(tag({ kind: 'dropTrigger', trigger: t }, PHASE.dropTrigger, t.table, seq++));
  for (const [name, t] of after) {
    const old = before.get(name);
    if (!old) out.push(tag({ kind: 'createTrigger', trigger: t }, PHASE.createTrigger, t.table, seq++));
    else if (triggerKey(old) !== triggerKey(t) || altered.some(([table, column]) => table === old.table && triggerNames(old, column))) {
      out.push(tag({ kind: 'replaceTrigger', from: old, to: t }, PHASE.createTrigger, t.table, seq++));
    }
  }
  return out;
}

/**
 * `up` as it must run around triggers: every trigger that goes (dropTrigger, the old side of a
 * replaceTrigger) is dropped before any other op, and every one that comes is created after
 * them all, so that it never stands on a column being renamed, altered or rebuilt (SQLite's
 * rebuild, which keeps the table's triggers, finds only those the migration leaves as they are:
 * none is created twice). Applied after the dialect's plan, before arrangeViews.
 */
export function arrangeTriggers(ops: readonly Operation[]): Operation[] {
  const drops: Trigger[] = [];
  const creates: Trigger[] = [];
  const rest: Operation[] = [];
  for (const op of ops) {
    if (op.kind === 'dropTrigger') drops.push(op.trigger);
    else if (op.kind === 'createTrigger') creates.push(op.trigger);
    else if (op.kind === 'replaceTrigger') {
      drops.push(op.from);
      creates.push(op.to);
    } else rest.push(op);
  }
  if (!drops.length && !creates.length) return [...ops];
  return [
    ...drops.map((trigger): Operation => ({ kind: 'dropTrigger', trigger })),
    ...rest,
    ...creates.map((trigger): Operation => ({ kind: 'createTrigger', trigger })),
  ];
}
