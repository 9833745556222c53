/**
 * Relationships inferred from foreign keys, SQLAlchemy style, both sides with backPopulates:
 * - many-to-one on the child (`track.album`) and one-to-many on the parent (`album.tracks`);
 * - one-to-one when the child's foreign key columns are unique (the parent side has
 *   `uselist: false`);
 * - many-to-many through an association table (`secondary`).
 * `foreignKeys` is said only where several foreign keys link the same two tables (the model
 * compiler would refuse to guess). None of these changes what the models compile to: uselist
 * false only where the columns are already unique, and no cascade.
 */
import type { ForeignKey, Table } from '../schema/types';
import { lit } from '../render/literal';
import { camelCase, pascalCase, plural, uniqueName, words } from './names';
import { declaredForeignKeys } from './column';
import type { TablePlan } from './plan';

export interface InferredRelationship {
  readonly attr: string;
  /** The target model's name. */
  readonly target: string;
  /** Option entries as source: [['backPopulates', "'tracks'"], ...]. */
  readonly options: readonly (readonly [string, string])[];
  /** The foreign key it goes through: the child table and its columns (absent: through an association table). */
  readonly via?: Via;
}

/** A foreign key as a relationship names it: `table` absent where its `foreignKeys` gave bare columns. */
export interface Via {
  readonly table?: string;
  readonly columns: readonly string[];
}

interface Side {
  readonly attr: string;
  readonly plan: TablePlan;
}

/** A relationship another model file declares (src/app/pull-files.ts declaredRelationships). */
export interface DeclaredSide {
  readonly table: string;
  readonly attr: string;
  readonly target: string;
  readonly backPopulates?: string;
  /** Its `foreignKeys` option (absent when it has none). */
  readonly via?: Via;
}

/**
 * The written tables' relationships to a table another model file declares, renamed after what
 * that file says (its relationship's `backPopulates` names this side, and this side's names
 * it): a pull of one table after relationships were renamed by hand still compiles. Where
 * several link the two models, each pairs by the foreign key columns both sides name.
 */
/**
 * The declared side that `r` pairs with among `theirs` (the other model's relationships to this
 * one), or undefined: the only one each way; else, where several link the two models, the one
 * whose `foreignKeys` names the same columns, when exactly one each way does.
 */
function pairOf(r: InferredRelationship, mine: readonly InferredRelationship[], theirs: readonly DeclaredSide[]): DeclaredSide | undefined {
  if (mine.length === 1 && theirs.length === 1) return theirs[0];
  if (r.via === undefined) return undefined;
  const same = (via: Via | undefined) => via !== undefined && sameSet(via.columns, r.via!.columns) && (via.table === undefined || r.via!.table === undefined || via.table === r.via!.table);
  const found = theirs.filter((d) => same(d.via));
  return found.length === 1 && mine.filter((x) => same(x.via)).length === 1 ? found[0] : undefined;
}

export function followDeclared(
  inferred: Map<string, InferredRelationship[]>,
  plans: ReadonlyMap<string, TablePlan>,
  written: ReadonlySet<string>,
  declared: readonly DeclaredSide[],
): Map<string, InferredRelationship[]> {
  if (!declared.length) return inferred;
  const byModel = new Map([...plans.values()].map((p) => [p.modelName, p]));
  const out = new Map(inferred);
  for (const table of written) {
    const own = plans.get(table);
    const list = inferred.get(table);
    if (!own || !list) continue;
    out.set(
      table,
      list.map((r) => {
        const other = byModel.get(r.target);
        if (!other || written.has(other.table.name)) return r;
        const mine = list.filter((x) => x.target === r.target);
        const theirs = declared.filter((d) => d.table === other.table.name && d.target === own.modelName);
        const pair = pairOf(r, mine, theirs);
        if (pair?.backPopulates === undefined) return r;
        const options = r.options.map(([k, v]): [string, string] => (k === 'backPopulates' ? [k, lit(pair.attr)] : [k, v]));
        return { ...r, attr: pair.backPopulates, options };
      }),
    );
  }
  return out;
}

