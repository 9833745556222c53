import { makeSchema } from '../schema/build';
import type { Schema, Sequence, Table, Trigger, View } from '../schema/types';
import { checkIdentifier, didYouMean, fail } from './checks';
import { applyRelationships } from './compile-relationships';
import { compileTable } from './compile-table';
import type { TableDraft } from './compile-table';
import { isDefinition } from './definition';
import { looseReason } from '../schema/foreign-keys';
import type { Definition } from './definition';
import { compileView, isView } from './view';
import { compileTrigger, isTrigger } from './trigger';
import { compileSequence, isSequence } from './sequence';

/**
 * Model and table definitions -> the canonical Schema in its normal forms. Anything in the
 * list that is not a definition is ignored; the same definition twice (a file and an index
 * re-exporting it) counts once. Throws KilnError('MODEL') naming the model and field.
 */
export function compileModels(definitions: readonly unknown[]): Schema {
  const defs = [...new Set(definitions.filter(isDefinition))];
  const views = compileViews([...new Set(definitions.filter(isView))]);
  const drafts = new Map<string, TableDraft>();
  const models = new Map<string, Definition>();
  for (const def of defs) {
    const draft = compileTable(def);
    const clash = drafts.get(draft.name);
    if (clash) fail(`${draft.label}: table '${draft.name}' is already defined by ${clash.label}`);
    drafts.set(draft.name, draft);
    if (def.kind === 'model') {
      if (models.has(def.name)) fail(`${draft.label}: two models named '${def.name}'`);
      models.set(def.name, def);
    }
  }
  for (const draft of drafts.values()) checkForeignKeys(draft, drafts);
  applyRelationships(drafts, models);
  checkConstraintNames(drafts);
  for (const v of views) if (drafts.has(v.name)) fail(`view '${v.name}': the name of a table too`);
  const triggers = compileTriggers([...new Set(definitions.filter(isTrigger))], drafts);
  const sequences = compileSequences([...new Set(definitions.filter(isSequence))]);
  for (const s of sequences) if (drafts.has(s.name) || views.some((v) => v.name === s.name)) fail(`sequence '${s.name}': the name of a table or view too`);
  return makeSchema([...drafts.values()].map(toTable), views, triggers, sequences);
}

function compileSequences(defs: readonly import('./sequence').SequenceDefinition[]): Sequence[] {
  const seen = new Map<string, Sequence>();
  for (const def of defs) {
    const s = compileSequence(def);
    if (seen.has(s.name)) fail(`sequence '${s.name}' is defined twice`);
    seen.set(s.name, s);
  }
  return [...seen.values()];
}

/** Triggers (issue 12 item 2): each on a table of the models, its `of` columns the table's. */
function compileTriggers(defs: readonly import('./trigger').TriggerDefinition[], drafts: ReadonlyMap<string, TableDraft>): Trigger[] {
  const seen = new Map<string, Trigger>();
  for (const def of defs) {
    const t = compileTrigger(def);
    if (seen.has(t.name)) fail(`trigger '${t.name}' is defined twice`);
    const table = drafts.get(t.table);
    if (!table) fail(`trigger '${t.name}': unknown table '${t.table}'`, didYouMean(t.table, drafts.keys()));
    for (const c of t.of ?? []) {
      if (!table.columns.some((col) => col.name === c)) fail(`trigger '${t.name}': unknown column '${t.table}.${c}'`, didYouMean(c, table.columns.map((col) => col.name)));
    }
    seen.set(t.name, t);
  }
  return [...seen.values()];
}

function compileViews(defs: readonly import('./view').ViewDefinition[]): View[] {
  const seen = new Map<string, View>();
  for (const def of defs) {
    const v = compileView(def);
    if (seen.has(v.name)) fail(`view '${v.name}' is defined twice`);
    seen.set(v.name, v);
  }
  return [...seen.values()];
}

/**
 * Each foreign key's target: a table of the models, its columns, of the same types, its primary
 * key or a unique rule. A foreign key said `loose` may miss any of these but the types (of the
 * columns that exist): it is then marked loose (ForeignKey.loose, by ../schema/foreign-keys's
 * rule, the introspector's), which only SQLite's projection lets through.
 */
