import { KilnError } from '../../errors';
import type { Operation } from '../../ops/types';
import type { Column, ForeignKey, Schema, Table } from '../../schema/types';
import { autoIncrementOffBeforeKey } from './plan-key';
import { refuseColumnOptions } from './introspect-column-options';
import { renamedTable } from '../../diff/rename-view';
import type { Renames } from '../../diff/renames';

const sig = (fk: ForeignKey) => JSON.stringify([fk.columns, fk.refTable, fk.refColumns, fk.onDelete, fk.onUpdate]);
const isPrefix = (prefix: readonly string[], of: readonly string[]) => prefix.length <= of.length && prefix.every((c, i) => of[i] === c);
const typeChanged = (a: Column, b: Column) => a.type !== b.type || a.length !== b.length || a.unsigned !== b.unsigned;

interface KeptForeignKey {
  /** The database's table name and object (valid before the renames run). */
  readonly table: string;
  readonly before: ForeignKey;
  /** The models' table name and object (valid after them). */
  readonly modelTable: string;
  readonly after: ForeignKey;
}

/**
 * The diff's ops as MySQL/MariaDB can run them (the `changes` stay the diff's). InnoDB refuses, while a foreign key stands,
 * to drop the index that serves it ("needed in a foreign key constraint": and it silently
 * drops its own implicit index as soon as another usable one is created, so the `down` of an
 * added index on a foreign key column always hits this) and to change the type of a column
 * the key uses or references. Such a foreign key, left alone by the diff, is dropped first
 * and added back last, as the diff does for a changed key; `down` (the reverse) does the same.
 * Then every dropped or added key takes care of InnoDB's implicit index (below).
 * Expects `compare`'s order.
 */
export function planForMysql(ops: readonly Operation[], from: Schema, to: Schema): Operation[] {
  refuseColumnOptions(ops, from);
  refuseDroppingUsedSequences(ops, to);
  return withImplicitIndexes(bracketForeignKeys(autoIncrementOffBeforeKey(ops), from, to), from, to);
}

function bracketForeignKeys(ops: readonly Operation[], from: Schema, to: Schema): Operation[] {
  const kept = keptForeignKeys(ops, from, to);
  const bracketed = kept.filter((k) => ops.some((op) => needsNoForeignKey(op, k)));
  if (!bracketed.length) return [...ops];
  const drops: Operation[] = bracketed.map((k) => ({ kind: 'dropForeignKey', table: k.table, foreignKey: k.before }));
  const adds: Operation[] = bracketed.map((k) => ({ kind: 'addForeignKey', table: k.modelTable, foreignKey: k.after }));
  const out = [...ops];
  const firstNonDrop = out.findIndex((op) => op.kind !== 'dropForeignKey');
  out.splice(firstNonDrop < 0 ? out.length : firstNonDrop, 0, ...drops);
  const dropTables = out.findIndex((op) => op.kind === 'dropTable');
  out.splice(dropTables < 0 ? out.length : dropTables, 0, ...adds);
  return out;
}

/**
 * InnoDB gives a foreign key with no index to use an index of its own, named after the
 * constraint (introspection does not report it), and keeps it when the key is dropped. So a
 * dropped key is followed by dropping that index when the table had no other index for it,
 * and an added key without one is preceded by creating it under the same name: the database
 * ends as the models say, and `down` (the reverse) removes what `up` made.
 */
function withImplicitIndexes(ops: readonly Operation[], from: Schema, to: Schema): Operation[] {
  const fromByName = new Map(from.tables.map((t) => [t.name, t]));
  const toByName = new Map(to.tables.map((t) => [t.name, t]));
  return ops.flatMap((op): Operation[] => {
    if (op.kind === 'dropForeignKey' && !hasIndexFor(fromByName.get(op.table), op.foreignKey)) {
      return [op, { kind: 'dropIndex', table: op.table, index: { name: op.foreignKey.name, columns: op.foreignKey.columns } }];
    }
    if (op.kind === 'addForeignKey' && !hasIndexFor(toByName.get(op.table), op.foreignKey)) {
      return [{ kind: 'addIndex', table: op.table, index: { name: op.foreignKey.name, columns: op.foreignKey.columns } }, op];
    }
    return [op];
  });
}

/** Whether an index, unique rule or the primary key of `table` starts with the key's columns. */
function hasIndexFor(table: Table | undefined, fk: ForeignKey): boolean {
  if (!table) return true;
  const keys = [...table.indexes, ...table.uniques, ...(table.primaryKey ? [table.primaryKey] : [])];
  return keys.some((k) => isPrefix(fk.columns, k.columns));
}

