import { KilnError } from '../errors';
import { makeSchema } from '../schema/build';
import { splitTypeName, typeOfModel } from '../schema/qualified';
import type { Column, Schema, Table } from '../schema/types';

/**
 * The model side of enums, generated and identity columns on a database without named enum
 * types (MySQL/MariaDB, SQLite): an enum's type name is the PostgreSQL type's and means nothing
 * there; identity is plain auto-increment (of a lone key: identity on any other column is refused).
 */
export function projectUnnamedExtras(schema: Schema, database: string): Schema {
  const strip = (t: Table, c: Column): Column => {
    if (!c.identity && !c.enum?.name) return c;
    if (c.identity && !c.autoIncrement) {
      throw new KilnError('MODEL', `table '${t.name}' column '${c.name}': ${database} numbers only a lone primary key; identity() on another column is PostgreSQL's`, {
        hint: 'make it the lone primary key, or leave identity() out there',
      });
    }
    if (c.identityOptions) {
      // Silently numbering from 1 what the model says starts at 1000 would be a surprise in the data.
      throw new KilnError('MODEL', `table '${t.name}' column '${c.name}': identity() options (${Object.keys(c.identityOptions).join(', ')}) are PostgreSQL's sequence options; ${database} has none`, {
        hint: 'leave the options out of identity() for this database',
      });
    }
    const { identity: _identity, identityOptions: _options, ...rest } = c;
    return rest.enum ? { ...rest, enum: { name: null, values: rest.enum.values } } : rest;
  };
  if (!schema.tables.some((t) => t.columns.some((c) => c.identity || c.enum?.name))) return schema;
  return makeSchema(schema.tables.map((t) => ({ ...t, columns: t.columns.map((c) => strip(t, c)) })));
}

/**
 * PostgreSQL: an enum is a named type, `<table>_<column>` unless the model names it; columns
 * naming the same type must list the same values; generated columns are STORED only.
 * `defaultSchema` (config `schema`, else `public`) is the schema of the types named bare.
 */
export function projectPostgresExtras(schema: Schema, defaultSchema = 'public'): Schema {
  const types = new Map<string, { values: string; where: string }>();
  const name = (t: Table, c: Column): Column => {
    if (c.generated && !c.generated.stored) {
      throw new KilnError('MODEL', `table '${t.name}' column '${c.name}': PostgreSQL has no virtual generated columns`, { hint: 'use .computed(expr, { stored: true }) (the default)' });
    }
    if (!c.enum) return c;
    // A table of another schema (`billing.invoice`) has its enum types there: `billing.invoice_status`,
    // or `billing.<name>` for a type the model names bare; `shared.mood` names its own schema.
    const typeName = c.enum.name ? typeOfModel(c.enum.name, t.name, defaultSchema) : `${t.name}_${c.name}`;
    if (Buffer.byteLength(splitTypeName(typeName).type) > 63) {
      throw new KilnError('MODEL', `table '${t.name}' column '${c.name}': the enum type name '${typeName}' is longer than 63 bytes`, { hint: "name the type: Enum(..., { name: 'short_name' })" });
    }
    const where = `table '${t.name}' column '${c.name}'`;
    const values = JSON.stringify(c.enum.values);
    const other = types.get(typeName);
    if (other && other.values !== values) {
      throw new KilnError('MODEL', `${where}: enum type '${typeName}' is also used by ${other.where} with other values`, { hint: 'give both columns the same values, or different type names' });
    }
    types.set(typeName, { values, where });
    return c.enum.name === typeName ? c : { ...c, enum: { name: typeName, values: c.enum.values } };
  };
  if (!schema.tables.some((t) => t.columns.some((c) => c.enum || c.generated))) return schema;
  return makeSchema(schema.tables.map((t) => ({ ...t, columns: t.columns.map((c) => name(t, c)) })));
}

/**
 * A column's collation as the dialect spells it (`spell`); one naming the database's default
 * (`defaultName`) becomes '' ("the default, said"): src/diff/keep-unsaid.ts then drops the
 * field, so a collation the database holds is removed, where an unsaid one is kept.
 */
export function projectCollation(c: Column, spell: (name: string) => string, defaultName: string | null): Column {
  if (c.collation === undefined) return c;
  const spelled = spell(c.collation);
  const collation = spelled === defaultName ? '' : spelled;
  return collation === c.collation ? c : { ...c, collation };
}
