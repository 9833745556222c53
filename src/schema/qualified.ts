/**
 * PostgreSQL schemas (issue 12 item 5): a table outside the default schema (config `schema`,
 * else `public`) is named `schema.table` everywhere inside kiln (Table.name, ForeignKey.refTable,
 * op tables), which Knex reads as a qualifier (`createTable('billing.invoice')` writes
 * `"billing"."invoice"`). A table of the default schema keeps its bare name, so nothing that
 * knew one schema changes. Table and schema names never hold a '.' (src/model/checks.ts).
 */

/** `billing.invoice` -> { schema: 'billing', table: 'invoice' }; `invoice` -> { schema: null, table: 'invoice' }. */
export function splitQualified(name: string): { readonly schema: string | null; readonly table: string } {
  const dot = name.indexOf('.');
  return dot < 0 ? { schema: null, table: name } : { schema: name.slice(0, dot), table: name.slice(dot + 1) };
}

/** The table's name without its schema. */
export function bareName(name: string): string {
  return splitQualified(name).table;
}

/** `schema.table`, or `table` where the schema is null. */
export function qualify(schema: string | null | undefined, table: string): string {
  return schema ? `${schema}.${table}` : table;
}

/** The schemas (other than the default) the tables live in, sorted. */
export function schemasOf(tables: readonly { readonly name: string }[]): string[] {
  const out = new Set<string>();
  for (const t of tables) {
    const s = splitQualified(t.name).schema;
    if (s !== null) out.add(s);
  }
  return [...out].sort();
}
