import { checkName, expressionIndexName, indexName, uniqueName } from '../schema/naming';
import type { Check, Index, Unique } from '../schema/types';
import { describe, fail } from './checks';
import type { ColumnSpec } from './column';
import type { ModelIndexOption } from './definition';

/**
 * The model language of issue 11's tables: comments, CHECK constraints and indexes beyond
 * plain columns (partial, expression, ordered, PostgreSQL method and include). Dialect-free:
 * what a database cannot do is refused by its projection (src/dialect/<name>/project.ts).
 */

const METHODS = ['btree', 'hash', 'gin', 'gist', 'brin'];
const DIALECTS = ['sqlite', 'postgres', 'mysql'];

/** A comment: a string; '' and undefined mean none (every database stores '' as no comment). */
export function compileComment(where: string, comment: unknown): string | undefined {
  if (comment === undefined || comment === null || comment === '') return undefined;
  if (typeof comment !== 'string') fail(`${where}: comment ${describe(comment)} is not a string`);
  // Knex on PostgreSQL turns '?' into a parameter; kiln escapes it, but a backslash right
  // before it is eaten with the escape.
  if (comment.includes('\\?')) fail(`${where}: comment contains '\\?', which Knex on PostgreSQL cannot pass through`, "write it without a backslash before '?'");
  return comment;
}

/** SQL text of a check, index key or predicate: non-empty, trimmed, without '?'. */
export function compileExpression(where: string, what: string, sql: unknown): string {
  if (typeof sql !== 'string' || sql.trim() === '') fail(`${where}: ${what} needs a SQL expression, got ${describe(sql)}`);
  if (sql.includes('?')) fail(`${where}: ${what} ${describe(sql)} contains '?', which Knex on PostgreSQL reads as a parameter`, "write it without '?'");
  if (sql.includes(';')) fail(`${where}: ${what} ${describe(sql)} contains ';'`, 'one expression, not a statement');
  return sql.trim();
}

/** A column's `.check()` calls as table checks. */
export function compileColumnChecks(where: string, table: string, column: string, spec: ColumnSpec): Check[] {
  return (spec.checks ?? []).map((c, i) => {
    const name = c.name === undefined ? checkName(table, i === 0 ? column : `${column}_${i + 1}`) : c.name;
    if (typeof name !== 'string') fail(`${where}: check name ${describe(name)} is not a string`);
    return { name, expression: compileExpression(where, 'check', c.expression) };
  });
}

/** A table's `checks` option. */
export function compileTableChecks(label: string, table: string, checks: unknown): Check[] {
  if (checks === undefined) return [];
  if (!Array.isArray(checks)) fail(`${label}: options.checks must be an array`);
  let unnamed = 0;
  return checks.map((c: unknown) => {
    const entry = (typeof c === 'object' && c !== null ? c : {}) as { expression?: unknown; name?: unknown };
    const name = entry.name === undefined ? checkName(table, ++unnamed) : entry.name;
    if (typeof name !== 'string') fail(`${label} check: name ${describe(name)} is not a string`);
    return { name, expression: compileExpression(`${label} check`, 'expression', entry.expression) };
  });
}

type Resolve = (where: string, list: unknown) => string[];

/**
 * One entry of `indexes`: a Unique when it is a unique rule on plain columns and nothing else,
 * else an Index (with `unique: true` for a unique one). Normal form: only options that differ
 * from the default are set.
 */
export function compileIndexOption(
  label: string,
  table: string,
  option: ModelIndexOption,
  resolve: Resolve,
): { readonly unique: Unique } | { readonly index: Index } {
  const where = `${label} index${option?.name ? ` '${option.name}'` : ''}`;
  if (typeof option !== 'object' || option === null) fail(`${label}: an index entry must be an object`);
  if ((option.columns === undefined) === (option.on === undefined)) fail(`${where}: give exactly one of 'columns' and 'on'`);
  const columns = option.columns === undefined ? [] : resolve(where, option.columns);
  const expression = option.on === undefined ? undefined : compileExpression(where, "'on'", option.on);
  const extras: Partial<Index> = {};
  if (expression !== undefined) Object.assign(extras, { expression });
  if (option.where !== undefined) Object.assign(extras, { where: compileExpression(where, "'where'", option.where) });
  const order = compileOrder(where, option.order, expression === undefined ? columns.length : 1);
  if (order) Object.assign(extras, { order });
  if (option.method !== undefined) {
    const method = typeof option.method === 'string' ? option.method.toLowerCase() : option.method;
    if (typeof method !== 'string' || !METHODS.includes(method)) fail(`${where}: unknown method ${describe(option.method)}`, `expected one of ${METHODS.join(', ')}`);
    if (method !== 'btree') Object.assign(extras, { method });
  }
  if (option.include !== undefined) Object.assign(extras, { include: resolve(`${where} include`, option.include) });
  const dialects = compileDialects(where, option.dialects);
  const unique = option.unique === true;
  const name =
    option.name ?? (expression !== undefined ? expressionIndexName(table, expression) : unique ? uniqueName(table, columns) : indexName(table, columns));
  if (unique && Object.keys(extras).length === 0 && dialects === undefined) return { unique: { name, columns } };
  return { index: { name, columns, ...extras, ...(unique ? { unique: true } : {}), ...(dialects ? { dialects } : {}) } };
}

/** `dialects`: a non-empty list of kiln's dialect names, or undefined (every database). */
function compileDialects(where: string, dialects: unknown): string[] | undefined {
  if (dialects === undefined) return undefined;
  if (!Array.isArray(dialects) || dialects.length === 0 || !dialects.every((d) => typeof d === 'string' && DIALECTS.includes(d))) {
    fail(`${where}: dialects must be a non-empty list of ${DIALECTS.map((d) => `'${d}'`).join(', ')}, got ${describe(dialects)}`);
  }
  return [...new Set(dialects as string[])].sort();
}

function compileOrder(where: string, order: unknown, keys: number): Index['order'] | undefined {
  if (order === undefined) return undefined;
  if (!Array.isArray(order) || order.length !== keys || !order.every((o) => o === 'asc' || o === 'desc')) {
    fail(`${where}: order must list 'asc' or 'desc' for each of its ${keys} key(s), got ${describe(order)}`);
  }
  return order.some((o) => o === 'desc') ? (order as ('asc' | 'desc')[]) : undefined;
}
