import type { Check, Index, Table } from '../../schema/types';

/**
 * MySQL/MariaDB CHECK constraints, comments and descending keys, from rows the fixed queries
 * already read. Normalised here: MariaDB prints `length(x)` back as `octet_length(x)` (the same
 * function there); the json_valid check MariaDB keeps for a JSON column is the column's type,
 * not a check. MySQL 8 prints charset introducers (`_utf8mb4'a'`), which the comparison key
 * drops (src/schema/expression.ts). An index on an expression (MySQL 8) has no column name in
 * STATISTICS and stays out of the schema, as before: kiln neither reports nor drops it.
 */

export interface CheckRow {
  table_name: string;
  name: string;
  clause: string;
}

/** The key order from STATISTICS.COLLATION ('D' = descending), absent when all ascending. */
export function orderOf(rows: readonly { collation: string | null }[]): Index['order'] | undefined {
  if (!rows.some((r) => r.collation === 'D')) return undefined;
  return rows.map((r) => (r.collation === 'D' ? 'desc' : 'asc'));
}

const JSON_VALID = /^json_valid\(`((?:[^`]|``)+)`\)$/i;

export function withTableExtras(table: Table, comment: string | null, rows: readonly CheckRow[], mariadb: boolean): Table {
  const checks: Check[] = rows
    .filter((r) => !JSON_VALID.test(r.clause.trim()))
    .map((r) => ({ name: r.name, expression: mariadb ? r.clause.replace(/\boctet_length\(/gi, 'length(') : r.clause }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { ...table, ...(checks.length ? { checks } : {}), ...(comment ? { comment } : {}) };
}
