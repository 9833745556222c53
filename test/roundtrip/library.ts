/** The steps of `kiln db migrate/upgrade/downgrade/check`, in this process (the binary costs 0.5 s a call). */
import * as fs from 'node:fs';
import type { ResolvedConfig } from '../../src/config/load';
import { projectSchema } from '../../src/dialect/project';
import type { DialectName } from '../../src/dialect/types';
import { fixedRenames, parseRenameFlags } from '../../src/diff';
import { loadModels } from '../../src/model/load';
import { triggerForDialect } from '../../src/model/trigger';
import { viewForDialect } from '../../src/model/view';
import { makeSchema } from '../../src/schema/build';
import type { Operation } from '../../src/ops/types';
import { check as checkUseCase } from '../../src/app/check';
import { QUIET } from '../../src/app/progress';
import { revision } from '../../src/app/revision';
import { downgrade, upgrade } from '../../src/app/upgrade';
import { expressionKey, groupedExpressionKey } from '../../src/schema/expression';
import type { Check, Column, Index, Schema, Table, Trigger, View } from '../../src/schema/types';

export async function migrate(config: ResolvedConfig, message: string, renames: string[] = []): Promise<readonly Operation[]> {
  fs.mkdirSync(config.migrations, { recursive: true });
  const { changes } = await revision({ config, message, renames: () => fixedRenames(parseRenameFlags(renames)) }, QUIET);
  return changes;
}

export async function run(config: ResolvedConfig, direction: 'up' | 'down', target: string): Promise<void> {
  await (direction === 'up' ? upgrade : downgrade)({ config, target }, QUIET);
}

/** What `db check` reports: pending migrations and the detected lines. */
export async function check(config: ResolvedConfig): Promise<string[]> {
  const { result } = await checkUseCase({ config }, QUIET);
  return [...result.pending.map((id) => `pending ${id}`), ...result.changes.map((c) => c.description)];
}

/** Models keep indexes and keys in declaration order, introspection sorts them by name: the order means nothing. */
export function sortedConstraints(op: Operation): Operation {
  const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  const sortTable = (t: Table): Table => ({
    ...t,
    indexes: [...t.indexes].sort(byName),
    uniques: [...t.uniques].sort(byName),
    foreignKeys: [...t.foreignKeys].sort(byName),
    ...(t.checks ? { checks: [...t.checks].sort(byName) } : {}),
  });
  if (op.kind === 'createTable' || op.kind === 'dropTable') return { ...op, table: sortTable(op.table) };
  if (op.kind === 'rebuildTable') return { ...op, from: sortTable(op.from), to: sortTable(op.to) };
  return op;
}

export function columnsByName(schema: Schema, dialect: DialectName): Schema {
  if (dialect === 'sqlite') return schema;
  const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  return { tables: schema.tables.map((t) => ({ ...t, columns: [...t.columns].sort(byName) })) };
}

/** The models as `db migrate` sees them on `dialect`: tables projected, each view's definition and each trigger's body for it. */
export async function projected(dir: string, dialect: DialectName): Promise<Schema> {
  const { schema } = await loadModels(dir);
  const tables = projectSchema(schema, dialect);
  if (!schema.views?.length && !schema.triggers?.length) return tables;
  return makeSchema(
    tables.tables,
    (schema.views ?? []).map((v) => viewForDialect(v, dialect)),
    (schema.triggers ?? []).flatMap((t) => triggerForDialect(t, dialect) ?? []),
  );
}


/**
 * The op with every SQL expression as its comparison key: the live diff carries the database's
 * spelling of what it read (MariaDB backquotes names, PostgreSQL adds parentheses and casts), the
 * pure diff the model's; `db check` compares them by key too (src/schema/expression.ts).
 */
export function normalizedExpressions(op: Operation): Operation {
  const check = (c: Check): Check => ({ ...c, expression: expressionKey(c.expression) });
  const column = (c: Column): Column => (c.generated ? { ...c, generated: { ...c.generated, expression: groupedExpressionKey(c.generated.expression) } } : c);
  const index = (i: Index): Index => ({
    ...i,
    ...(i.where !== undefined ? { where: expressionKey(i.where) } : {}),
    ...(i.expression !== undefined ? { expression: expressionKey(i.expression) } : {}),
  });
  const table = (t: Table): Table => ({ ...t, columns: t.columns.map(column), indexes: t.indexes.map(index), ...(t.checks ? { checks: t.checks.map(check) } : {}) });
  // A view by what it is, not its text: the database's rewriting of a definition differs from the
  // model's (the diff compares them through the probe), and the live side carries `comparable`.
  const view = (v: View): View => ({ name: v.name, definition: '', dependsOn: [], ...(v.materialized ? { materialized: true as const, indexes: v.indexes } : {}) });
  // A trigger likewise: the live side carries the database's statement and spelling of its body.
  const trigger = (t: Trigger): Trigger => ({ name: t.name, table: t.table, timing: t.timing, events: t.events, forEach: t.forEach, body: '' });
  switch (op.kind) {
    case 'createTable':
    case 'dropTable':
      return { ...op, table: table(op.table) };
    case 'rebuildTable':
      return { ...op, from: table(op.from), to: table(op.to) };
    case 'addColumn':
    case 'dropColumn':
      return { ...op, column: column(op.column) };
    case 'alterColumn':
      return { ...op, from: column(op.from), to: column(op.to) };
    case 'addIndex':
    case 'dropIndex':
      return { ...op, index: index(op.index) };
    case 'addCheck':
    case 'dropCheck':
      return { ...op, check: check(op.check) };
    case 'createView':
    case 'dropView':
      return { ...op, view: view(op.view) };
    case 'replaceView':
      return { ...op, from: view(op.from), to: view(op.to) };
    case 'createTrigger':
    case 'dropTrigger':
      return { ...op, trigger: trigger(op.trigger) };
    case 'replaceTrigger':
      return { ...op, from: trigger(op.from), to: trigger(op.to) };
    default:
      return op;
  }
}
