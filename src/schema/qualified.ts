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

/**
 * PostgreSQL enum types (Column.enum.name, the enum type ops' `name`) are named like tables: bare
 * in the default schema, `shared.mood` in another one, split at the first '.' (a schema name
 * never holds one). A type's own name may hold a '.' (`CREATE TYPE "Odd.Name"`): in another
 * schema that is `shared.Odd.Name`; in the default schema it is `.Odd.Name`, the empty schema
 * saying "the default one", so that the name is never read as `Odd` + `Name`.
 */
export function splitTypeName(name: string): { readonly schema: string | null; readonly type: string } {
  if (name.startsWith('.')) return { schema: null, type: name.slice(1) };
  const { schema, table } = splitQualified(name);
  return { schema, type: table };
}

/** The type's name as {@link splitTypeName} reads it; `schema` null (or the default's name, given as `defaultSchema`) for the default schema. */
export function typeName(schema: string | null, type: string, defaultSchema?: string): string {
  if (schema === null || schema === defaultSchema) return type.includes('.') ? `.${type}` : type;
  return `${schema}.${type}`;
}

/**
 * An Enum's `name` as a model says it (`mood`: the table's schema; `shared.mood`: that schema,
 * the first '.' separating it; `public.Odd.Name` for a type whose name holds a '.') -> the
 * type's name (see {@link splitTypeName}). `table` is the kiln table name; the default schema's
 * name is the config's `schema`, else `public`.
 */
export function typeOfModel(modelName: string, table: string, defaultSchema: string): string {
  const { schema, table: type } = splitQualified(modelName);
  return typeName(schema ?? splitQualified(table).schema, type, defaultSchema);
}

/** The reverse of {@link typeOfModel}: how a model of `table` says the type (`pull` writes it). */
export function modelTypeName(name: string, table: string, defaultSchema: string): string {
  const { schema, type } = splitTypeName(name);
  const own = splitQualified(table).schema;
  if ((schema ?? defaultSchema) === (own ?? defaultSchema) && !type.includes('.')) return type;
  return `${schema ?? defaultSchema}.${type}`;
}

/** The schemas (other than the default) of the enum types the tables' columns use, sorted. */
export function typeSchemasOf(tables: readonly { readonly columns: readonly { readonly enum?: { readonly name: string | null } }[] }[]): string[] {
  const out = new Set<string>();
  for (const t of tables) {
    for (const c of t.columns) {
      const s = c.enum?.name ? splitTypeName(c.enum.name).schema : null;
      if (s !== null) out.add(s);
    }
  }
  return [...out].sort();
}
