import { checkIdentifier, describe, fail } from './checks';
import { isDefinition } from './definition';
import type { Definition } from './definition';
import { indexName, uniqueName } from '../schema/naming';
import type { View } from '../schema/types';

export const VIEW_BRAND: unique symbol = Symbol.for('kiln.view');

const DIALECTS = ['sqlite', 'postgres', 'mysql'] as const;

/**
 * A view's SELECT: one text for every database, or one per dialect where the SQL differs
 * (`default` for the others).
 */
export type ViewBody = string | { readonly sqlite?: string; readonly postgres?: string; readonly mysql?: string; readonly default?: string };

export interface ViewOptions {
  /**
   * Tables (by name or model) and views it reads that its text does not name plainly (the
   * text's names are found without help): views are created after and dropped before them.
   */
  readonly dependsOn?: readonly (string | Definition | ViewDefinition)[];
  /** PostgreSQL: a materialized view (the other databases refuse it). */
  readonly materialized?: boolean;
  /** A materialized view's indexes on plain columns, named `<view>_<columns>_index` / `_unique` unless named. */
  readonly indexes?: readonly { readonly columns: readonly string[]; readonly unique?: boolean; readonly name?: string }[];
}

export interface ViewDefinition {
  readonly [VIEW_BRAND]: true;
  readonly name: string;
  readonly body: ViewBody;
  readonly dependsOn: readonly string[];
  readonly materialized: boolean;
  readonly indexes: readonly { readonly columns: readonly string[]; readonly unique?: boolean; readonly name?: string }[];
}

/** A view: `view('rich_accounts', 'select id, name from account where balance > 1000')`. */
export function view(name: string, body: ViewBody, options: ViewOptions = {}): ViewDefinition {
  const dependsOn = (options.dependsOn ?? []).map((d) => (typeof d === 'string' ? d : isDefinition(d) ? d.tableName : isView(d) ? d.name : String(d)));
  return Object.freeze({
    [VIEW_BRAND]: true as const,
    name,
    body,
    dependsOn: Object.freeze(dependsOn),
    materialized: options.materialized === true,
    indexes: Object.freeze([...(options.indexes ?? [])]),
  });
}

export function isView(value: unknown): value is ViewDefinition {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[VIEW_BRAND] === true;
}

/** A view definition -> the canonical View (its `variants` picked per dialect by autogenerate). */
export function compileView(def: ViewDefinition): View {
  const where = `view '${String(def.name)}'`;
  checkIdentifier(where, 'view name', def.name);
  return { ...compileBody(def, where), ...materializedOptions(def, where) };
}

function materializedOptions(def: ViewDefinition, where: string): Pick<View, 'materialized' | 'indexes'> {
  if (!def.materialized) {
    if (def.indexes.length) fail(`${where}: indexes need a materialized view`, 'add materialized: true (PostgreSQL)');
    return {};
  }
  const indexes = def.indexes.map((i, n) => {
    const columns = Array.isArray(i?.columns) ? i.columns : [];
    if (!columns.length) fail(`${where}: index ${n + 1} needs columns`);
    columns.forEach((c) => checkIdentifier(`${where} index ${n + 1}`, 'column name', c));
    const name = i.name ?? (i.unique ? uniqueName(def.name, columns) : indexName(def.name, columns));
    checkIdentifier(`${where} index ${n + 1}`, 'name', name);
    return { name, columns: [...columns], ...(i.unique ? { unique: true as const } : {}) };
  });
  indexes.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { materialized: true, ...(indexes.length ? { indexes } : {}) };
}

function compileBody(def: ViewDefinition, where: string): View {
  const body = def.body;
  if (typeof body === 'string') return { name: def.name, definition: viewSql(where, body), dependsOn: def.dependsOn };
  if (typeof body !== 'object' || body === null) fail(`${where}: needs a SELECT, got ${describe(body)}`);
  const unknown = Object.keys(body).filter((k) => k !== 'default' && !(DIALECTS as readonly string[]).includes(k));
  if (unknown.length) fail(`${where}: unknown dialect '${unknown[0]}'`, `use ${DIALECTS.join(', ')} or default`);
  const variants: Record<string, string> = {};
  for (const d of DIALECTS) if (body[d] !== undefined) variants[d] = viewSql(`${where} (${d})`, body[d]);
  const definition = body.default === undefined ? '' : viewSql(where, body.default);
  if (!definition && !Object.keys(variants).length) fail(`${where}: needs a SELECT`);
  return { name: def.name, definition, dependsOn: def.dependsOn, variants };
}

function viewSql(where: string, sql: unknown): string {
  if (typeof sql !== 'string' || sql.trim() === '') fail(`${where}: needs a SELECT, got ${describe(sql)}`);
  const problem = viewSqlProblem(sql);
  if (problem === 'question-mark') fail(`${where}: ${describe(sql)} contains '?', which Knex on PostgreSQL reads as a parameter`, "write it without '?'");
  if (problem === 'semicolon') fail(`${where}: ${describe(sql)} contains ';'`, 'one SELECT, not several statements');
  return sql.trim().replace(/;\s*$/, '');
}

/** Why a SELECT cannot be a view's text in the models (`db pull` leaves such a view unmanaged), or undefined. */
export function viewSqlProblem(sql: string): 'question-mark' | 'semicolon' | undefined {
  if (sql.includes('?')) return 'question-mark';
  if (sql.trim().replace(/;\s*$/, '').includes(';')) return 'semicolon';
  return undefined;
}

/** The view as this dialect must create it: its variant, else the default (refused when neither). */
export function viewForDialect(v: View, dialect: string): View {
  if (v.materialized && dialect !== 'postgres') fail(`view '${v.name}': materialized views are PostgreSQL's only (this database is ${dialect})`, 'drop materialized: true, or keep the model for PostgreSQL');
  if (!v.variants) return v;
  const definition = v.variants[dialect] ?? v.definition;
  if (!definition) fail(`view '${v.name}': no definition for ${dialect}`, `add '${dialect}' or 'default' to its SQL`);
  const { variants: _variants, ...rest } = v;
  return { ...rest, definition };
}
