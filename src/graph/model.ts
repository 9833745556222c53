import { KilnError } from '../errors';
import type { Column, ForeignKey, Schema, Table } from '../schema/types';

/**
 * The entity-relationship graph of a canonical Schema: what every drawing (Mermaid, DOT, SVG,
 * the HTML report) shows. Pure data, built from the Schema alone, so the models and the live
 * database draw the same way.
 */
export interface GraphColumn {
  readonly name: string;
  /** The type as a person reads it: `string(255)`, `integer`, `enum(a,b)`. */
  readonly type: string;
  readonly primaryKey: boolean;
  readonly foreignKey: boolean;
  readonly unique: boolean;
  readonly nullable: boolean;
}

export interface GraphTable {
  readonly name: string;
  readonly columns: readonly GraphColumn[];
  /** A many-to-many link table: two foreign keys and nothing but their columns (and its own key). */
  readonly association: boolean;
}

export type Cardinality = 'one-to-one' | 'many-to-one';

export interface GraphEdge {
  /** The table holding the foreign key. */
  readonly from: string;
  readonly columns: readonly string[];
  /** The referenced table. */
  readonly to: string;
  readonly refColumns: readonly string[];
  readonly name: string;
  /** one-to-one when the key's columns are unique (or the primary key) in `from`. */
  readonly cardinality: Cardinality;
  /** Every key column nullable: a `from` row may have no `to` row. */
  readonly optional: boolean;
  /** Set when `from` is an association table: the table at the other end of the many-to-many. */
  readonly manyToManyWith?: string;
}

export interface Graph {
  readonly tables: readonly GraphTable[];
  readonly edges: readonly GraphEdge[];
}

export function columnTypeText(c: Column): string {
  if (c.custom) return c.custom;
  if (c.enum) return `enum(${c.enum.values.join(',')})`;
  if (c.element) return `${c.element}[]`;
  if (c.length !== null) return `${c.type}(${c.length})`;
  if (c.precision !== undefined) return `${c.type}(${c.precision}${c.scale !== undefined ? `,${c.scale}` : ''})`;
  return c.type;
}

const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x) => b.includes(x));

function isUniqueKey(t: Table, columns: readonly string[]): boolean {
  if (t.primaryKey && sameSet(t.primaryKey.columns, columns)) return true;
  return t.uniques.some((u) => sameSet(u.columns, columns));
}

/** Two foreign keys to two tables, and every column is one of their columns or the table's own lone key. */
export function isAssociation(t: Table): boolean {
  if (t.foreignKeys.length !== 2) return false;
  const keyed = new Set(t.foreignKeys.flatMap((fk) => fk.columns));
  const ownKey = t.primaryKey && t.primaryKey.columns.length === 1 && !keyed.has(t.primaryKey.columns[0]) ? t.primaryKey.columns[0] : null;
  return t.columns.every((c) => keyed.has(c.name) || c.name === ownKey);
}

function edgeOf(t: Table, fk: ForeignKey, association: boolean): GraphEdge {
  const byName = new Map(t.columns.map((c) => [c.name, c]));
  const other = association ? t.foreignKeys.find((k) => k !== fk)?.refTable : undefined;
  return {
    from: t.name,
    columns: fk.columns,
    to: fk.refTable,
    refColumns: fk.refColumns,
    name: fk.name,
    cardinality: !association && isUniqueKey(t, fk.columns) ? 'one-to-one' : 'many-to-one',
    optional: fk.columns.every((c) => byName.get(c)?.nullable ?? false),
    ...(other !== undefined ? { manyToManyWith: other } : {}),
  };
}

function tableOf(t: Table, association: boolean): GraphTable {
  const pk = new Set(t.primaryKey?.columns ?? []);
  const fk = new Set(t.foreignKeys.flatMap((k) => k.columns));
  const unique = new Set(t.uniques.filter((u) => u.columns.length === 1).map((u) => u.columns[0]));
  return {
    name: t.name,
    association,
    columns: t.columns.map((c) => ({
      name: c.name,
      type: columnTypeText(c),
      primaryKey: pk.has(c.name),
      foreignKey: fk.has(c.name),
      unique: unique.has(c.name),
      nullable: c.nullable,
    })),
  };
}

/**
 * The graph of a schema; with `only`, those tables and the keys between them (an unknown name is
 * an error). `declared`: tables the models name as a relationship's `secondary`, drawn as
 * association tables even when they carry more columns than their two keys.
 */
export function buildGraph(schema: Schema, only?: readonly string[], declared: ReadonlySet<string> = new Set()): Graph {
  let tables = schema.tables;
  if (only && only.length) {
    const known = new Set(tables.map((t) => t.name));
    const unknown = only.filter((n) => !known.has(n));
    if (unknown.length) {
      throw new KilnError('BAD_ARGUMENT', `--tables: no table named ${unknown.map((n) => `'${n}'`).join(', ')}`, {
        hint: `known tables: ${[...known].slice(0, 20).join(', ')}${known.size > 20 ? ', ...' : ''}`,
      });
    }
    const wanted = new Set(only);
    tables = tables.filter((t) => wanted.has(t.name));
  }
  const present = new Set(tables.map((t) => t.name));
  const graphTables: GraphTable[] = [];
  const edges: GraphEdge[] = [];
  for (const t of tables) {
    const linked = isAssociation(t) || (declared.has(t.name) && t.foreignKeys.length === 2);
    const association = linked && t.foreignKeys.every((k) => present.has(k.refTable));
    graphTables.push(tableOf(t, association));
    for (const fk of t.foreignKeys) if (present.has(fk.refTable)) edges.push(edgeOf(t, fk, association));
  }
  return { tables: graphTables, edges };
}
