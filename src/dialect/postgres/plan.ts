import { KilnError } from '../../errors';
import type { Operation, OperationOf } from '../../ops/types';
import type { Schema } from '../../schema/types';
import { FOREIGN_KEY_OPTION, OBJECT_COMMENT } from './introspect-table-extras';

/**
 * A generated migration that drops a DEFERRABLE foreign key (to change it, or for good: its
 * down() re-adds it) would re-create it without the clause, which the models cannot say:
 * refused, naming it. Dropping its whole table is fine (the down() re-sets the clause).
 */
export function refuseDeferrableForeignKeys(ops: readonly Operation[], database: Schema): void {
  for (const op of ops) {
    if (op.kind !== 'dropForeignKey') continue;
    const table = database.tables.find((t) => t.name === op.table);
    const option = (table?.unmanaged ?? []).find((u) => u.kind === FOREIGN_KEY_OPTION && u.name.startsWith(`${op.foreignKey.name} DEFERRABLE `));
    if (!option) continue;
    throw new KilnError('MODEL', `foreign key '${op.foreignKey.name}' on '${op.table}' is ${option.name.slice(op.foreignKey.name.length + 1)}, which kiln's models cannot say: the generated migration would re-create it without that`, {
      hint: 'write this change by hand, or leave the foreign key as it is in the models',
    });
  }
}

/** The entries of table `from` keyed by table `to` (keys are `<table>\0on <kind> <name>`). */
function renameKeys(map: Map<string, string>, from: string, to: string): void {
  for (const [key, text] of [...map]) {
    if (!key.startsWith(`${from}\0`)) continue;
    map.delete(key);
    map.set(`${to}${key.slice(from.length)}`, text);
  }
}

type Target = readonly [on: OperationOf<'commentOn'>['on'], name: string];

const index = (name: string): Target[] => [['index', name]];
const constraint = (name: string): Target[] => [['constraint', name]];
/** A unique or a primary key: a constraint and the index behind it, of one name. */
const key = (name: string): Target[] => [...constraint(name), ...index(name)];

/** The indexes and constraints an op drops and those it creates. */
function touched(op: Operation): { drops: Target[]; adds: Target[] } {
  const none: Target[] = [];
  const side = (drop: boolean, targets: Target[]) => (drop ? { drops: targets, adds: none } : { drops: none, adds: targets });
  switch (op.kind) {
    case 'dropIndex':
    case 'addIndex':
      return side(op.kind === 'dropIndex', index(op.index.name));
    case 'dropUnique':
    case 'addUnique':
      return side(op.kind === 'dropUnique', key(op.unique.name));
    case 'dropForeignKey':
    case 'addForeignKey':
      return side(op.kind === 'dropForeignKey', constraint(op.foreignKey.name));
    case 'dropCheck':
    case 'addCheck':
      return side(op.kind === 'dropCheck', constraint(op.check.name));
    case 'alterPrimaryKey':
      return { drops: op.from ? key(op.from.name) : none, adds: op.to ? key(op.to.name) : none };
    default:
      return { drops: none, adds: none };
  }
}

/**
 * Comments on indexes and constraints (which the models cannot say) survive a migration that
 * drops one and creates it again under the same name on the same table (its columns or its
 * expression changed): the comment is cleared before the drop and set on the new one after the
 * add, so that down() gives it back to the old one too. A dropped one not created again loses
 * its comment with it, and down() sets it again. Pure.
 */
export function carryObjectComments(ops: readonly Operation[], database: Schema): Operation[] {
  const comments = new Map<string, string>();
  for (const t of database.tables) {
    for (const u of t.unmanaged ?? []) if (u.kind === OBJECT_COMMENT && u.text !== undefined) comments.set(`${t.name}\0${u.name}`, u.text);
  }
  if (comments.size === 0) return [...ops];
  const out: Operation[] = [];
  const cleared = new Map<string, string>();
  for (const op of ops) {
    // A renamed table's comments (and those cleared before the rename) go by its new name.
    if (op.kind === 'renameTable') for (const map of [comments, cleared]) renameKeys(map, op.from, op.to);
    const table = 'table' in op && typeof op.table === 'string' ? op.table : undefined;
    if (table === undefined) {
      out.push(op);
      continue;
    }
    const { drops, adds } = touched(op);
    for (const [on, name] of drops) {
      const key = `${table}\0on ${on} ${name}`;
      const text = comments.get(key);
      if (text === undefined || cleared.has(key)) continue;
      cleared.set(key, text);
      out.push({ kind: 'commentOn', table, on, name, from: text });
    }
    out.push(op);
    for (const [on, name] of adds) {
      // A table has one primary key: its comments go to the new one whatever its name.
      const before = op.kind === 'alterPrimaryKey' && op.from ? op.from.name : name;
      const text = cleared.get(`${table}\0on ${on} ${name}`) ?? cleared.get(`${table}\0on ${on} ${before}`);
      if (text !== undefined) out.push({ kind: 'commentOn', table, on, name, to: text });
    }
  }
  return out;
}
