/**
 * The options argument of `model()`/`table()`: tableName, primaryKey, indexes, uniques,
 * checks, foreignKeys, comment, relationships. Each concern is one small function returning an entry.
 */
import { lit, litList } from '../render/literal';
import { foreignKeyName, indexName, primaryKeyName, uniqueName } from '../schema/naming';
import type { Check, ForeignKey, Index, Table, Unique } from '../schema/types';
import type { Placement } from './column';
import { propertyKey } from './names';
import type { TablePlan } from './plan';
import type { InferredRelationship } from './relationships';

export type Entry = readonly [key: string, source: string];

const WIDTH = 110;

/** `{ a: 1, b: 2 }` when it fits on a line, else one entry per line; `indent` is the brace's. */
export function objectSource(entries: readonly Entry[], indent: string): string {
  if (entries.length === 0) return '{}';
  const inline = `{ ${entries.map(([k, v]) => `${k}: ${v}`).join(', ')} }`;
  if (!inline.includes('\n') && inline.length + indent.length <= WIDTH) return inline;
  return `{\n${entries.map(([k, v]) => `${indent}  ${k}: ${v},\n`).join('')}${indent}}`;
}

/** `[a, b]` on a line when it fits, else one item per line. */
export function arraySource(items: readonly string[], indent: string): string {
  const inline = `[${items.join(', ')}]`;
  if (!inline.includes('\n') && inline.length + indent.length <= WIDTH) return inline;
  return `[\n${items.map((i) => `${indent}  ${i},\n`).join('')}${indent}]`;
}

export function tableOptions(plan: TablePlan, p: Placement, relationships: readonly InferredRelationship[], indent: string): Entry[] {
  const t = plan.table;
  const inner = `${indent}  `;
  return [
    ...(plan.tableName !== null ? [['tableName', lit(plan.tableName)] as const] : []),
    ...(plan.schema !== null ? [['schema', lit(plan.schema)] as const] : []),
    ...primaryKeyEntry(t, p),
    ...listEntry('indexes', p.indexes.map((i) => objectSource(indexEntries(t, i), `${inner}  `)), inner),
    ...listEntry('uniques', p.uniques.map((u) => objectSource(uniqueEntries(t, u), `${inner}  `)), inner),
    ...listEntry('checks', (t.checks ?? []).map((c) => objectSource(checkEntries(c), `${inner}  `)), inner),
    ...listEntry('foreignKeys', p.foreignKeys.map((fk) => objectSource(foreignKeyEntries(t, fk), `${inner}  `)), inner),
    ...(t.comment !== undefined ? [['comment', lit(t.comment)] as const] : []),
    ...relationshipsEntry(relationships, inner),
  ];
}

function listEntry(key: string, items: readonly string[], indent: string): Entry[] {
  return items.length ? [[key, arraySource(items, indent)]] : [];
}

function primaryKeyEntry(t: Table, p: Placement): Entry[] {
  const pk = t.primaryKey;
  if (pk === null || p.keyOnColumns) return [];
  if (pk.name === primaryKeyName(t.name)) return [['primaryKey', litList(pk.columns)]];
  return [['primaryKey', `{ columns: ${litList(pk.columns)}, name: ${lit(pk.name)} }`]];
}

function indexEntries(t: Table, i: Index): Entry[] {
  const key: Entry = i.expression !== undefined ? ['on', lit(i.expression)] : ['columns', litList(i.columns)];
  return [
    key,
    ...(i.order !== undefined ? [['order', litList(i.order)] as const] : []),
    ...(i.where !== undefined ? [['where', lit(i.where)] as const] : []),
    ...(i.method !== undefined ? [['method', lit(i.method)] as const] : []),
    ...(i.include !== undefined ? [['include', litList(i.include)] as const] : []),
    // A unique index a plain unique rule cannot say (key order, a predicate, ...): `unique: true`.
    ...(i.unique ? [['unique', 'true'] as const] : []),
    ...(i.expression !== undefined || i.name !== (i.unique ? uniqueName(t.name, i.columns) : indexName(t.name, i.columns)) ? [['name', lit(i.name)] as const] : []),
  ];
}

function uniqueEntries(t: Table, u: Unique): Entry[] {
  return [['columns', litList(u.columns)], ...(u.name !== uniqueName(t.name, u.columns) ? [['name', lit(u.name)] as const] : [])];
}

function foreignKeyEntries(t: Table, fk: ForeignKey): Entry[] {
  return [
    ['columns', litList(fk.columns)],
    ['references', litList(fk.refColumns.map((c) => `${fk.refTable}.${c}`))],
    ...(fk.onDelete !== 'NO ACTION' ? [['onDelete', lit(fk.onDelete)] as const] : []),
    ...(fk.onUpdate !== 'NO ACTION' ? [['onUpdate', lit(fk.onUpdate)] as const] : []),
    ...(fk.name !== foreignKeyName(t.name, fk.columns) ? [['name', lit(fk.name)] as const] : []),
    ...(fk.loose ? [['loose', 'true'] as const] : []),
    ...(fk.external ? [['external', 'true'] as const] : []),
  ];
}

function checkEntries(c: Check): Entry[] {
  return [['expression', lit(c.expression)], ['name', lit(c.name)]];
}

function relationshipsEntry(relationships: readonly InferredRelationship[], indent: string): Entry[] {
  if (relationships.length === 0) return [];
  const entries = relationships.map((r): Entry => {
    const options = r.options.length ? `, ${objectSource(r.options, `${indent}  `)}` : '';
    return [propertyKey(r.attr), `relationship(${lit(r.target)}${options})`];
  });
  return [['relationships', objectSource(entries, indent)]];
}
