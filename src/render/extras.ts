import { dialectOf } from '../dialect/registry';
import type { DialectName } from '../dialect/types';
import type { OperationOf } from '../ops/types';
import type { Check, Index } from '../schema/types';
import { alterTable } from './block';
import { inPlace } from './constraints';
import { lit, litList } from './literal';

/**
 * Rendering of issue 11's table objects: CHECK constraints, comments, and indexes that knex's
 * `t.index()` cannot say (partial, on an expression, ordered, PostgreSQL method and include),
 * which are written as one `CREATE INDEX` through `knex.raw` with the names as `??` bindings
 * (knex quotes them per database). Expressions are the model's or the database's text; the
 * model compiler refuses '?' in them (knex would read it as a parameter).
 */

/** Whether `t.index(columns, name)` says the whole index. */
export function isPlainIndex(i: Index): boolean {
  return i.expression === undefined && i.where === undefined && i.order === undefined && i.method === undefined && i.include === undefined && !i.unique;
}

/** `CREATE [UNIQUE] INDEX ?? ON ?? [USING m] (keys) [INCLUDE (...)] [WHERE ...]` as a statement. */
export function renderCreateIndexRaw(table: string, i: Index): string {
  const [sql, names] = createIndexRaw(table, i);
  return `await knex.raw(${lit(sql)}, ${litList(names)});`;
}

/** `[sql, names]` for kiln/sqlite's rebuild (`rawIndexes`). */
export function renderRawIndexEntry(table: string, i: Index): string {
  const [sql, names] = createIndexRaw(table, i);
  return `[${lit(sql)}, ${litList(names)}]`;
}

export function createIndexRaw(table: string, i: Index): [string, string[]] {
  const names: string[] = [i.name, table];
  const dir = (n: number) => (i.order?.[n] === 'desc' ? ' DESC' : '');
  let keys: string;
  if (i.expression !== undefined) keys = `(${i.expression})${dir(0)}`;
  else {
    keys = i.columns.map((_, n) => `??${dir(n)}`).join(', ');
    names.push(...i.columns);
  }
  let sql = `CREATE ${i.unique ? 'UNIQUE ' : ''}INDEX ?? ON ??${i.method ? ` USING ${i.method}` : ''} (${keys})`;
  if (i.include?.length) {
    sql += ` INCLUDE (${i.include.map(() => '??').join(', ')})`;
    names.push(...i.include);
  }
  if (i.where !== undefined) sql += ` WHERE ${i.where}`;
  return [sql, names];
}

/** `t.check(expression, [], name)`: inside createTable (knex puts it in CREATE TABLE). */
export function renderCheckLine(c: Check, dialect: DialectName): string {
  return `t.check(${lit(c.expression)}, [], ${lit(dialectOf(dialect).generation.render.quoteName(c.name))})`;
}

/** `t.comment(...)` for createTable / alterTable. */
export function renderTableCommentLine(text: string, dialect: DialectName): string {
  return `t.comment(${lit(dialectOf(dialect).generation.render.commentText(text))})`;
}

/** `.comment(...)` on a column call, or ''. */
export function renderColumnComment(comment: string | undefined, dialect: DialectName): string {
  return comment === undefined ? '' : `.comment(${lit(dialectOf(dialect).generation.render.commentText(comment))})`;
}

/** SQLite cannot add or drop a check in place: its planner rebuilds the table instead. */
export function renderAddCheck(op: OperationOf<'addCheck'>, dialect: DialectName): string {
  inPlace(op, dialect);
  return `await knex.raw(${lit(`ALTER TABLE ?? ADD CONSTRAINT ?? CHECK (${op.check.expression})`)}, ${litList([op.table, op.check.name])});`;
}

export function renderDropCheck(op: OperationOf<'dropCheck'>, dialect: DialectName): string {
  inPlace(op, dialect);
  return `await knex.raw('ALTER TABLE ?? DROP CONSTRAINT ??', ${litList([op.table, op.check.name])});`;
}

export function renderAlterTableComment(op: OperationOf<'alterTableComment'>, dialect: DialectName): string {
  return alterTable(op.table, [renderTableCommentLine(op.to ?? '', dialect)]);
}
