import type { Column, Schema, Table } from '../schema/types';

/** A column property the database holds and the models do not say, kept as it is. */
export interface KeptProperty {
  readonly kind: 'collation';
  readonly table: string;
  readonly column: string;
  readonly value: string;
}

/**
 * The models with what they leave unsaid taken from the database (issue 11 item 7): a column
 * whose model says no collation gets the database column's, so no migration drops it (a SQLite
 * rebuild, PostgreSQL's ALTER COLUMN TYPE and MySQL's MODIFY restate it; a down() recreates it).
 * A collation the models name as the database's default ('' after the dialect's projection) is
 * said: the field goes, and the diff removes the database's. Columns match by table and column
 * name (a renamed column keeps nothing). Pure.
 */
export function keepUnsaid(models: Schema, database: Schema): { models: Schema; kept: KeptProperty[] } {
  const dbTables = new Map(database.tables.map((t) => [t.name, t]));
  const kept: KeptProperty[] = [];
  const tables = models.tables.map((t): Table => {
    const live = new Map((dbTables.get(t.name)?.columns ?? []).map((c) => [c.name, c]));
    let changed = false;
    const columns = t.columns.map((c): Column => {
      if (c.collation === '') {
        changed = true;
        const { collation: _said, ...rest } = c;
        return rest;
      }
      const theirs = live.get(c.name)?.collation;
      if (c.collation !== undefined || theirs === undefined) return c;
      changed = true;
      kept.push({ kind: 'collation', table: t.name, column: c.name, value: theirs });
      return { ...c, collation: theirs };
    });
    return changed ? { ...t, columns } : t;
  });
  return { models: { ...models, tables }, kept };
}
