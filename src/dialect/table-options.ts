import { KilnError } from '../errors';
import { makeSchema } from '../schema/build';
import type { Index, Schema, Table, Unique } from '../schema/types';
import type { DialectName } from './types';
import { looseReason } from '../schema/foreign-keys';

type IndexOption = 'expression' | 'where' | 'order' | 'method' | 'include';

const SAID: Readonly<Record<IndexOption, string>> = {
  expression: "an expression key ('on')",
  where: "a partial index ('where')",
  order: "a key order ('order')",
  method: "an index method ('method')",
  include: "INCLUDE columns ('include')",
};

/**
 * Refuses, at generation time, an index option the database cannot do, naming the table, the
 * index and why: never dropped in silence. `why` per option says what the database lacks.
 */
export function refuseIndexOptions(schema: Schema, label: string, refused: Partial<Record<IndexOption, string>>): void {
  for (const table of schema.tables) {
    for (const index of table.indexes) {
      for (const option of Object.keys(refused) as IndexOption[]) {
        if (index[option] === undefined) continue;
        throw new KilnError('MODEL', `table '${table.name}' index '${index.name}': ${label} cannot do ${SAID[option]}: ${refused[option]}`, {
          hint: 'remove the option for this database, or use a database that has it',
        });
      }
    }
  }
}

/**
 * Refuses a loose foreign key (ForeignKey.loose: its target is not a key), which only SQLite
 * accepts: PostgreSQL and MySQL/MariaDB refuse it at CREATE TABLE, so a migration would fail
 * half way; the generation fails first, naming it.
 */
export function refuseLooseForeignKeys(schema: Schema, label: string): void {
  for (const table of schema.tables) {
    const fk = table.foreignKeys.find((k) => k.loose);
    if (!fk) continue;
    const why = looseReason(fk, schema.tables.find((t) => t.name === fk.refTable)) ?? 'its target is not a key';
    throw new KilnError('MODEL', `table '${table.name}' foreign key '${fk.name}' is loose (${why}): ${label} refuses such a foreign key`, {
      hint: "'loose: true' is for SQLite only: make the target a table's primary key or unique rule, or remove the foreign key",
    });
  }
}

/** The table without comments (a database that has none, where the models' comments are ignored). */
export function withoutComments(table: Table): Table {
  if (table.comment === undefined && !table.columns.some((c) => c.comment !== undefined)) return table;
  const { comment: _dropped, ...rest } = table;
  void _dropped;
  return {
    ...rest,
    columns: table.columns.map((c) => {
      if (c.comment === undefined) return c;
      const { comment: _c, ...col } = c;
      void _c;
      return col;
    }),
  };
}


/**
 * The model schema's indexes on this database: an index the models restrict to other databases
 * (`dialects`) is left out, one restricted to this one (or to none) is kept without the field;
 * a kept unique index with no other option is a plain unique rule, as the database reads it back.
 */
export function indexesFor(schema: Schema, dialect: DialectName): Schema {
  if (!schema.tables.some((t) => t.indexes.some((i) => i.dialects !== undefined))) return schema;
  return makeSchema(
    schema.tables.map((t) => {
      if (!t.indexes.some((i) => i.dialects !== undefined)) return t;
      const indexes: Index[] = [];
      const uniques: Unique[] = [...t.uniques];
      for (const index of t.indexes) {
        if (index.dialects === undefined) indexes.push(index);
        else if (index.dialects.includes(dialect)) {
          const { dialects: _d, ...kept } = index;
          void _d;
          const plainUnique = kept.unique && Object.keys(kept).every((k) => k === 'name' || k === 'columns' || k === 'unique');
          if (plainUnique) uniques.push({ name: kept.name, columns: kept.columns });
          else indexes.push(kept);
        }
      }
      return { ...t, indexes, uniques };
    }),
  );
}
