import { uniqueName } from '../schema/naming';
import { checkIdentifier, describe, didYouMean, fail } from './checks';
import type { ForeignKeyDraft, TableDraft } from './compile-table';
import type { Definition } from './definition';
import { CASCADE_WORDS, isRelationship } from './relationship';
import type { RelationshipOptions, RelationshipSpec } from './relationship';

/**
 * Relationships reach the database in three ways only: a cascade with 'all' or 'delete' makes
 * the child's foreign key ON DELETE CASCADE; `uselist: false` on a one-to-many makes the
 * child's foreign key columns unique; `secondary` needs an association table with foreign
 * keys to both sides. Everything else is checked for consistency and otherwise ignored.
 */
export function applyRelationships(drafts: ReadonlyMap<string, TableDraft>, models: ReadonlyMap<string, Definition>): void {
  for (const def of models.values()) {
    if (typeof def.relationships !== 'object' || def.relationships === null) fail(`model '${def.name}': relationships must be an object`);
    for (const [attr, rel] of Object.entries(def.relationships)) {
      applyRelationship({ drafts, models, def, attr, where: `model '${def.name}' relationship '${attr}'` }, rel);
    }
  }
}

interface Context {
  readonly drafts: ReadonlyMap<string, TableDraft>;
  readonly models: ReadonlyMap<string, Definition>;
  readonly def: Definition;
  readonly attr: string;
  /** "model 'Post' relationship 'comments'" */
  readonly where: string;
}

function applyRelationship(ctx: Context, rel: unknown): void {
  const { where, def, attr } = ctx;
  if (!isRelationship(rel)) fail(`${where}: not a relationship(...)`);
  checkIdentifier(where, 'relationship name', attr, false, false);
  if (Object.prototype.hasOwnProperty.call(def.columns, attr)) fail(`${where}: name clashes with field '${attr}'`);
  const target = ctx.models.get(rel.target);
  if (!target) fail(`${where}: relationship to unknown model ${describe(rel.target)}`, didYouMean(String(rel.target), ctx.models.keys()));
  const o = rel.options;
  const deletes = cascadeDeletes(where, o.cascade);
  if (o.uselist !== undefined && typeof o.uselist !== 'boolean') fail(`${where}: uselist must be true or false`);
  if (o.backPopulates !== undefined && o.backref !== undefined) fail(`${where}: backPopulates and backref cannot both be set`);
  checkBackPopulates(ctx, target, o);
  checkBackref(ctx, target, o);

  const self = ctx.drafts.get(def.tableName)!;
  const other = ctx.drafts.get(target.tableName)!;
  if (o.secondary !== undefined && o.secondary !== null) {
    checkSecondary(ctx, o.secondary, [self, other]);
    if (deletes) {
      fail(
        `${where}: cascade '${o.cascade}' on a many-to-many relationship cannot be a database rule`,
        "set onDelete: 'CASCADE' on the association table's foreign keys instead",
      );
    }
    return;
  }
  const link = findLink(ctx, self, other, o);
  if (!link) return;
  if (o.uselist === false && link.oneToMany) makeUnique(link.child, link.fk.columns);
  if (!deletes) return;
  if (!link.oneToMany) {
    fail(`${where}: cascade '${o.cascade}' on a many-to-one relationship cannot be a database rule`, `put it on the one-to-many side, in model '${target.name}'`);
  }
  if (link.fk.explicitOnDelete && link.fk.onDelete !== 'CASCADE') {
    fail(`${where}: cascade '${o.cascade}' conflicts with ON DELETE ${link.fk.onDelete} on '${link.child.name}.${link.fk.columns.join(', ')}'`);
  }
  link.fk.onDelete = 'CASCADE';
}

/** true when the cascade includes 'all' or 'delete'; unknown words are an error. */
function cascadeDeletes(where: string, cascade: unknown): boolean {
  if (cascade === undefined || cascade === null) return false;
  if (typeof cascade !== 'string') fail(`${where}: cascade must be a string such as 'all, delete-orphan'`);
  const words = cascade.split(',').map((w) => w.trim()).filter((w) => w !== '');
  for (const word of words) {
    if (!(CASCADE_WORDS as readonly string[]).includes(word)) {
      fail(`${where}: unknown cascade word '${word}'`, `expected some of ${CASCADE_WORDS.join(', ')}`);
    }
  }
  return words.includes('all') || words.includes('delete');
}

