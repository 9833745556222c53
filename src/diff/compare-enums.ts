import type { EnumUse } from '../ops/types';
import type { Column, Table } from '../schema/types';
import { tag, type Tagged } from './order';

/** Before the tables and columns that use a type (after the renames); dropped after everything. */
export const ENUM_PHASE = { alter: 3.5, drop: 9 } as const;

interface NamedEnum {
  readonly values: readonly string[];
  readonly uses: EnumUse[];
  readonly columns: Column[];
}

function namedEnums(tables: readonly Table[]): Map<string, NamedEnum> {
  const out = new Map<string, NamedEnum>();
  for (const t of tables) {
    for (const c of t.columns) {
      if (!c.enum?.name) continue;
      const found = out.get(c.enum.name) ?? { values: c.enum.values, uses: [], columns: [] };
      found.uses.push({ table: t.name, column: c.name, default: c.default });
      found.columns.push(c);
      out.set(c.enum.name, found);
    }
  }
  return out;
}

/** Whether `to` keeps every value of `from` in the same order (only insertions). */
function onlyAdds(from: readonly string[], to: readonly string[]): boolean {
  let i = 0;
  for (const v of to) if (v === from[i]) i++;
  return i === from.length;
}

/**
 * The named enum types (PostgreSQL; other projections name none) that appear, go or change
 * between the database's tables (`views`: after renames) and the models'. A change that only
 * inserts values is done in place, unless a model default uses a new value (PostgreSQL cannot
 * use a value added in the same transaction): then, like any removal or reordering, the type is
 * swapped for a new one in every column that uses it. Renamed values (`renamedValues`, per
 * type) are renamed in place first; the method is chosen for the values as renamed.
 */
export function compareEnums(
  views: readonly Table[],
  to: readonly Table[],
  renamedValues: ReadonlyMap<string, ReadonlyMap<string, string>> = new Map(),
): Tagged[] {
  const before = namedEnums(views);
  const after = namedEnums(to);
  const out: Tagged[] = [];
  for (const [name, e] of after) {
    const old = before.get(name);
    if (!old) {
      out.push(tag({ kind: 'createEnumType', name, values: e.values }, ENUM_PHASE.alter, name, 0));
      continue;
    }
    if (JSON.stringify(old.values) === JSON.stringify(e.values)) continue;
    const renames = [...(renamedValues.get(name) ?? [])];
    const renamed = old.values.map((v) => renamedValues.get(name)?.get(v) ?? v);
    const added = e.values.filter((v) => !renamed.includes(v));
    const usesNew = e.columns.some((c) => c.default?.kind === 'literal' && added.includes(String(c.default.value)));
    const method = onlyAdds(renamed, e.values) && !usesNew ? 'add' : 'swap';
    const op = { kind: 'alterEnumType', name, from: old.values, to: e.values, columns: old.uses, method, ...(renames.length ? { renamedValues: renames } : {}) } as const;
    out.push(tag(op, ENUM_PHASE.alter, name, 1));
  }
  for (const [name, e] of before) {
    if (!after.has(name)) out.push(tag({ kind: 'dropEnumType', name, values: e.values }, ENUM_PHASE.drop, name, 0));
  }
  return out;
}
