import type { Check, Index, Table, Unmanaged } from '../../schema/types';
import type { ConstraintRow, IndexRow } from './introspect';
import { splitQualified } from '../../schema/qualified';
import { pgStringLiteral } from './literal';

/**
 * PostgreSQL's CHECK constraints, comments and indexes beyond plain columns, from the rows the
 * four catalog queries already read (no query of its own).
 * - A check's expression is `pg_get_constraintdef` without `CHECK (...)`: the diff compares it
 *   by its comparison key (src/schema/expression.ts), which drops PostgreSQL's casts and
 *   parentheses. A NOT VALID check keeps the clause: unmanaged.
 * - Indexes: the expression (one key), `indpred` (WHERE), `indoption` (DESC, with PostgreSQL's
 *   default NULLS FIRST), the access method other than btree, INCLUDE columns. One kiln cannot
 *   model (an operator class or collation other than the default, NULLS LAST on a DESC key,
 *   storage parameters, several keys one of which is an expression, a '?' knex would read as a
 *   parameter) is Table.unmanaged with its `pg_get_indexdef`.
 */

/** Whether `t.index(columns)` says the whole index: no expression, WHERE, order, method, include. */
export function isPlainIndex(i: IndexRow): boolean {
  return !i.is_special && i.method === 'btree' && i.options.every((o) => o === 0) && i.include.length === 0 && plainDefinition(i);
}

/** No operator class, collation, storage parameter or tablespace in the definition. */
function plainDefinition(i: IndexRow): boolean {
  return i.default_classes !== false && !/\sCOLLATE\s|\sWITH\s*\(|\sTABLESPACE\s|\sNULLS NOT DISTINCT/i.test(i.definition);
}

function specialIndex(i: IndexRow): Index | Unmanaged {
  const unmanaged: Unmanaged = { kind: 'index', name: i.name, sql: i.definition };
  const expressions = i.key_numbers.filter((n) => n === 0).length;
  if (!plainDefinition(i) || i.definition.includes('?') || (expressions > 0 && i.key_numbers.length > 1)) return unmanaged;
  if (i.options.some((o) => o !== 0 && o !== 3)) return unmanaged;
  const index: { -readonly [K in keyof Index]: Index[K] } = { name: i.name, columns: expressions ? [] : i.columns };
  if (expressions) index.expression = (i.key_definitions ?? [])[0];
  if (i.options.some((o) => o === 3)) index.order = i.options.map((o) => (o === 3 ? 'desc' : 'asc'));
  if (i.predicate !== null) index.where = i.predicate;
  if (i.method !== 'btree') index.method = i.method;
  if (i.include.length) index.include = i.include;
  if (i.is_unique) index.unique = true;
  return index;
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

function checkOf(table: string, c: ConstraintRow): Check | Unmanaged {
  const def = c.definition ?? '';
  const m = /^CHECK \(([\s\S]*)\)$/.exec(def);
  if (!m || def.includes('?')) return { kind: 'check', name: c.name, sql: `ALTER TABLE ${qualified(table)} ADD CONSTRAINT ${quote(c.name)} ${def}` };
  return { name: c.name, expression: m[1] };
}

/** A unique constraint a plain Unique cannot say: NULLS NOT DISTINCT (PostgreSQL 15) or DEFERRABLE. */
export function specialUnique(c: ConstraintRow): boolean {
  return c.type === 'u' && (c.deferrable || /^UNIQUE NULLS NOT DISTINCT\b/.test(c.definition ?? ''));
}

/** The Unmanaged kind of a foreign key's DEFERRABLE clause (the key itself stays a ForeignKey). */
export const FOREIGN_KEY_OPTION = 'foreign key option';

/**
 * An exclusion constraint or a special unique, recreated from its definition; a DEFERRABLE
 * foreign key's clause, re-set by ALTER CONSTRAINT after the table (and the key) is re-created.
 */
function constraintOf(table: string, c: ConstraintRow): Unmanaged | null {
  if (c.type === 'f' && c.deferrable) {
    const clause = `DEFERRABLE INITIALLY ${c.deferred ? 'DEFERRED' : 'IMMEDIATE'}`;
    return { kind: FOREIGN_KEY_OPTION, name: `${c.name} ${clause}`, sql: `ALTER TABLE ${qualified(table)} ALTER CONSTRAINT ${quote(c.name)} ${clause}` };
  }
  if (c.type !== 'x' && !specialUnique(c)) return null;
  const kind = c.type === 'x' ? 'exclusion constraint' : 'unique constraint';
  return { kind, name: c.name, sql: `ALTER TABLE ${qualified(table)} ADD CONSTRAINT ${quote(c.name)} ${c.definition ?? ''}` };
}

const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** The table with its comment, checks and special indexes (absent when none: the normal form). */
export function withTableExtras(table: Table, comment: string | null, conRows: readonly ConstraintRow[], idxRows: readonly IndexRow[]): Table {
  const checks: Check[] = [];
  const unmanaged: Unmanaged[] = [];
  const indexes: Index[] = [...table.indexes];
  for (const c of conRows) {
    const kept = constraintOf(table.name, c);
    if (kept) unmanaged.push(kept);
    if (c.type !== 'c') continue;
    const found = checkOf(table.name, c);
    if ('sql' in found) unmanaged.push(found);
    else checks.push(found);
  }
  for (const i of idxRows) {
    if (isPlainIndex(i)) continue;
    const found = specialIndex(i);
    if ('sql' in found) unmanaged.push(found);
    else indexes.push(found);
  }
  // After everything they describe (an unmanaged check or index is made by its own statement).
  const constraintIndexes = conRows.filter((c) => c.index_name !== null).map((c) => ({ name: c.index_name!, comment: c.index_comment }));
  const comments = [...commentsOf(table.name, conRows, 'constraint'), ...commentsOf(table.name, [...constraintIndexes, ...idxRows], 'index')];
  unmanaged.sort(byName).push(...comments);
  return {
    ...table,
    indexes: indexes.sort(byName),
    ...(checks.length ? { checks: checks.sort(byName) } : {}),
    ...(comment ? { comment } : {}),
    ...(unmanaged.length ? { unmanaged } : {}),
  };
}

/** The Unmanaged kind of a comment on an index or constraint (the models say a table's and a column's only). */
export const OBJECT_COMMENT = 'comment';

/**
 * `COMMENT ON CONSTRAINT c ON t` / `COMMENT ON INDEX i`, re-set when the table is re-created (a
 * baseline, a down()): the model language says comments on tables and columns only.
 */
function commentsOf(table: string, rows: readonly { name: string; comment?: string | null }[], on: 'constraint' | 'index'): Unmanaged[] {
  const { schema } = splitQualified(table);
  const target = (name: string) => (on === 'constraint' ? `CONSTRAINT ${quote(name)} ON ${qualified(table)}` : `INDEX ${schema === null ? '' : `${quote(schema)}.`}${quote(name)}`);
  return rows
    .filter((r) => r.comment)
    .map((r) => ({ kind: OBJECT_COMMENT, name: `on ${on} ${r.name}`, sql: `COMMENT ON ${target(r.name)} IS ${pgStringLiteral(r.comment!)}`, text: r.comment! }));
}

/** `"t"` or `"billing"."t"` for a table name as kiln says it (src/schema/qualified.ts). */
export function qualified(table: string): string {
  const { schema, table: bare } = splitQualified(table);
  return schema === null ? quote(bare) : `${quote(schema)}.${quote(bare)}`;
}