function checkBackPopulates(ctx: Context, target: Definition, o: RelationshipOptions): void {
  const name = o.backPopulates;
  if (name === undefined) return;
  const where = `${ctx.where}: backPopulates ${describe(name)}`;
  const back: RelationshipSpec | undefined = typeof name === 'string' ? target.relationships[name] : undefined;
  if (!isRelationship(back)) fail(`${where}: model '${target.name}' has no relationship ${describe(name)}`);
  if (back.target !== ctx.def.name) fail(`${where}: '${target.name}.${name}' points to '${back.target}', not '${ctx.def.name}'`);
  const again = back.options.backPopulates;
  if (again !== undefined && again !== ctx.attr) fail(`${where}: '${target.name}.${name}' back-populates ${describe(again)}, not '${ctx.attr}'`);
}

function checkBackref(ctx: Context, target: Definition, o: RelationshipOptions): void {
  if (o.backref === undefined) return;
  const name: unknown = Array.isArray(o.backref) ? o.backref[0] : o.backref;
  checkIdentifier(`${ctx.where} backref`, 'name', name, false, false);
  const clash = target.relationships[name as string] ?? (target.columns as Record<string, unknown>)[name as string];
  if (clash !== undefined) fail(`${ctx.where}: backref '${name}' clashes with '${target.name}.${name}'`);
}

function checkSecondary(ctx: Context, secondary: NonNullable<RelationshipOptions['secondary']>, sides: TableDraft[]): void {
  const name = typeof secondary === 'string' ? secondary : secondary?.tableName;
  const table = typeof name === 'string' ? ctx.drafts.get(name) : undefined;
  if (!table) fail(`${ctx.where}: secondary table ${describe(name)} is not defined`, didYouMean(String(name), ctx.drafts.keys()));
  for (const side of sides) {
    if (!table.foreignKeys.some((fk) => fk.refTable === side.name)) {
      fail(`${ctx.where}: secondary table '${table.name}' has no foreign key to '${side.name}'`);
    }
  }
}

interface Link {
  /** The foreign key sits on the target (this model is the "one" side). */
  readonly oneToMany: boolean;
  /** The table holding the foreign key. */
  readonly child: TableDraft;
  readonly fk: ForeignKeyDraft;
}

/** The one foreign key joining the two tables, in either direction (self-reference: one-to-many). */
function findLink(ctx: Context, self: TableDraft, other: TableDraft, o: RelationshipOptions): Link | null {
  const wanted = wantedColumns(ctx.where, o.foreignKeys);
  const matches = (draft: TableDraft, fk: ForeignKeyDraft) =>
    !wanted || fk.columns.every((c) => wanted.some((w) => w.column === c && (w.table === undefined || w.table === draft.name)));
  const toSelf = other.foreignKeys.filter((fk) => fk.refTable === self.name && matches(other, fk));
  const toOther = self === other ? [] : self.foreignKeys.filter((fk) => fk.refTable === other.name && matches(self, fk));
  const pair = `'${self.name}' and '${other.name}'`;
  if (toSelf.length > 0 && toOther.length > 0) fail(`${ctx.where}: foreign keys link ${pair} both ways; set foreignKeys`);
  const list = toSelf.length > 0 ? toSelf : toOther;
  if (list.length === 0) {
    if (o.primaryjoin !== undefined && o.cascade === undefined && o.uselist === undefined) return null;
    fail(`${ctx.where}: no foreign key links ${pair}${wanted ? ' through foreignKeys' : ''}`, "add .references('table.column') to the column holding it");
  }
  if (list.length > 1) {
    const names = list.map((fk) => fk.columns.join('+')).join(', ');
    fail(`${ctx.where}: several foreign keys link ${pair} (${names}); set foreignKeys`);
  }
  return { oneToMany: toSelf.length > 0, child: toSelf.length > 0 ? other : self, fk: list[0] };
}

function wantedColumns(where: string, foreignKeys: unknown): { table?: string; column: string }[] | null {
  if (foreignKeys === undefined || foreignKeys === null) return null;
  const list: unknown[] = Array.isArray(foreignKeys) ? foreignKeys : [foreignKeys];
  return list.map((item) => {
    if (typeof item !== 'string' || item === '') fail(`${where}: foreignKeys entry ${describe(item)} is not 'column' or 'table.column'`);
    const parts = item.split('.');
    return parts.length === 2 ? { table: parts[0], column: parts[1] } : { column: item };
  });
}

function makeUnique(child: TableDraft, columns: readonly string[]): void {
  const same = (cols: readonly string[]) => cols.length === columns.length && cols.every((c) => columns.includes(c));
  if (same(child.primaryKey?.columns ?? []) || child.uniques.some((u) => same(u.columns))) return;
  child.uniques.push({ name: uniqueName(child.name, columns), columns: [...columns] });
}
