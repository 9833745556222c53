import { KilnError } from '../errors';
import type { Schema, Table } from '../schema/types';

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

