/**
 * `kiln db pull`'s renderer: a canonical Schema -> model files in kiln's model language, one file
 * per table (`invoice-line.ts` for table `invoice_line`), deterministic. Pure: no database, no
 * files. Every name and value from the database goes through `lit()`/`blockCommentLines()`.
 */
import { blockCommentLines, lit } from '../render/literal';
import type { ForeignKey, Schema, Table } from '../schema/types';
import { columnSource, placeConstraints } from './column';
import { planTables, type TablePlan } from './plan';
import { followDeclared, inferRelationships, type DeclaredSide, type InferredRelationship } from './relationships';
import { objectSource, tableOptions, type Entry } from './table-options';
import { propertyKey } from './names';

export interface PulledFile {
  /** Relative to the models folder, `/`-separated. */
  readonly path: string;
  readonly source: string;
  /** The table it declares. */
  readonly table: string;
  /** The one constant the file exports (its model or table definition). */
  readonly exportName: string;
}

/**
 * `unsignedByDefault`: the columns the dialect makes unsigned where a model says nothing
 * (DialectGeneration.unsignedByDefault); a column says `.unsigned()`/`.unsigned(false)` only
 * where the database differs.
 */
/** `defaultSchema`: the config's `schema`, else `public` (PostgreSQL: how a model names an enum type of that schema). */
export function renderModels(
  schema: Schema,
  unsignedByDefault: ReadonlySet<string> = new Set(),
  defaultSchema = 'public',
  context: readonly Table[] = [],
  declared: readonly DeclaredSide[] = [],
): PulledFile[] {
  const byName = (a: Table, b: Table) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  // Context tables (already declared by other model files) are named and related as in a pull of
  // them all, so a table pulled again keeps its relationships to them; only `schema`'s are written.
  const plans = planTables({ tables: [...schema.tables, ...context].sort(byName) });
  const written = new Set(schema.tables.map((t) => t.name));
  const relationships = followDeclared(inferRelationships(plans), plans, written, declared);
  return [...plans.values()].filter((plan) => written.has(plan.table.name)).map((plan) => ({
    path: plan.file,
    source: renderFile(plan, relationships.get(plan.table.name) ?? [], unsignedByDefault, defaultSchema),
    table: plan.table.name,
    exportName: plan.exportName,
  }));
}

/** What the model language cannot say yet, one line per thing (also written into the file). */
export function unsaidNotes(t: Table): string[] {
  const notes: string[] = [];
  for (const u of t.unmanaged ?? []) notes.push(`${u.kind} ${u.name} is not managed by kiln (kept as it is)`);
  for (const fk of t.foreignKeys) if (fk.loose) notes.push(looseNote(fk));
  for (const fk of t.foreignKeys) {
    if (fk.external) {
      notes.push(
        `foreign key ${fk.name} (${fk.columns.join(', ')}) -> ${fk.refTable}(${fk.refColumns.join(', ')}) is external (kiln does not read that table: another schema, or excluded): ` +
          'written with external: true; kiln does not check its target, which a database made from these models must already have',
      );
    }
  }
  return notes;
}

/**
 * A loose foreign key (ForeignKey.loose) is written, with `loose: true`, and kept as SQLite has
 * it; what kiln does not do with it is said once per pull and in the file's header.
 */
function looseNote(fk: ForeignKey): string {
  const target = `${fk.refTable}(${fk.refColumns.join(', ')})`;
  return (
    `foreign key ${fk.name} (${fk.columns.join(', ')}) -> ${target} is loose (its target is no primary key or unique rule of a table): ` +
    'kept as SQLite has it, with loose: true; SQLite cannot enforce it (with foreign_keys on, it refuses writes that involve it), PostgreSQL and MySQL refuse it'
  );
}

/** Every table's notes, prefixed with the table's name. */
export function pullNotes(schema: Schema): string[] {
  return schema.tables.flatMap((t) => unsaidNotes(t).map((n) => `table ${lit(t.name)}: ${n}`));
}

const BUILDER_ORDER = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function renderFile(plan: TablePlan, relationships: readonly InferredRelationship[], unsignedByDefault: ReadonlySet<string>, defaultSchema: string): string {
  const t = plan.table;
  const placement = placeConstraints(t);
  const imports = new Set<string>();
  const fields: Entry[] = t.columns.map((c) => {
    const col = columnSource(t, c, placement, unsignedByDefault.has(`${t.name}\0${c.name}`), defaultSchema);
    col.imports.forEach((i) => imports.add(i));
    return [propertyKey(c.name), col.source];
  });
  const options = tableOptions(plan, placement, relationships, '  ');
  const head = plan.kind === 'model' ? 'model' : 'table';
  const kiln = [head, ...(relationships.length ? ['relationship'] : []), ...[...imports].sort(BUILDER_ORDER)];
  const body = `{\n${fields.map(([k, v]) => `    ${k}: ${v},\n`).join('')}  }`;
  const args = [lit(plan.modelName), body, ...(options.length ? [objectSource(options, '  ')] : [])];
  return [
    ...header(plan),
    `import { ${kiln.join(', ')} } from 'kiln';`,
    '',
    `export const ${plan.exportName} = ${head}(`,
    ...args.map((a) => `  ${a},`),
    ');',
    '',
  ].join('\n');
}

function header(plan: TablePlan): string[] {
  const what = plan.kind === 'association' ? 'Association table' : 'Table';
  const lines = [`${what} ${lit(plan.table.name)}, pulled from the database by \`kiln db pull\`.`, ...unsaidNotes(plan.table).map((n) => `Note: ${n}.`)];
  return ['/**', ...lines.flatMap(blockCommentLines).map((l) => ` * ${l}`), ' */'];
}