function checkForeignKeys(draft: TableDraft, drafts: ReadonlyMap<string, TableDraft>): void {
  for (const fk of draft.foreignKeys) {
    const target = drafts.get(fk.refTable);
    if (fk.external) {
      if (target) fail(`${fk.where}: foreign key to '${fk.refTable}', which the models declare, said external`, "leave 'external: true' out: kiln checks a target it reads");
      continue;
    }
    fk.loose = looseReason(fk, target) !== null;
    if (fk.loose && fk.allowLoose) {
      fk.refColumns.forEach((refColumn, i) => {
        const ref = target?.columns.find((c) => c.name === refColumn);
        const own = draft.columns.find((c) => c.name === fk.columns[i])!;
        if (ref && own.type !== ref.type) fail(`${fk.where}: column type ${own.type} does not match '${fk.refTable}.${refColumn}' (${ref.type})`);
      });
      continue;
    }
    if (!target) {
      fail(
        `${fk.where}: foreign key to unknown table '${fk.refTable}'`,
        didYouMean(fk.refTable, drafts.keys()) ?? "declare it, or say 'external: true' in the foreign key's options if it is a table kiln does not manage (another schema, or excluded)",
      );
    }
    fk.refColumns.forEach((refColumn, i) => {
      const ref = target.columns.find((c) => c.name === refColumn);
      const ref_ = `${fk.refTable}.${refColumn}`;
      if (!ref) {
        fail(`${fk.where}: foreign key to unknown column '${ref_}'`, didYouMean(refColumn, target.columns.map((c) => c.name)));
      }
      const own = draft.columns.find((c) => c.name === fk.columns[i])!;
      if (own.type !== ref.type) fail(`${fk.where}: column type ${own.type} does not match '${ref_}' (${ref.type})`);
    });
    if (fk.loose) {
      fail(`${fk.where}: foreign key to '${fk.refTable}.${fk.refColumns.join(', ')}', which is neither a primary key nor unique`, LOOSE_HINT);
    }
  }
}

const LOOSE_HINT = "make the target unique; or, on SQLite only (which accepts such a foreign key), say 'loose: true' in the foreign key's options";

/**
 * Every generated or given name fits in an identifier and is unique within its table. Names
 * repeated across tables are each database's business: where one keeps a namespace wider than
 * a table (PostgreSQL's index names per schema, SQLite's index names, MySQL's foreign key
 * names), its projection refuses the collision (src/dialect/<name>/names.ts).
 */
function checkConstraintNames(drafts: ReadonlyMap<string, TableDraft>): void {
  for (const draft of drafts.values()) {
    const seen = new Map<string, string>();
    const named: [string, string][] = [
      ...(draft.primaryKey ? [['primary key', draft.primaryKey.name] as [string, string]] : []),
      ...draft.indexes.map((i): [string, string] => [`index (${i.columns.join(', ')})`, i.name]),
      ...draft.uniques.map((u): [string, string] => [`unique (${u.columns.join(', ')})`, u.name]),
      ...draft.foreignKeys.map((f): [string, string] => [`foreign key (${f.columns.join(', ')})`, f.name]),
      ...draft.checks.map((c): [string, string] => [`check (${c.expression})`, c.name]),
    ];
    for (const [what, name] of named) {
      const where = `${draft.label} ${what}`;
      checkIdentifier(where, 'name', name, false, false);
      const other = seen.get(name);
      if (other) fail(`${where}: name '${name}' is already used by ${other}`);
      seen.set(name, what);
    }
  }
}

function toTable(draft: TableDraft): Table {
  return {
    name: draft.name,
    columns: draft.columns,
    primaryKey: draft.primaryKey,
    indexes: draft.indexes,
    uniques: draft.uniques,
    foreignKeys: draft.foreignKeys.map((f) => ({
      name: f.name,
      columns: f.columns,
      refTable: f.refTable,
      refColumns: f.refColumns,
      onDelete: f.onDelete,
      onUpdate: f.onUpdate,
      ...(f.loose ? { loose: true as const } : {}),
      ...(f.external ? { external: true as const } : {}),
    })),
    ...(draft.checks.length ? { checks: draft.checks } : {}),
    ...(draft.comment === undefined ? {} : { comment: draft.comment }),
  };
}
