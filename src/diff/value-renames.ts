import type { Column, Table } from '../schema/types';
import { resolveValueRenames, type RenameResolver } from './renames';

/** Confirmed enum value renames: per named type, and per column of a table (its own list). */
export interface ValueRenames {
  /** type name -> (old value -> new value) */
  readonly types: ReadonlyMap<string, ReadonlyMap<string, string>>;
  /** models' table name -> column name -> (old value -> new value) */
  readonly columns: ReadonlyMap<string, ReadonlyMap<string, ReadonlyMap<string, string>>>;
}

const removedAdded = (from: readonly string[], to: readonly string[]) =>
  [from.filter((v) => !to.includes(v)), to.filter((v) => !from.includes(v))] as const;

/** Every named type with its values (the first column's) and its columns as `table.column`. */
function namedTypes(tables: readonly Table[]): Map<string, { values: readonly string[]; columns: string[] }> {
  const out = new Map<string, { values: readonly string[]; columns: string[] }>();
  for (const t of tables) {
    for (const c of t.columns) {
      if (!c.enum?.name) continue;
      const found = out.get(c.enum.name) ?? { values: c.enum.values, columns: [] };
      found.columns.push(`${t.name}.${c.name}`);
      out.set(c.enum.name, found);
    }
  }
  return out;
}

/**
 * Asks the resolver about each enum that loses values and gains others: a named type (kept
 * under its name) or an unnamed enum column (kept under its name, after the table and column
 * renames: `views` are the database's tables as the renames leave them).
 */
export async function resolveEnumValueRenames(views: readonly Table[], to: readonly Table[], resolver: RenameResolver): Promise<ValueRenames> {
  const types = new Map<string, Map<string, string>>();
  const before = namedTypes(views);
  for (const [name, after] of namedTypes(to)) {
    const old = before.get(name);
    if (!old) continue;
    const [removed, added] = removedAdded(old.values, after.values);
    if (!removed.length || !added.length) continue;
    const found = await resolveValueRenames({ type: name, columns: after.columns }, removed, added, resolver);
    if (found.size) types.set(name, found);
  }
  const columns = new Map<string, Map<string, Map<string, string>>>();
  const viewByName = new Map(views.map((t) => [t.name, t]));
  for (const t of to) {
    const view = viewByName.get(t.name);
    for (const c of t.columns) {
      const old = view?.columns.find((x) => x.name === c.name);
      if (!old?.enum || !c.enum || old.enum.name || c.enum.name) continue;
      const [removed, added] = removedAdded(old.enum.values, c.enum.values);
      if (!removed.length || !added.length) continue;
      const found = await resolveValueRenames({ type: null, columns: [`${t.name}.${c.name}`] }, removed, added, resolver);
      if (found.size) columns.set(t.name, (columns.get(t.name) ?? new Map<string, Map<string, string>>()).set(c.name, found));
    }
  }
  return { types, columns };
}

/**
 * A database table with the defaults of its named-enum columns renamed as their type's values
 * are: PostgreSQL's RENAME VALUE carries a default along, so that is no column change.
 */
export function withRenamedDefaults(table: Table, renames: ValueRenames): Table {
  if (!renames.types.size) return table;
  const mapped = (c: Column): Column => {
    const map = c.enum?.name ? renames.types.get(c.enum.name) : undefined;
    if (!map || c.default?.kind !== 'literal') return c;
    const value = map.get(String(c.default.value));
    return value === undefined ? c : { ...c, default: { kind: 'literal', value } };
  };
  return { ...table, columns: table.columns.map(mapped) };
}
