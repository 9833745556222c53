import type { Knex } from 'knex';
import { needsValue } from '../ops/describe';
import type { Operation } from '../ops/types';
import { countChangedValues } from '../public/guard';
import { valueChanges } from '../render/guard';
import type { Schema } from '../schema/types';

/**
 * `db migrate`'s warnings about the rows there are now: how many stored values a guarded
 * change would alter (the migration will refuse to run while there are any), and how many
 * rows a new NOT NULL column without a default must be filled for. Only tables and columns
 * that exist in `database` are counted (one renamed in the same migration is not).
 */
export async function liveValueWarnings(
  knex: Knex,
  result: { readonly changes: readonly Operation[]; readonly up: readonly Operation[]; readonly database: Schema },
): Promise<string[]> {
  const { changes, up, database } = result;
  const has = (table: string, column?: string) => {
    const t = database.tables.find((x) => x.name === table);
    return !!t && (column === undefined || t.columns.some((c) => c.name === column));
  };
  const out: string[] = [];
  for (const op of up) {
    for (const g of valueChanges(op)) {
      if (!has(g.table, g.column)) continue;
      const n = await countChangedValues(knex, g);
      if (n > 0) {
        out.push(
          `'${g.table}.${g.column}': ${n} stored value(s) would change; the migration refuses to run until they are fixed, or until allowValueChanges is set to true in it`,
        );
      }
    }
  }
  for (const op of changes) {
    if (op.kind === 'addColumn' && needsValue(op.column) && has(op.table)) {
      const rows = (await knex(op.table).count({ n: '*' })) as { n: number | string }[];
      const n = Number(rows[0].n);
      if (n > 0) out.push(`'${op.table}.${op.column.name}' is NOT NULL with no default and '${op.table}' has ${n} row(s)`);
    }
  }
  return out;
}
