import { KilnError } from '../../errors';
import type { Operation } from '../../ops/types';
import type { Schema } from '../../schema/types';
import { FOREIGN_KEY_OPTION } from './introspect-table-extras';

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
