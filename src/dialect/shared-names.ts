import { KilnError } from '../errors';
import type { Schema, Table } from '../schema/types';

/** A name of one table's index, unique, primary key, foreign key or check, and what it names. */
export interface NamedPart {
  readonly name: string;
  /** `index (x)`, `unique (a, b)`, `foreign key (w)`, ... */
  readonly what: string;
}

export const indexNames = (t: Table): NamedPart[] => t.indexes.map((i) => ({ name: i.name, what: `index (${i.columns.join(', ')})` }));
export const uniqueNames = (t: Table): NamedPart[] => t.uniques.map((u) => ({ name: u.name, what: `unique (${u.columns.join(', ')})` }));
export const primaryKeyNames = (t: Table): NamedPart[] => (t.primaryKey ? [{ name: t.primaryKey.name, what: `primary key (${t.primaryKey.columns.join(', ')})` }] : []);
export const foreignKeyNames = (t: Table): NamedPart[] => t.foreignKeys.map((f) => ({ name: f.name, what: `foreign key (${f.columns.join(', ')})` }));

export interface SharedNamespace {
  /** The names of a table that live in the namespace. */
  readonly parts: (t: Table) => readonly NamedPart[];
  /** The namespace a table's names live in (a schema); one for the whole database when absent. */
  readonly scope?: (t: Table) => string;
  /** Whether the database compares these names without regard to case (SQLite, MySQL/MariaDB). */
  readonly caseBlind?: boolean;
  /** What the database keeps unique, for the message: `PostgreSQL keeps index, unique and primary key names unique per schema`. */
  readonly rule: string;
}

/**
 * Refuses, at projection time, two tables whose names collide in a namespace the database keeps
 * across tables (the model compiler checks names only within a table: src/model/compile.ts).
 * Names within one table are the compiler's business and are not compared here. Returns the
 * schema unchanged.
 */
export function refuseSharedNames(schema: Schema, namespace: SharedNamespace): Schema {
  const seen = new Map<string, { table: string; what: string }>();
  for (const table of schema.tables) {
    const scope = namespace.scope?.(table) ?? '';
    for (const part of namespace.parts(table)) {
      const key = `${scope}\0${namespace.caseBlind ? part.name.toLowerCase() : part.name}`;
      const other = seen.get(key);
      if (other && other.table !== table.name) {
        throw new KilnError(
          'MODEL',
          `table '${table.name}' ${part.what}: name '${part.name}' is already used by table '${other.table}' ${other.what}, and ${namespace.rule}`,
          { hint: 'rename one of them with an explicit name (the name argument of index()/unique(), or ForeignKey\'s `name`)' },
        );
      }
      if (!other) seen.set(key, { table: table.name, what: part.what });
    }
  }
  return schema;
}

/** A primary key that is one auto-increment column. */
const isLoneAutoIncrement = (t: Table) => t.primaryKey?.columns.length === 1 && t.columns.some((c) => c.name === t.primaryKey!.columns[0] && c.autoIncrement);

/** A database's longest identifier: PostgreSQL 63 bytes (NAMEDATALEN - 1), MySQL/MariaDB 64 characters. */
export interface NameLimit {
  readonly max: number;
  readonly unit: 'bytes' | 'characters';
  /** `PostgreSQL`, `MySQL/MariaDB`: for the message. */
  readonly database: string;
  /**
   * Whether a primary key's name counts: PostgreSQL keeps it; MySQL/MariaDB call every one PRIMARY
   * but still refuse a long name in knex's `CONSTRAINT name PRIMARY KEY`, which a lone
   * auto-increment key (knex's `increments`) does not write: 'unless auto-increment'.
   */
  readonly primaryKeyNamed: true | 'unless auto-increment';
}

/**
 * Refuses, at projection time, a table, schema, column or constraint name longer than the
 * database keeps (PostgreSQL cuts it in silence, and the next `db check` would see another name;
 * MySQL/MariaDB refuse the statement). kiln's generated names (`<table>_<column>_foreign`) are
 * checked as well: they grow with the names they are made of. SQLite has no limit and no call.
 */
export function refuseLongNames(schema: Schema, limit: NameLimit): Schema {
  const size = (name: string) => (limit.unit === 'bytes' ? Buffer.byteLength(name) : [...name].length);
  for (const table of schema.tables) {
    const dot = table.name.indexOf('.');
    const named: NamedPart[] = [
      ...(dot >= 0 ? [{ name: table.name.slice(0, dot), what: 'schema' }] : []),
      { name: dot >= 0 ? table.name.slice(dot + 1) : table.name, what: 'table name' },
      ...table.columns.map((c) => ({ name: c.name, what: `column '${c.name}'` })),
      ...(limit.primaryKeyNamed === true || !isLoneAutoIncrement(table) ? primaryKeyNames(table) : []),
      ...indexNames(table),
      ...uniqueNames(table),
      ...foreignKeyNames(table),
      ...(table.checks ?? []).map((c) => ({ name: c.name, what: `check (${c.expression})` })),
    ];
    for (const part of named) {
      if (size(part.name) <= limit.max) continue;
      throw new KilnError('MODEL', `table '${table.name}' ${part.what}: name '${part.name}' is longer than ${limit.database}'s ${limit.max} ${limit.unit} (${size(part.name)})`, {
        hint: "give it a shorter name (kiln's generated names: an explicit one, the name argument of index()/unique() or ForeignKey's `name`)",
      });
    }
  }
  return schema;
}