/** Foreign keys on both sides that no op drops or adds, with their names on each side. */
function keptForeignKeys(ops: readonly Operation[], from: Schema, to: Schema): KeptForeignKey[] {
  const renames = renamesOf(ops);
  const toByName = new Map(to.tables.map((t) => [t.name, t]));
  const out: KeptForeignKey[] = [];
  for (const original of from.tables) {
    const view = renamedTable(original, renames);
    const target = toByName.get(view.name);
    if (!target) continue;
    const unused = [...target.foreignKeys];
    view.foreignKeys.forEach((fk, i) => {
      const j = unused.findIndex((x) => sig(x) === sig(fk));
      if (j < 0) return;
      const [after] = unused.splice(j, 1);
      const before = original.foreignKeys[i];
      const touched = ops.some(
        (op) =>
          (op.kind === 'dropForeignKey' && op.table === original.name && op.foreignKey.name === before.name) ||
          (op.kind === 'addForeignKey' && op.table === target.name && op.foreignKey.name === after.name),
      );
      if (!touched) out.push({ table: original.name, before, modelTable: target.name, after });
    });
  }
  return out;
}

function renamesOf(ops: readonly Operation[]): Renames {
  const tables = new Map<string, string>();
  const columns = new Map<string, Map<string, string>>();
  for (const op of ops) {
    if (op.kind === 'renameTable') tables.set(op.from, op.to);
    if (op.kind === 'renameColumn') columns.set(op.table, (columns.get(op.table) ?? new Map<string, string>()).set(op.from, op.to));
  }
  return { tables, columns };
}

/** Whether InnoDB would refuse `op` while the foreign key `k` stands. */
function needsNoForeignKey(op: Operation, k: KeptForeignKey): boolean {
  switch (op.kind) {
    case 'dropIndex':
      return op.table === k.table && isPrefix(k.before.columns, op.index.columns);
    case 'dropUnique':
      return op.table === k.table && isPrefix(k.before.columns, op.unique.columns);
    case 'addIndex':
      return op.table === k.modelTable && isPrefix(k.after.columns, op.index.columns);
    case 'addUnique':
      return op.table === k.modelTable && isPrefix(k.after.columns, op.unique.columns);
    case 'alterColumn':
      if (!typeChanged(op.from, op.to)) return false;
      return (
        (op.table === k.modelTable && k.after.columns.includes(op.to.name)) ||
        (op.table === k.after.refTable && k.after.refColumns.includes(op.to.name))
      );
    default:
      return false;
  }
}

/**
 * MariaDB drops a sequence that a column default still calls (PostgreSQL refuses, through the
 * default's dependency): the upgrade succeeded and every insert relying on the default failed.
 * A migration dropping a sequence that a column of the models still calls in its default is refused,
 * naming the columns.
 */
function refuseDroppingUsedSequences(ops: readonly Operation[], models: Schema): void {
  for (const op of ops) {
    if (op.kind !== 'dropSequence') continue;
    const calls = callsSequence(op.sequence.name);
    const users = models.tables.flatMap((t) => t.columns.filter((c) => c.default?.kind === 'expression' && calls.test(c.default.sql)).map((c) => `'${t.name}.${c.name}'`));
    if (!users.length) continue;
    throw new KilnError('MODEL', `sequence '${op.sequence.name}' is dropped by this migration, but the default of ${users.join(', ')} still calls it: MariaDB would drop it and every insert relying on that default would fail`, {
      hint: 'change those defaults in the models too, or keep the sequence',
    });
  }
}

/** `nextval(s)`, ``NEXTVAL(`db`.`s`)``, `NEXT VALUE FOR s`, lastval/setval/PREVIOUS VALUE FOR: the sequence `name`, bare or quoted, qualified or not. */
function callsSequence(name: string): RegExp {
  const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const ref = `(?:(?:\`(?:[^\`]|\`\`)+\`|\\w+)\\.)?(?:\`${escape(name.replace(/`/g, '``'))}\`|${escape(name)}(?![\\w$]))`;
  return new RegExp(`(?:(?:nextval|lastval|setval)\\s*\\(\\s*${ref}|(?:NEXT|PREVIOUS)\\s+VALUE\\s+FOR\\s+${ref})`, 'i');
}
