import type { ForeignKey, Table } from '../schema/types';
import type { Renames } from './renames';

/**
 * A database table as it will be once the renames have run: its name, its own columns
 * (unless `ownColumns` is false) and every reference to a renamed table or column. Arrays
 * stay index-aligned with the original, so a match found on the view maps back to the
 * database's own object.
 */
export function renamedTable(table: Table, renames: Renames, ownColumns = true): Table {
  const name = renames.tables.get(table.name) ?? table.name;
  const own = ownColumns ? renames.columns.get(name) : undefined;
  const col = (c: string) => own?.get(c) ?? c;
  const cols = (cs: readonly string[]) => cs.map(col);
  return {
    // Checks, comment and unmanaged objects as they are (a check's text is compared as written).
    ...table,
    name,
    columns: table.columns.map((c) => (own?.has(c.name) ? { ...c, name: col(c.name) } : c)),
    primaryKey: table.primaryKey && { ...table.primaryKey, columns: cols(table.primaryKey.columns) },
    indexes: table.indexes.map((i) => ({ ...i, columns: cols(i.columns), ...(i.include ? { include: cols(i.include) } : {}) })),
    uniques: table.uniques.map((u) => ({ ...u, columns: cols(u.columns) })),
    foreignKeys: table.foreignKeys.map((fk) => renamedForeignKey(fk, col, renames, ownColumns ? null : name)),
  };
}

function renamedForeignKey(fk: ForeignKey, col: (c: string) => string, renames: Renames, keepColumnsOf: string | null): ForeignKey {
  const refTable = renames.tables.get(fk.refTable) ?? fk.refTable;
  const refCols = refTable === keepColumnsOf ? undefined : renames.columns.get(refTable);
  return {
    ...fk,
    columns: fk.columns.map(col),
    refTable,
    refColumns: fk.refColumns.map((c) => refCols?.get(c) ?? c),
  };
}
