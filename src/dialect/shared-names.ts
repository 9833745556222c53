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
