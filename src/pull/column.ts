/**
 * A column as a builder chain (`Integer().notNull().references('artist.id')`), and which of the
 * table's keys, indexes and foreign keys are said on a column rather than in the options.
 * Names are written only where they differ from kiln's naming convention (src/schema/naming).
 */
import { lit, litValue } from '../render/literal';
import { foreignKeyName, indexName, primaryKeyName, uniqueName } from '../schema/naming';
import { NARROW_INTEGERS, type Column, type ForeignKey, type Index, type Table, type Unique } from '../schema/types';
import { typeCall } from './column-type';
import { modelTypeName } from '../schema/qualified';
import { optionSource } from './sequences';

export interface Placement {
  /** Every key column marked `.primaryKey()` (else the key is in the options). */
  readonly keyOnColumns: boolean;
  readonly unique: ReadonlyMap<string, Unique>;
  readonly index: ReadonlyMap<string, Index>;
  readonly foreignKey: ReadonlyMap<string, ForeignKey>;
  /** In the options: multi-column or second uniques, indexes that are not one plain column. */
  readonly uniques: readonly Unique[];
  readonly indexes: readonly Index[];
  /** In the options: foreign keys of several columns, or a second one on a column. */
  readonly foreignKeys: readonly ForeignKey[];
}

const plainIndex = (i: Index) =>
  i.columns.length === 1 && i.expression === undefined && i.where === undefined && i.order === undefined && i.method === undefined && i.include === undefined;

const placements = new WeakMap<Table, Placement>();

/** Memoised per table object (the renderer asks several times). */
export function placeConstraints(t: Table): Placement {
  let p = placements.get(t);
  if (!p) placements.set(t, (p = place(t)));
  return p;
}

function place(t: Table): Placement {
  const pk = t.primaryKey;
  const names = t.columns.map((c) => c.name);
  const inOrder = pk !== null && pk.columns.every((c, i) => i === 0 || names.indexOf(c) > names.indexOf(pk.columns[i - 1]));
  const keyOnColumns = pk !== null && inOrder && pk.name === primaryKeyName(t.name);
  const unique = new Map<string, Unique>();
  const uniques: Unique[] = [];
  for (const u of t.uniques) {
    if (u.columns.length === 1 && !unique.has(u.columns[0])) unique.set(u.columns[0], u);
    else uniques.push(u);
  }
  const index = new Map<string, Index>();
  const indexes: Index[] = [];
  for (const i of t.indexes) {
    if (plainIndex(i) && !index.has(i.columns[0]) && !unique.has(i.columns[0])) index.set(i.columns[0], i);
    else indexes.push(i);
  }
  const foreignKey = new Map<string, ForeignKey>();
  const foreignKeys: ForeignKey[] = [];
  for (const fk of t.foreignKeys) {
    if (fk.columns.length === 1 && !foreignKey.has(fk.columns[0])) foreignKey.set(fk.columns[0], fk);
    else foreignKeys.push(fk);
  }
  return { keyOnColumns, unique, index, foreignKey, uniques, indexes, foreignKeys };
}

/** The foreign keys the generated model declares (one column each), in the table's order. */
export function declaredForeignKeys(t: Table): ForeignKey[] {
  return [...placeConstraints(t).foreignKey.values()];
}

export interface ColumnSource {
  readonly source: string;
  readonly imports: readonly string[];
}

