/**
 * What each table becomes in the generated models: a `model()` (it has a primary key), a plain
 * `table()` (no primary key), or an association table (`table()` holding only the two foreign
 * keys of a many-to-many, which also make its key when it has one); its export, model and file
 * names. Pure and deterministic: a function of the Schema only.
 */
import { snakeCase } from '../model/definition';
import { splitQualified } from '../schema/qualified';
import type { Schema, Table } from '../schema/types';
import { camelCase, kebabCase, pascalCase, uniqueIdentifier, uniqueName } from './names';

export interface TablePlan {
  readonly table: Table;
  readonly kind: 'model' | 'table' | 'association';
  /** The exported constant. */
  readonly exportName: string;
  /** model(): the model name (relationship targets); table(): the table name. */
  readonly modelName: string;
  /** Said in the options when snakeCase(modelName) does not give the table name back. */
  readonly tableName: string | null;
  /** PostgreSQL: the schema said in the options, for a table outside the default one (`billing.invoice`). */
  readonly schema: string | null;
  /** Relative to the models folder. */
  readonly file: string;
}

const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x) => b.includes(x));

/** Only its two foreign keys (to two different models), which cover every column and the key. */
export function isAssociation(t: Table, models: ReadonlySet<string>): boolean {
  if (t.foreignKeys.length !== 2) return false;
  const [a, b] = t.foreignKeys;
  if (a.columns.length !== 1 || b.columns.length !== 1 || a.loose || b.loose) return false;
  if (a.refTable === b.refTable || !models.has(a.refTable) || !models.has(b.refTable)) return false;
  const keyColumns = [...a.columns, ...b.columns];
  if (new Set(keyColumns).size !== keyColumns.length) return false;
  if (!sameSet(t.columns.map((c) => c.name), keyColumns)) return false;
  return t.primaryKey === null || sameSet(t.primaryKey.columns, keyColumns);
}

export function planTables(schema: Schema): Map<string, TablePlan> {
  const models = new Set(schema.tables.filter((t) => t.primaryKey !== null).map((t) => t.name));
  const exports = new Set<string>();
  const files = new Set<string>();
  const plans = new Map<string, TablePlan>();
  for (const table of schema.tables) {
    const kind = isAssociation(table, models) ? 'association' : table.primaryKey !== null ? 'model' : 'table';
    // A table of another schema (`billing.invoice`) is named by its bare name, its schema said apart.
    const { schema: inSchema, table: bare } = splitQualified(table.name);
    if (kind === 'model') {
      const modelName = uniqueIdentifier(pascalCase(bare), exports);
      const tableName = snakeCase(modelName) === bare ? null : bare;
      plans.set(table.name, { table, kind, exportName: modelName, modelName, tableName, schema: inSchema, file: fileName(modelName, files) });
    } else {
      const exportName = uniqueIdentifier(camelCase(bare), exports, 'Table');
      plans.set(table.name, { table, kind, exportName, modelName: bare, tableName: null, schema: inSchema, file: fileName(exportName, files) });
    }
  }
  return plans;
}

function fileName(name: string, taken: Set<string>): string {
  return `${uniqueName(kebabCase(name), taken)}.ts`;
}
