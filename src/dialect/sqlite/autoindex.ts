import type { Unique } from '../../schema/types';

/**
 * SQLite's UNIQUE constraints written inside CREATE TABLE live in `sqlite_autoindex_*`
 * indexes that DROP INDEX refuses. The SQLite introspector marks those Unique objects here
 * (by identity: the diff hands the database's own object to `dropUnique`), so the SQLite
 * planner rebuilds the table instead of dropping the index in place.
 */
const undroppable = new WeakSet<object>();

export function markUndroppableUnique<T extends Unique>(unique: T): T {
  undroppable.add(unique);
  return unique;
}

export function isUndroppableUnique(unique: Unique): boolean {
  return undroppable.has(unique);
}
