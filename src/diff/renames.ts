import { KilnError } from '../errors';
import type { Column, Table } from '../schema/types';

/**
 * Asked by the diff when something disappeared and something else appeared: was it a rename?
 * Table names: `from` is the database's, `to` the models'. For columns, `table` is the
 * models' name of the table (after any table rename).
 */
export interface RenameResolver {
  confirmTableRename(from: string, to: string): Promise<boolean>;
  confirmColumnRename(table: string, from: string, to: string): Promise<boolean>;
}

/** Nothing is a rename: a removed + added pair stays a drop and an add. */
export const NO_RENAMES: RenameResolver = {
  confirmTableRename: async () => false,
  confirmColumnRename: async () => false,
};

/** Renames as data (`--rename` flags, the diff's confirmed answers, the planners' views). */
export interface Renames {
  /** old table name -> new table name */
  readonly tables: ReadonlyMap<string, string>;
  /** models' (new) table name -> (old column name -> new column name) */
  readonly columns: ReadonlyMap<string, ReadonlyMap<string, string>>;
}

/** A resolver that also says which of the renames it was given never matched anything. */
export interface FixedRenames extends RenameResolver {
  /** The renames (as `old=new` / `table.old=new`) the diff never confirmed: a typo, or no such change. */
  unmatched(): string[];
}

/** A resolver that answers yes exactly for the renames in the map (CI, `--rename`). */
export function fixedRenames(map: Renames): FixedRenames {
  const confirmed = new Set<string>();
  const yes = (key: string, ok: boolean) => (ok && confirmed.add(key), ok);
  return {
    confirmTableRename: async (from, to) => yes(`${from}=${to}`, map.tables.get(from) === to),
    confirmColumnRename: async (table, from, to) => yes(`${table}.${from}=${to}`, map.columns.get(table)?.get(from) === to),
    unmatched: () => [
      ...[...map.tables].map(([from, to]) => `${from}=${to}`),
      ...[...map.columns].flatMap(([table, cols]) => [...cols].map(([from, to]) => `${table}.${from}=${to}`)),
    ].filter((key) => !confirmed.has(key)),
  };
}

/** A name in a --rename: no '.' or '=', no space at either end (inside, as in 'old name', it may). */
const NAME = /^[^\s.=](?:[^.=]*[^\s.=])?$/;

/**
 * `--rename` values: `oldtable=newtable` renames a table; `table.oldcol=newcol` (or
 * `table.oldcol=table.newcol`) renames a column of `table` (the models' name of the table).
 */
export function parseRenameFlags(values: readonly string[]): Renames {
  const tables = new Map<string, string>();
  const columns = new Map<string, Map<string, string>>();
  for (const value of values) {
    const [left, right, ...rest] = value.split('=');
    if (right === undefined || rest.length) throw badRename(value, 'expected exactly one "="');
    const l = left.trim().split('.');
    const r = right.trim().split('.');
    if (![...l, ...r].every((part) => NAME.test(part))) throw badRename(value, 'names must be non-empty, without "=" or "." or a space at either end');
    if (l.length === 1 && r.length === 1) {
      put(tables, l[0], r[0], value);
    } else if (l.length === 2 && (r.length === 1 || (r.length === 2 && r[0] === l[0]))) {
      const perTable = columns.get(l[0]) ?? new Map<string, string>();
      columns.set(l[0], perTable);
      put(perTable, l[1], r[r.length - 1], value);
    } else {
      throw badRename(value, 'use old=new for a table or table.old=new for a column');
    }
  }
  return { tables, columns };
}

function put(map: Map<string, string>, from: string, to: string, value: string): void {
  if (from === to) throw badRename(value, 'old and new names are the same');
  const known = map.get(from);
  if (known !== undefined && known !== to) throw badRename(value, `'${from}' is already renamed to '${known}'`);
  if ([...map].some(([f, t]) => t === to && f !== from)) throw badRename(value, `two renames end at '${to}'`);
  map.set(from, to);
}

function badRename(value: string, why: string): KilnError {
  return new KilnError('BAD_ARGUMENT', `invalid --rename '${value}': ${why}`, {
    hint: 'examples: --rename post=article, --rename post.title=headline',
  });
}

/** Pairs removed tables with added ones the resolver confirms; old name -> new name. */
export async function resolveTableRenames(
  removed: readonly Table[],
  added: readonly Table[],
  resolver: RenameResolver,
): Promise<Map<string, string>> {
  const renames = new Map<string, string>();
  const taken = new Set<string>();
  for (const old of removed) {
    for (const candidate of added) {
      if (taken.has(candidate.name)) continue;
      if (await resolver.confirmTableRename(old.name, candidate.name)) {
        renames.set(old.name, candidate.name);
        taken.add(candidate.name);
        break;
      }
    }
  }
  return renames;
}

/**
 * Pairs a table's removed columns with its added ones the resolver confirms (candidates of
 * the same type asked first); old name -> new name.
 */
export async function resolveColumnRenames(
  table: string,
  removed: readonly Column[],
  added: readonly Column[],
  resolver: RenameResolver,
): Promise<Map<string, string>> {
  const renames = new Map<string, string>();
  const taken = new Set<string>();
  for (const old of removed) {
    const candidates = [...added.filter((c) => c.type === old.type), ...added.filter((c) => c.type !== old.type)];
    for (const candidate of candidates) {
      if (taken.has(candidate.name)) continue;
      if (await resolver.confirmColumnRename(table, old.name, candidate.name)) {
        renames.set(old.name, candidate.name);
        taken.add(candidate.name);
        break;
      }
    }
  }
  return renames;
}