/** Relationship attributes per table name, in a deterministic order. */
export function inferRelationships(plans: ReadonlyMap<string, TablePlan>): Map<string, InferredRelationship[]> {
  const out = new Map<string, InferredRelationship[]>();
  const taken = new Map<string, Set<string>>();
  for (const plan of plans.values()) {
    out.set(plan.table.name, []);
    taken.set(plan.table.name, new Set(plan.table.columns.map((c) => c.name)));
  }
  const isModel = (name: string) => plans.get(name)?.kind === 'model';
  const add = (side: Side, target: TablePlan, options: [string, string][], via?: Via) =>
    out.get(side.plan.table.name)!.push({ attr: side.attr, target: target.modelName, options, ...(via ? { via } : {}) });
  // A name Object.prototype has (`constructor`, `toString`) would be found on every model's relationships.
  const attr = (table: string, wanted: string) => uniqueName(wanted in Object.prototype ? `${wanted}Rel` : wanted, taken.get(table)!);

  for (const plan of plans.values()) {
    const t = plan.table;
    if (plan.kind === 'association') {
      const [a, b] = t.foreignKeys.map((fk) => plans.get(fk.refTable)!);
      if (a.kind !== 'model' || b.kind !== 'model') continue;
      const onA: Side = { plan: a, attr: attr(a.table.name, plural(camelCase(b.modelName))) };
      const onB: Side = { plan: b, attr: attr(b.table.name, plural(camelCase(a.modelName))) };
      add(onA, b, [['secondary', lit(t.name)], ['backPopulates', lit(onB.attr)]]);
      add(onB, a, [['secondary', lit(t.name)], ['backPopulates', lit(onA.attr)]]);
      continue;
    }
    if (plan.kind !== 'model') continue;
    for (const fk of declaredForeignKeys(t)) {
      // A loose foreign key's target is no key: no row, or several, to relate to.
      if (fk.loose || !isModel(fk.refTable)) continue;
      const parent = plans.get(fk.refTable)!;
      const ambiguous = linksBetween(t, parent.table) > 1;
      const oneToOne = isUnique(t, fk.columns);
      const childAttr = attr(t.name, manyToOneName(fk, parent));
      const many = ambiguous && fromTo(t, parent.table) > 1 ? `${plural(camelCase(plan.modelName))}By${fk.columns.map(pascalCase).join('')}` : plural(camelCase(plan.modelName));
      const parentAttr = attr(parent.table.name, oneToOne ? camelCase(plan.modelName) : many);
      const which: [string, string][] = ambiguous ? [['foreignKeys', foreignKeysOption(t.name, fk)]] : [];
      add({ plan, attr: childAttr }, parent, [['backPopulates', lit(parentAttr)], ...which], { table: t.name, columns: fk.columns });
      add({ plan: parent, attr: parentAttr }, plan, [['backPopulates', lit(childAttr)], ...(oneToOne ? [['uselist', 'false'] as [string, string]] : []), ...which], { table: t.name, columns: fk.columns });
    }
  }
  return out;
}

/** `album_id` / `AlbumId` -> `album`; a column without an id suffix: `reportsTo` + the target (`reportsToEmployee`). */
function manyToOneName(fk: ForeignKey, parent: TablePlan): string {
  if (fk.columns.length === 1) {
    const parts = words(fk.columns[0]);
    if (parts.length > 1 && /^id$/i.test(parts[parts.length - 1])) return camelCase(parts.slice(0, -1).join(' '));
    return `${camelCase(fk.columns[0])}${parent.modelName}`;
  }
  return camelCase(parent.modelName);
}

const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x) => b.includes(x));

function isUnique(t: Table, columns: readonly string[]): boolean {
  return sameSet(t.primaryKey?.columns ?? [], columns) || t.uniques.some((u) => sameSet(u.columns, columns));
}

function fromTo(a: Table, b: Table): number {
  return a.foreignKeys.filter((fk) => fk.refTable === b.name).length;
}

/** Foreign keys linking the two tables, both directions (a self-reference counts once). */
function linksBetween(a: Table, b: Table): number {
  return a === b ? fromTo(a, a) : fromTo(a, b) + fromTo(b, a);
}

/** `'track.AlbumId'`, or a list for a composite key. */
function foreignKeysOption(table: string, fk: ForeignKey): string {
  const qualified = fk.columns.map((c) => lit(`${table}.${c}`));
  return qualified.length === 1 ? qualified[0] : `[${qualified.join(', ')}]`;
}
