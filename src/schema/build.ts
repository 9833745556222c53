import type { Column, Schema, Sequence, Table, Trigger, View } from './types';

/** Deep-freezes a plain value (schema, table, op). Returns the same object. */
export function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value as object)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}

const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** Builds a frozen Schema with tables (and views, triggers and sequences, when there are any) sorted by name. */
export function makeSchema(tables: readonly Table[], views: readonly View[] = [], triggers: readonly Trigger[] = [], sequences: readonly Sequence[] = []): Schema {
  const sorted = [...tables].sort(byName);
  return deepFreeze({
    tables: sorted,
    ...(views.length ? { views: [...views].sort(byName) } : {}),
    ...(triggers.length ? { triggers: [...triggers].sort(byName) } : {}),
    ...(sequences.length ? { sequences: [...sequences].sort(byName) } : {}),
  });
}

/** A column with every normal-form field filled, for tests and builders. */
export function column(name: string, type: Column['type'], extra: Partial<Column> = {}): Column {
  return {
    ...extra,
    name,
    type,
    length: type === 'string' ? (extra.length ?? 255) : (extra.length ?? null),
    nullable: extra.nullable ?? true,
    default: extra.default ?? null,
    autoIncrement: extra.autoIncrement ?? false,
    unsigned: extra.unsigned ?? false,
  };
}
