import { dialectOf } from '../dialect/registry';
import type { DialectName } from '../dialect/types';
import type { OperationOf } from '../ops/types';
import type { ForeignKey, Index, PrimaryKey, Unique } from '../schema/types';
import { lit, litList } from './literal';
import { alterTable } from './block';
import { isPlainIndex, renderCreateIndexRaw } from './extras';

/**
 * `t.primary(cols, name)`: the name as a plain string. knex 3.3's `{ constraintName }` object
 * form is rendered as "constraint `x` as `constraintName`" by its SQLite and MySQL CREATE TABLE
 * compilers (a syntax error), the string form works on all three.
 */
export function renderPrimaryKey(pk: PrimaryKey): string {
  return `t.primary(${litList(pk.columns)}, ${lit(pk.name)})`;
}

export function renderUnique(u: Unique): string {
  return `t.unique(${litList(u.columns)}, { indexName: ${lit(u.name)}${u.indexOnly ? ', useConstraint: false' : ''} })`;
}

export function renderIndex(i: Index): string {
  return `t.index(${litList(i.columns)}, ${lit(i.name)})`;
}

export function renderForeignKey(fk: ForeignKey): string {
  let s = `t.foreign(${litList(fk.columns)}, ${lit(fk.name)}).references(${litList(fk.refColumns)}).inTable(${lit(fk.refTable)})`;
  if (fk.onDelete !== 'NO ACTION') s += `.onDelete(${lit(fk.onDelete)})`;
  if (fk.onUpdate !== 'NO ACTION') s += `.onUpdate(${lit(fk.onUpdate)})`;
  return s;
}

/**
 * Refuses an op the database cannot do in place (SQLite's ALTER TABLE): the planner must have
 * turned it into a rebuildTable, so reaching here is a kiln bug.
 */
export function inPlace(op: { readonly kind: string; readonly table: string }, dialect: DialectName): void {
  const d = dialectOf(dialect);
  if (d.generation.render.alterInPlace) return;
  throw new Error(`cannot render '${op.kind}' on '${op.table}' for ${d.label}: ${d.label} cannot do it in place, the planner must turn it into rebuildTable`);
}

export function renderAddIndex(op: OperationOf<'addIndex'>): string {
  return isPlainIndex(op.index) ? alterTable(op.table, [renderIndex(op.index)]) : renderCreateIndexRaw(op.table, op.index);
}

export function renderDropIndex(op: OperationOf<'dropIndex'>): string {
  return alterTable(op.table, [`t.dropIndex(${litList(op.index.columns)}, ${lit(op.index.name)})`]);
}

export function renderAddUnique(op: OperationOf<'addUnique'>): string {
  return alterTable(op.table, [renderUnique(op.unique)]);
}

export function renderDropUnique(op: OperationOf<'dropUnique'>): string {
  return alterTable(op.table, [`t.${op.unique.indexOnly ? 'dropIndex' : 'dropUnique'}(${litList(op.unique.columns)}, ${lit(op.unique.name)})`]);
}

export function renderAddForeignKey(op: OperationOf<'addForeignKey'>, dialect: DialectName): string {
  inPlace(op, dialect);
  return alterTable(op.table, [renderForeignKey(op.foreignKey)]);
}

export function renderDropForeignKey(op: OperationOf<'dropForeignKey'>, dialect: DialectName): string {
  inPlace(op, dialect);
  const fk = op.foreignKey;
  return alterTable(op.table, [`t.dropForeign(${litList(fk.columns)}, ${lit(fk.name)})`]);
}

export function renderAlterPrimaryKey(op: OperationOf<'alterPrimaryKey'>, dialect: DialectName): string {
  inPlace(op, dialect);
  const lines: string[] = [];
  if (op.from) lines.push(`t.dropPrimary(${lit(op.from.name)})`);
  if (op.to) lines.push(renderPrimaryKey(op.to));
  return alterTable(op.table, lines);
}
