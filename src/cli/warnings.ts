import type { Operation } from '../ops/types';
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
