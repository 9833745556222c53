import { MAX_IDENTIFIER, checkIdentifier, describe, fail } from './checks';
import { isDefinition } from './definition';
import type { Definition } from './definition';
import type { Trigger, TriggerEvent } from '../schema/types';

export const TRIGGER_BRAND: unique symbol = Symbol.for('kiln.trigger');

const DIALECTS = ['sqlite', 'postgres', 'mysql'] as const;
type DialectName = (typeof DIALECTS)[number];
const EVENTS: readonly TriggerEvent[] = ['insert', 'update', 'delete'];

/** SQL that may differ per database: one text for all, or one per dialect (`default` for the others). */
export type PerDialect = string | { readonly sqlite?: string; readonly postgres?: string; readonly mysql?: string; readonly default?: string };

export interface TriggerOptions {
  /** The table (by name or model). */
  readonly table: string | Definition;
  readonly timing: 'before' | 'after';
  /** One event on SQLite and MySQL/MariaDB; several on PostgreSQL. */
  readonly events: readonly TriggerEvent[];
  /** `UPDATE OF` these columns (SQLite, PostgreSQL). */
  readonly of?: readonly string[];
  /** 'row' (the default) or 'statement' (PostgreSQL). */
  readonly forEach?: 'row' | 'statement';
  /** The condition (`WHEN`; SQLite, PostgreSQL). */
  readonly when?: PerDialect;
  /**
   * SQLite: the statements between BEGIN and END; PostgreSQL: the plpgsql function body
   * (`BEGIN ... RETURN NEW; END`); MySQL/MariaDB: the trigger's statement (one, or BEGIN ... END).
   */
  readonly body: PerDialect;
  /** PostgreSQL: the function kiln creates for it (default `<trigger>_fn`). */
  readonly function?: string;
  /** The databases it exists on (default: all); on the others the models do not have it. */
  readonly dialects?: readonly DialectName[];
}

export interface TriggerDefinition {
  readonly [TRIGGER_BRAND]: true;
  readonly name: string;
  readonly options: TriggerOptions;
}

/** A trigger: `trigger('account_touch', { table: 'account', timing: 'before', events: ['update'], body: {...} })`. */
export function trigger(name: string, options: TriggerOptions): TriggerDefinition {
  return Object.freeze({ [TRIGGER_BRAND]: true as const, name, options: Object.freeze({ ...options }) });
}

export function isTrigger(value: unknown): value is TriggerDefinition {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[TRIGGER_BRAND] === true;
}

/** A trigger definition -> the canonical Trigger, its bodies kept per dialect (`variants`) for triggerForDialect. */
export function compileTrigger(def: TriggerDefinition): Trigger {
  const where = `trigger '${String(def.name)}'`;
  checkIdentifier(where, 'trigger name', def.name);
  const o = (typeof def.options === 'object' && def.options !== null ? def.options : {}) as Partial<TriggerOptions>;
  const table = typeof o.table === 'string' ? o.table : isDefinition(o.table) ? o.table.tableName : undefined;
  if (table === undefined) fail(`${where}: needs its table, got ${describe(o.table)}`);
  checkIdentifier(where, 'table name', table);
  if (o.timing !== 'before' && o.timing !== 'after') fail(`${where}: timing must be 'before' or 'after', got ${describe(o.timing)}`);
  const events = Array.isArray(o.events) ? [...new Set(o.events)] : [];
  if (!events.length || !events.every((e) => EVENTS.includes(e))) fail(`${where}: events must be a non-empty list of 'insert', 'update', 'delete', got ${describe(o.events)}`);
  const forEach = o.forEach ?? 'row';
  if (forEach !== 'row' && forEach !== 'statement') fail(`${where}: forEach must be 'row' or 'statement', got ${describe(o.forEach)}`);
  let of: string[] | undefined;
  if (o.of !== undefined) {
    if (!Array.isArray(o.of) || !o.of.length) fail(`${where}: 'of' must be a non-empty list of columns, got ${describe(o.of)}`);
    if (!events.includes('update')) fail(`${where}: 'of' needs the 'update' event`);
    of = o.of.map((c) => checkIdentifier(where, 'column name', c));
  }
  const fn = o.function === undefined ? undefined : checkIdentifier(where, 'function name', o.function);
  const dialects = o.dialects === undefined ? undefined : compileDialects(where, o.dialects);
  const body = perDialect(where, 'body', o.body);
  if (body === undefined) fail(`${where}: needs a body`);
  const when = o.when === undefined ? undefined : perDialect(where, 'when', o.when);
  return {
    name: def.name,
    table,
    timing: o.timing,
    events: EVENTS.filter((e) => events.includes(e)),
    ...(of ? { of } : {}),
    forEach,
    body: '',
    ...(fn ? { function: fn } : {}),
    variants: { body, ...(when ? { when } : {}), ...(dialects ? { dialects } : {}) },
  };
}

