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
  /** An enum value removed and another added: was it renamed? (absent: never) */
  confirmValueRename?(subject: ValueSubject, from: string, to: string): Promise<boolean>;
}

/**
 * Whose enum values: a named type (PostgreSQL) and the columns that use it, or one column's
 * own list (MySQL/MariaDB ENUM, SQLite CHECK: `type` null). Columns as `table.column`, the
 * models' names.
 */
export interface ValueSubject {
  readonly type: string | null;
  readonly columns: readonly string[];
}

/** How a prompt names a subject: the type's name, else its column. */
export const subjectLabel = (s: ValueSubject) => s.type ?? s.columns[0] ?? '';

/** Nothing is a rename: a removed + added pair stays a drop and an add. */
export const NO_RENAMES: RenameResolver = {
  confirmTableRename: async () => false,
  confirmColumnRename: async () => false,
  confirmValueRename: async () => false,
};

/** Renames as data (`--rename` flags, the diff's confirmed answers, the planners' views). */
export interface Renames {
  /** old table name -> new table name */
  readonly tables: ReadonlyMap<string, string>;
  /** models' (new) table name -> (old column name -> new column name) */
  readonly columns: ReadonlyMap<string, ReadonlyMap<string, string>>;
  /**
   * Enum values: a subject (a named type, or `table.column` with the models' names) -> (old
   * value -> new value). Absent: none.
   */
  readonly values?: ReadonlyMap<string, ReadonlyMap<string, string>>;
}

/** A resolver that also says which of the renames it was given never matched anything. */
export interface FixedRenames extends RenameResolver {
  /** The renames (as `old=new` / `table.old=new` / `subject:old=new`) the diff never confirmed: a typo, or no such change. */
  unmatched(): string[];
}

/** A resolver that answers yes exactly for the renames in the map (CI, `--rename`). */
export function fixedRenames(map: Renames): FixedRenames {
  const confirmed = new Set<string>();
  const yes = (key: string, ok: boolean) => (ok && confirmed.add(key), ok);
  return {
    confirmTableRename: async (from, to) => yes(`${from}=${to}`, map.tables.get(from) === to),
    confirmColumnRename: async (table, from, to) => yes(`${table}.${from}=${to}`, map.columns.get(table)?.get(from) === to),
    // Said by the type's name or by any column of it: every flag that says it is used.
    confirmValueRename: async (subject, from, to) =>
      [...(subject.type === null ? [] : [subject.type]), ...subject.columns]
        .map((s) => yes(valueKey(s, from, to), map.values?.get(s)?.get(from) === to))
        .includes(true),
    unmatched: () => [
      ...[...map.tables].map(([from, to]) => `${from}=${to}`),
      ...[...map.columns].flatMap(([table, cols]) => [...cols].map(([from, to]) => `${table}.${from}=${to}`)),
      ...[...(map.values ?? [])].flatMap(([subject, values]) => [...values].map(([from, to]) => valueKey(subject, from, to))),
    ].filter((key) => !confirmed.has(key)),
  };
}

const valueKey = (subject: string, from: string, to: string) => `${subject}:${from}=${to}`;

/** A name in a --rename: no '.' or '=', no space at either end (inside, as in 'old name', it may). */
const NAME = /^[^\s.=](?:[^.=]*[^\s.=])?$/;

/**
 * `--rename` values: `oldtable=newtable` renames a table; `table.oldcol=newcol` (or
 * `table.oldcol=table.newcol`) renames a column of `table` (the models' name of the table);
 * `type:old=new` (a PostgreSQL enum type) or `table.column:old=new` (an enum column, every
 * dialect) renames an enum value. A value is taken as written, up to the first "=".
 */
export function parseRenameFlags(values: readonly string[]): Renames {
  const tables = new Map<string, string>();
  const columns = new Map<string, Map<string, string>>();
  const enumValues = new Map<string, Map<string, string>>();
  for (const value of values) {
    if (value.includes(':')) {
      parseValueRename(value, enumValues);
      continue;
    }
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
  return { tables, columns, values: enumValues };
}

/** `subject:old=new`: subject a type name or `table.column`; values non-empty, `old` without "=". */
function parseValueRename(value: string, into: Map<string, Map<string, string>>): void {
  const colon = value.indexOf(':');
  const subject = value.slice(0, colon).trim();
  const rest = value.slice(colon + 1);
  const eq = rest.indexOf('=');
  if (eq < 0) throw badRename(value, 'expected "=" between the old and the new value');
  const [from, to] = [rest.slice(0, eq), rest.slice(eq + 1)];
  const parts = subject.split('.');
  if (parts.length > 2 || !parts.every((part) => NAME.test(part))) throw badRename(value, 'use type:old=new or table.column:old=new for an enum value');
  if (!from || !to) throw badRename(value, 'the old and the new value must be non-empty');
  const perSubject = into.get(subject) ?? new Map<string, string>();
  into.set(subject, perSubject);
  put(perSubject, from, to, value);
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
    hint: "examples: --rename post=article, --rename post.title=headline, --rename 'post.status:published=live'",
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

/**
 * Pairs an enum's removed values with its added ones the resolver confirms (in the order of
 * the values); old value -> new value.
 */
export async function resolveValueRenames(
  subject: ValueSubject,
  removed: readonly string[],
  added: readonly string[],
  resolver: RenameResolver,
): Promise<Map<string, string>> {
  const renames = new Map<string, string>();
  if (!resolver.confirmValueRename) return renames;
  const taken = new Set<string>();
  for (const old of removed) {
    for (const candidate of added) {
      if (taken.has(candidate)) continue;
      if (await resolver.confirmValueRename(subject, old, candidate)) {
        renames.set(old, candidate);
        taken.add(candidate);
        break;
      }
    }
  }
  return renames;
}
