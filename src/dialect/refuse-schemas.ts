import { KilnError } from '../errors';
import type { Schema } from '../schema/types';

/**
 * Refuses models that name a schema (`schema.table`, src/schema/qualified.ts) where the database
 * has none kiln manages: SQLite (ATTACH is out of scope) and MySQL/MariaDB (another database of
 * the same server is not supported yet). Named by table, so the user knows which model to change.
 */
export function refuseSchemas(schema: Schema, label: string): Schema {
  const named = schema.tables.filter((t) => t.name.includes('.'));
  if (named.length) {
    const t = named[0].name;
    throw new KilnError('MODEL', `model table '${t}' names schema '${t.slice(0, t.indexOf('.'))}': ${label} has no schemas kiln manages (PostgreSQL only)`, {
      hint: "remove the model's 'schema' option (and the schema from its foreign keys' targets)",
    });
  }
  return schema;
}
