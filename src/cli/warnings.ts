import type { Operation, ValueRename } from '../ops/types';
import { shellWord } from './suggest';

/** A column dropped and another added in one table may be a rename kiln was not told about. */
export function dropAddWarnings(changes: readonly Operation[]): string[] {
  const out: string[] = [];
  for (const drop of changes) {
    if (drop.kind !== 'dropColumn') continue;
    const add = changes.find((o) => o.kind === 'addColumn' && o.table === drop.table);
    if (!add || add.kind !== 'addColumn') continue;
    out.push(
      `column '${drop.table}.${drop.column.name}' is dropped and '${drop.table}.${add.column.name}' added: the data of '${drop.column.name}' would be lost. If it is a rename, run again with --rename ${shellWord(`${drop.table}.${drop.column.name}=${add.column.name}`)}`,
    );
  }
  out.push(...enumValueWarnings(changes));
  const droppedTables = changes.filter((o) => o.kind === 'dropTable');
  const addedTables = changes.filter((o) => o.kind === 'createTable');
  for (const d of droppedTables) {
    for (const a of addedTables) {
      if (d.kind === 'dropTable' && a.kind === 'createTable') {
        out.push(`table '${d.table.name}' is dropped and '${a.table.name}' created: if it is a rename, run again with --rename ${shellWord(`${d.table.name}=${a.table.name}`)}`);
      }
    }
  }
  return out;
}

/** An enum that loses a value and gains another may have had a value renamed kiln was not told about. */
function enumValueWarnings(changes: readonly Operation[]): string[] {
  const out: string[] = [];
  for (const op of changes) {
    const found =
      op.kind === 'alterEnumType'
        ? { what: `enum type '${op.name}'`, subject: op.name, from: op.from, to: op.to, renamed: op.renamedValues }
        : op.kind === 'alterColumn' && op.from.enum && op.to.enum
          ? { what: `enum column '${op.table}.${op.to.name}'`, subject: `${op.table}.${op.to.name}`, from: op.from.enum.values, to: op.to.enum.values, renamed: op.renamedValues }
          : undefined;
    if (!found) continue;
    const pairs: readonly ValueRename[] = found.renamed ?? [];
    const removed = found.from.filter((v) => !found.to.includes(v) && !pairs.some(([o]) => o === v));
    const added = found.to.filter((v) => !found.from.includes(v) && !pairs.some(([, n]) => n === v));
    if (!removed.length || !added.length) continue;
    out.push(
      `${found.what} loses value '${removed[0]}' and gains '${added[0]}': rows holding '${removed[0]}' would make the migration refuse to run. If it is a rename, run again with --rename ${shellWord(`${found.subject}:${removed[0]}=${added[0]}`)}`,
    );
  }
  return out;
}