/** `unsignedByDefault`: the dialect makes this column unsigned where the model says nothing. */
export function columnSource(t: Table, c: Column, p: Placement, unsignedByDefault = false, defaultSchema = 'public'): ColumnSource {
  // An enum type as the model says it: bare in the table's schema, else with its schema (`shared.mood`).
  const type = typeCall(c.enum?.name ? { ...c, enum: { ...c.enum, name: modelTypeName(c.enum.name, t.name, defaultSchema) } } : c);
  const inKey = t.primaryKey?.columns.includes(c.name) ?? false;
  const calls = [
    ...(inKey && p.keyOnColumns ? ['primaryKey()'] : []),
    ...keyCalls(t, c, inKey),
    ...(c.unsigned === unsignedByDefault ? [] : [c.unsigned ? 'unsigned()' : 'unsigned(false)']),
    ...(!c.nullable && !inKey ? ['notNull()'] : []),
    ...defaultCalls(c),
    ...uniqueCalls(t, p.unique.get(c.name)),
    ...indexCalls(t, p.index.get(c.name)),
    ...referenceCalls(t, p.foreignKey.get(c.name)),
    ...issueElevenCalls(c),
  ];
  return { source: [type.call, ...calls].join('.'), imports: type.imports };
}

/**
 * A lone Integer/BigInteger key auto-increments unless told otherwise, a lone SmallInteger,
 * TinyInteger or MediumInteger key only when told (the model compiler's rule); identity says which kind, and implies it.
 */
function keyCalls(t: Table, c: Column, inKey: boolean): string[] {
  const lone = inKey && t.primaryKey!.columns.length === 1;
  if (c.identity !== undefined) {
    const options = [...(c.identity === 'always' ? ['always: true'] : []), ...Object.entries(c.identityOptions ?? {}).map(([k, v]) => `${k}: ${optionSource(v)}`)];
    return [options.length ? `identity({ ${options.join(', ')} })` : 'identity()'];
  }
  if (lone && NARROW_INTEGERS.has(c.type)) return c.autoIncrement ? ['autoIncrement()'] : [];
  return lone && !c.autoIncrement && (c.type === 'integer' || c.type === 'bigint') ? ['autoIncrement(false)'] : [];
}

function defaultCalls(c: Column): string[] {
  if (c.default === null) return [];
  return c.default.kind === 'literal' ? [`default(${litValue(c.default.value)})`] : [`defaultRaw(${lit(c.default.sql)})`];
}

function uniqueCalls(t: Table, u: Unique | undefined): string[] {
  if (!u) return [];
  return [u.name === uniqueName(t.name, u.columns) ? 'unique()' : `unique(${lit(u.name)})`];
}

function indexCalls(t: Table, i: Index | undefined): string[] {
  if (!i) return [];
  return [i.name === indexName(t.name, i.columns) ? 'index()' : `index(${lit(i.name)})`];
}

function referenceCalls(t: Table, fk: ForeignKey | undefined): string[] {
  if (!fk) return [];
  const options: string[] = [];
  if (fk.onDelete !== 'NO ACTION') options.push(`onDelete: ${lit(fk.onDelete)}`);
  if (fk.onUpdate !== 'NO ACTION') options.push(`onUpdate: ${lit(fk.onUpdate)}`);
  if (fk.name !== foreignKeyName(t.name, fk.columns)) options.push(`name: ${lit(fk.name)}`);
  if (fk.loose) options.push('loose: true');
  if (fk.external) options.push('external: true');
  const target = lit(`${fk.refTable}.${fk.refColumns[0]}`);
  return [options.length ? `references(${target}, { ${options.join(', ')} })` : `references(${target})`];
}

const COLLATABLE = new Set(['string', 'text', 'char', 'enum', 'custom']);

/** Comments, computed columns and collations (issue 11's builder methods). */
function issueElevenCalls(c: Column): string[] {
  const out: string[] = [];
  if (c.generated) out.push(c.generated.stored ? `computed(${lit(c.generated.expression)})` : `computed(${lit(c.generated.expression)}, { stored: false })`);
  if (c.comment !== undefined) out.push(`comment(${lit(c.comment)})`);
  // A collation the model language can say (an array's stays unsaid: kiln keeps it anyway).
  if (c.collation && COLLATABLE.has(c.type) && /^[A-Za-z0-9_.@-]{1,63}$/.test(c.collation)) out.push(`collate(${lit(c.collation)})`);
  return out;
}