function compileDialects(where: string, dialects: unknown): string[] {
  if (!Array.isArray(dialects) || !dialects.length || !dialects.every((d) => typeof d === 'string' && (DIALECTS as readonly string[]).includes(d))) {
    fail(`${where}: dialects must be a non-empty list of ${DIALECTS.map((d) => `'${d}'`).join(', ')}, got ${describe(dialects)}`);
  }
  return [...new Set(dialects as string[])].sort();
}

function perDialect(where: string, what: string, value: unknown): Record<string, string> | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string') return { default: sqlText(where, what, value) };
  if (typeof value !== 'object' || value === null) fail(`${where}: ${what} must be SQL text, got ${describe(value)}`);
  const unknown = Object.keys(value).filter((k) => k !== 'default' && !(DIALECTS as readonly string[]).includes(k));
  if (unknown.length) fail(`${where}: unknown dialect '${unknown[0]}' in its ${what}`, `use ${DIALECTS.join(', ')} or default`);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = sqlText(`${where} (${k})`, what, v);
  return Object.keys(out).length ? out : undefined;
}

function sqlText(where: string, what: string, sql: unknown): string {
  if (typeof sql !== 'string' || sql.trim() === '') fail(`${where}: ${what} must be SQL text, got ${describe(sql)}`);
  if (triggerSqlProblem(sql)) fail(`${where}: its ${what} contains '?', which Knex on PostgreSQL reads as a parameter`, "write it without '?'");
  return sql.trim();
}

/** Why a text cannot be a trigger's body or condition in the models (`db pull` leaves such a trigger unmanaged), or undefined. */
export function triggerSqlProblem(sql: string): 'question-mark' | undefined {
  return sql.includes('?') ? 'question-mark' : undefined;
}

/**
 * The trigger as this dialect creates it, or undefined when its `dialects` leave this database
 * out. Refused, naming the trigger, when the dialect has no body or cannot say what it asks
 * (several events, `of`, `when` or 'statement' on MySQL/MariaDB; several events or 'statement'
 * on SQLite).
 */
export function triggerForDialect(t: Trigger, dialect: string): Trigger | undefined {
  const v = t.variants;
  if (!v) return t;
  if (v.dialects && !v.dialects.includes(dialect)) return undefined;
  const where = `trigger '${t.name}'`;
  const hint = `add '${dialect}' to its body, or list the databases it exists on: dialects: [...]`;
  const body = v.body[dialect] ?? v.body.default;
  if (body === undefined) fail(`${where}: no body for ${dialect}`, hint);
  const when = v.when ? (v.when[dialect] ?? v.when.default) : undefined;
  const cannot = (what: string) => fail(`${where}: ${dialect} cannot say ${what}`, `leave it out, or list the databases it exists on: dialects: [...]`);
  if (dialect !== 'postgres' && t.events.length > 1) cannot(`a trigger on several events (${t.events.join(', ')}): one trigger per event`);
  if (dialect !== 'postgres' && t.forEach === 'statement') cannot("forEach: 'statement'");
  if (dialect === 'mysql' && t.of) cannot("'of' (UPDATE OF columns)");
  if (dialect === 'mysql' && when !== undefined) cannot("'when' (write the condition in the body)");
  const fn = t.function ?? `${t.name}_fn`;
  if (dialect === 'postgres' && fn.length > MAX_IDENTIFIER) fail(`${where}: its function name '${fn}' is longer than ${MAX_IDENTIFIER} characters`, "give it a shorter 'function' name");
  const { variants: _variants, function: _function, ...rest } = t;
  return {
    ...rest,
    body: dialect === 'sqlite' ? withSemicolon(body) : dialect === 'mysql' ? body.replace(/;\s*$/, '') : body,
    ...(when !== undefined ? { when } : {}),
    ...(dialect === 'postgres' ? { function: fn } : {}),
  };
}

/** SQLite's trigger statements each end with ';'. */
const withSemicolon = (body: string): string => (/;\s*$/.test(body) ? body : `${body};`);
