import type { Operation } from '../ops/types';
import type { Schema, Table } from '../schema/types';
import { compareEnums } from './compare-enums';
import { compareTable } from './compare-table';
import { creationOrder, PHASE, sortTagged, tag, withoutForeignKeys, type Tagged } from './order';
import { renamedTable } from './rename-view';
import { schemasOf, typeSchemasOf } from '../schema/qualified';
import { compareViews } from './views';
import { compareTriggers } from './triggers';
import { compareSequences } from './sequences';
import { NO_RENAMES, resolveColumnRenames, resolveTableRenames, type RenameResolver, type Renames } from './renames';
import { resolveEnumValueRenames, withRenamedDefaults } from './value-renames';

/**
 * The operations that turn the database's schema (`from`) into the models' (`to`), in an
 * order that runs both ways (see ./order). Pure: no database, files or prompts; renames are
 * asked of `resolver` (none without one). Indexes, uniques and foreign keys are matched by
 * signature, never by name.
 */
export async function compare(from: Schema, to: Schema, resolver: RenameResolver = NO_RENAMES): Promise<Operation[]> {
  const renames = await resolveRenames(from, to, resolver);
  const toByName = new Map(to.tables.map((t) => [t.name, t]));
  const tagged: Tagged[] = [];
  const dropped: Table[] = [];
  const views = from.tables.map((t) => renamedTable(t, renames));
  const values = await resolveEnumValueRenames(views, to.tables, resolver);
  tagged.push(...compareEnums(views, to.tables, values.types));
  tagged.push(...createSchemaOps(from, to));
  for (const original of from.tables) {
    const view = renamedTable(original, renames);
    const target = toByName.get(view.name);
    if (!target) dropped.push(view);
    else tagged.push(...compareTable(original, withRenamedDefaults(view, values), target, values.columns.get(target.name)));
  }
  const kept = new Set(from.tables.map((t) => renames.tables.get(t.name) ?? t.name));
  const created = to.tables.filter((t) => !kept.has(t.name));
  const altered = new Set(tagged.flatMap(({ op }) => (op.kind === 'alterColumn' ? [`${op.table}.${op.to.name}`] : [])));
  tagged.push(...renameOps(from, renames), ...createOps(created, altered), ...dropOps(dropped, from));
  tagged.push(...compareViews(from, to, tagged, renames));
  tagged.push(...compareTriggers(from, to, tagged));
  tagged.push(...compareSequences(from, to));
  return sortTagged(tagged);
}

/**
 * `CREATE SCHEMA` for each schema the models' tables or enum types live in that the database
 * lacks (issue 12 item 5), before any table or type. Never a drop: a schema the models leave is
 * the database's; `down` drops the one its `up` created. The schema of a type the database's
 * columns use exists, listed in Schema.schemas or not.
 */
function createSchemaOps(from: Schema, to: Schema): Tagged[] {
  const existing = new Set([...(from.schemas ?? schemasOf(from.tables)), ...typeSchemasOf(from.tables)]);
  return [...new Set([...schemasOf(to.tables), ...typeSchemasOf(to.tables)])]
    .sort()
    .filter((s) => !existing.has(s))
    .map((name, i) => tag({ kind: 'createSchema', name }, PHASE.createSchema, '', i));
}

async function resolveRenames(from: Schema, to: Schema, resolver: RenameResolver): Promise<Renames> {
  const toNames = new Set(to.tables.map((t) => t.name));
  const fromNames = new Set(from.tables.map((t) => t.name));
  const removed = from.tables.filter((t) => !toNames.has(t.name));
  const added = to.tables.filter((t) => !fromNames.has(t.name));
  const tables = await resolveTableRenames(removed, added, resolver);
  const columns = new Map<string, Map<string, string>>();
  const toByName = new Map(to.tables.map((t) => [t.name, t]));
  for (const table of from.tables) {
    const target = toByName.get(tables.get(table.name) ?? table.name);
    if (!target) continue;
    const targetNames = new Set(target.columns.map((c) => c.name));
    const sourceNames = new Set(table.columns.map((c) => c.name));
    const gone = table.columns.filter((c) => !targetNames.has(c.name));
    const fresh = target.columns.filter((c) => !sourceNames.has(c.name));
    if (!gone.length || !fresh.length) continue;
    const found = await resolveColumnRenames(target.name, gone, fresh, resolver);
    if (found.size) columns.set(target.name, found);
  }
  return { tables, columns };
}

function renameOps(from: Schema, renames: Renames): Tagged[] {
  const out: Tagged[] = [];
  for (const [old, name] of renames.tables) {
    out.push(tag({ kind: 'renameTable', from: old, to: name }, PHASE.renameTable, old, 0));
  }
  for (const [table, cols] of renames.columns) {
    const original = from.tables.find((t) => (renames.tables.get(t.name) ?? t.name) === table);
    const position = (c: string) => original?.columns.findIndex((x) => x.name === c) ?? 0;
    for (const [old, name] of cols) {
      out.push(tag({ kind: 'renameColumn', table, from: old, to: name }, PHASE.renameColumn, table, position(old)));
    }
  }
  return out;
}

/**
 * New tables, parents first; foreign keys of a cycle are added after all tables exist, and so
 * are those to a column of an existing table that the same migration alters (`altered`:
 * `table.column`): MySQL refuses a foreign key between columns of different types, and the
 * referenced column only gets its new type in the table-body phase.
 */
function createOps(created: readonly Table[], altered: ReadonlySet<string>): Tagged[] {
  const { order, deferred } = creationOrder(created);
  const out: Tagged[] = [];
  order.forEach((table, seq) => {
    const waits = table.foreignKeys.filter((fk) => fk.refColumns.some((c) => altered.has(`${fk.refTable}.${c}`)));
    const cycle = deferred.get(table.name) ?? [];
    const late = [...cycle, ...waits.filter((fk) => !cycle.includes(fk))];
    out.push(tag({ kind: 'createTable', table: withoutForeignKeys(table, late) }, PHASE.createTable, '', seq));
    late?.forEach((foreignKey, i) => {
      out.push(tag({ kind: 'addForeignKey', table: table.name, foreignKey }, PHASE.addForeignKey, table.name, 1000 + i));
    });
  });
  return out;
}

/**
 * Dropped tables, children first (the reverse of their creation order); the foreign keys of
 * a cycle are dropped first, with the database's names.
 */
function dropOps(dropped: readonly Table[], from: Schema): Tagged[] {
  const { order, deferred } = creationOrder(dropped);
  const out: Tagged[] = [];
  [...order].reverse().forEach((table, seq) => {
    const late = deferred.get(table.name);
    out.push(tag({ kind: 'dropTable', table: withoutForeignKeys(table, late) }, PHASE.dropTable, '', seq));
    const original = from.tables.find((t) => t.name === table.name);
    late?.forEach((fk) => {
      const i = table.foreignKeys.indexOf(fk);
      const foreignKey = original?.foreignKeys[i] ?? fk;
      out.push(tag({ kind: 'dropForeignKey', table: table.name, foreignKey }, PHASE.dropForeignKey, table.name, i));
    });
  });
  return out;
}
