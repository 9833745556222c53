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
  // A table in another PostgreSQL schema (`billing.invoice`): the key lives in the table's schema
  // and is named as PostgreSQL names it (`invoice_pkey`); Knex would read a dot as a qualifier.
  return `${table.slice(table.indexOf('.') + 1)}_pkey`;
}

/**
 * A CHECK constraint's name: `<table>_<column>_check` for a column's `.check()` (PostgreSQL's
 * own name for an unnamed column check), `<table>_<n>_check` for the n-th unnamed entry of a
 * table's `checks` (n from 1). Checks are matched by expression, so the name only names it.
 */
export function checkName(table: string, columnOrPosition: string | number): string {
  return join(table, [String(columnOrPosition)], 'check');
}

/** An expression index's name: `<table>_<the expression's words>_index` (`user_lower_email_index`). */
export function expressionIndexName(table: string, expression: string): string {
  const words = expression.toLowerCase().replace(/[^a-z0-9_]+/g, '_').replace(/^_+|_+$/g, '');
  return join(table, [words || 'expression'], 'index');
}
