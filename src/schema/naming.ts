/**
 * The one naming convention for constraints and indexes. It is Knex's own
 * (`<table>_<cols>_unique`, `_index`, `_foreign` lower-cased; `<table>_pkey`), so a database that
 * Knex built introspects with the names kiln would have chosen.
 */

function join(table: string, columns: readonly string[], suffix: string): string {
  return `${table}_${columns.join('_')}_${suffix}`.toLowerCase().replace(/[-.]/g, '_');
}

export function uniqueName(table: string, columns: readonly string[]): string {
  return join(table, columns, 'unique');
}

export function indexName(table: string, columns: readonly string[]): string {
  return join(table, columns, 'index');
}

export function foreignKeyName(table: string, columns: readonly string[]): string {
  return join(table, columns, 'foreign');
}

/**
 * Not lower-cased: PostgreSQL names the key of `serial primary key` (knex `increments`), and
 * knex names an explicit `t.primary()`, `<table>_pkey` with the table as spelled
 * (`Mixed Case_pkey`).
 */
export function primaryKeyName(table: string): string {
  return `${table}_pkey`;
}
