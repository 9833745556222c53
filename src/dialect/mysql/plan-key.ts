import type { Operation, OperationOf } from '../../ops/types';

/**
 * MySQL/MariaDB refuse to drop a primary key while its column is AUTO_INCREMENT ("there can be
 * only one auto column and it must be defined as a key"), and refuse a nullable column in a
 * primary key. So when an auto-increment key column stops being the key and becomes nullable
 * (one alterColumn, ordered after the key change because of the nullability), it is split: the
 * column first loses AUTO_INCREMENT and stays NOT NULL, before the key changes; it becomes
 * nullable after. `down` (the reverse) runs the same steps backwards.
 */
export function autoIncrementOffBeforeKey(ops: readonly Operation[]): Operation[] {
  const out = [...ops];
  for (let i = 0; i < out.length; i++) {
    const op = out[i];
    if (op.kind !== 'alterColumn' || !splits(op)) continue;
    const key = out.findIndex((o) => o.kind === 'alterPrimaryKey' && o.table === op.table);
    if (key < 0 || key > i) continue;
    const mid = { ...op.to, nullable: false };
    out[i] = { kind: 'alterColumn', table: op.table, from: mid, to: op.to };
    out.splice(key, 0, { kind: 'alterColumn', table: op.table, from: op.from, to: mid });
    i++;
  }
  return out;
}

function splits(op: OperationOf<'alterColumn'>): boolean {
  return op.from.autoIncrement && !op.to.autoIncrement && !op.from.nullable && op.to.nullable;
}
