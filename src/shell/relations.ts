import type { Definition } from '../model/definition';
import { isRelationship, type RelationshipSpec } from '../model/relationship';
import type { ForeignKey, Schema, Table } from '../schema/types';

/**
 * How a model's relationship is followed from one of its rows, read from the compiled schema's
 * foreign keys (the same links the model compiler checked): `author.articles` is the articles
 * whose `author_id` is the author's `id`. Plain data; ./models.ts turns it into queries.
 */
export interface RelationLink {
  /** The attribute on the row: `articles`. */
  readonly attr: string;
  /** The model name whose rows it gives. */
  readonly target: string;
  /** `many`: a list (one-to-many, many-to-many); `one`: a row or undefined. */
  readonly returns: 'many' | 'one';
  /** Pairs [target column, row column]: target.col = row[rowCol]. */
  readonly on: readonly (readonly [string, string])[];
  /** Many-to-many: target.key IN (select secondary.toTarget from secondary where secondary.toSelf = row[rowKey]). */
  readonly through?: { readonly table: string; readonly toSelf: ForeignKey; readonly toTarget: ForeignKey };
}

export function relationLinks(schema: Schema, models: ReadonlyMap<string, Definition>): Map<string, RelationLink[]> {
  const tables = new Map(schema.tables.map((t) => [t.name, t]));
  const out = new Map<string, RelationLink[]>();
  const add = (model: string, link: RelationLink | null): void => {
    if (!link) return;
    const list = out.get(model) ?? [];
    if (!list.some((l) => l.attr === link.attr)) list.push(link);
    out.set(model, list);
  };
  for (const def of models.values()) {
    for (const [attr, rel] of Object.entries(def.relationships)) {
      if (!isRelationship(rel)) continue;
      const target = models.get(rel.target);
      if (!target) continue;
      add(def.name, linkOf(tables, def, target, attr, rel));
      const backref = Array.isArray(rel.options.backref) ? rel.options.backref[0] : rel.options.backref;
      if (typeof backref === 'string') add(target.name, linkOf(tables, target, def, backref, reverseOf(rel, def.name)));
    }
  }
  return out;
}

/** The backref's side of a relationship: the same association table, no one-to-one flag. */
function reverseOf(rel: RelationshipSpec, target: string): RelationshipSpec {
  const { secondary, foreignKeys } = rel.options;
  return { ...rel, target, options: { secondary, foreignKeys } };
}

function linkOf(tables: ReadonlyMap<string, Table>, self: Definition, target: Definition, attr: string, rel: RelationshipSpec): RelationLink | null {
  const mine = tables.get(self.tableName);
  const theirs = tables.get(target.tableName);
  if (!mine || !theirs) return null;
  const o = rel.options;
  const secondaryName = typeof o.secondary === 'string' ? o.secondary : o.secondary?.tableName;
  if (secondaryName) {
    const secondary = tables.get(secondaryName);
    const toSelf = secondary?.foreignKeys.find((fk) => fk.refTable === mine.name);
    const toTarget = secondary?.foreignKeys.find((fk) => fk.refTable === theirs.name && fk !== toSelf);
    if (!secondary || !toSelf || !toTarget) return null;
    return { attr, target: target.name, returns: 'many', on: [], through: { table: secondary.name, toSelf, toTarget } };
  }
  const wanted = wantedColumns(o.foreignKeys);
  const fits = (fk: ForeignKey): boolean => !wanted || fk.columns.every((c) => wanted.includes(c));
  const toSelf = theirs.foreignKeys.find((fk) => fk.refTable === mine.name && fits(fk));
  if (toSelf) {
    const on = toSelf.columns.map((c, i) => [c, toSelf.refColumns[i]] as const);
    return { attr, target: target.name, returns: o.uselist === false ? 'one' : 'many', on };
  }
  const toTarget = mine.foreignKeys.find((fk) => fk.refTable === theirs.name && fits(fk));
  if (!toTarget) return null;
  return { attr, target: target.name, returns: 'one', on: toTarget.refColumns.map((c, i) => [c, toTarget.columns[i]] as const) };
}

function wantedColumns(foreignKeys: string | readonly string[] | undefined): string[] | null {
  if (foreignKeys === undefined) return null;
  const list = typeof foreignKeys === 'string' ? [foreignKeys] : [...foreignKeys];
  return list.map((item) => item.split('.').pop()!);
}
