import { inspect } from 'node:util';
import { escapeForTerminal } from '../cli/terminal';

/**
 * How the shell prints a value. Rows (a list of plain objects, or one plain object from
 * `.first()`) print as a table, as console.table does; a query not awaited prints its SQL;
 * anything else as Node's REPL prints it. Text from the database is escaped before it reaches
 * the terminal (src/cli/terminal.ts). `json`: JSON, for scripts and pipes.
 */
export function formatValue(value: unknown, options: { json: boolean; colors: boolean }): string {
  if (isQueryBuilder(value)) return `[query: ${escapeForTerminal(String(value.toString()))}] (await it to run it)`;
  if (options.json) return toJson(value);
  const rows = asRows(value);
  if (rows) return renderTable(rows);
  return escapeInspected(inspect(value, { colors: options.colors, depth: 4 }), options.colors);
}

function toJson(value: unknown): string {
  if (value === undefined) return 'undefined';
  const text = JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v), 2);
  return text === undefined ? inspect(value) : text;
}

function isQueryBuilder(value: unknown): value is { toString(): string } {
  const v = value as { toSQL?: unknown; then?: unknown; client?: unknown } | null;
  return typeof v === 'object' && v !== null && typeof v.toSQL === 'function' && typeof v.then === 'function' && v.client !== undefined;
}

function isPlainRow(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === null || proto === Object.prototype || Object.getPrototypeOf(proto) === null;
}

/** Rows when `value` is a non-empty list of plain objects (or one plain object of scalars). */
function asRows(value: unknown): Record<string, unknown>[] | null {
  if (Array.isArray(value)) return value.length > 0 && value.every(isPlainRow) ? value : null;
  if (isPlainRow(value) && Object.values(value).every(isScalar) && Object.keys(value).length > 0) return [value];
  return null;
}

function isScalar(v: unknown): boolean {
  return v === null || ['string', 'number', 'boolean', 'bigint'].includes(typeof v) || v instanceof Date || Buffer.isBuffer(v);
}

function cell(v: unknown): string {
  if (v === undefined) return '';
  if (v === null) return 'null';
  if (typeof v === 'string') return escapeForTerminal(v);
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? 'Invalid Date' : v.toISOString();
  if (Buffer.isBuffer(v)) return `<${v.length} bytes>`;
  if (typeof v === 'object') return escapeForTerminal(JSON.stringify(v) ?? String(v));
  return escapeForTerminal(String(v));
}

/** A box table: one column per key (in first-seen order), one line per row. */
export function renderTable(rows: readonly Record<string, unknown>[]): string {
  const keys: string[] = [];
  for (const row of rows) for (const k of Object.keys(row)) if (!keys.includes(k)) keys.push(k);
  const head = keys.map(escapeForTerminal);
  const body = rows.map((row) => keys.map((k) => cell(row[k])));
  const widths = head.map((h, i) => Math.max(width(h), ...body.map((r) => width(r[i]))));
  const line = (l: string, m: string, r: string) => l + widths.map((w) => '─'.repeat(w + 2)).join(m) + r;
  const row = (cells: string[]) => '│' + cells.map((c, i) => ` ${c}${' '.repeat(widths[i] - width(c))} `).join('│') + '│';
  return [line('┌', '┬', '┐'), row(head), line('├', '┼', '┤'), ...body.map(row), line('└', '┴', '┘')].join('\n');
}

/** Display width: wide (CJK) characters take two cells. */
function width(s: string): number {
  let n = 0;
  for (const ch of s) n += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch) ? 2 : 1;
  return n;
}

/** util.inspect escapes inside strings already; this catches what it leaves (keys, class names), colours kept. */
function escapeInspected(text: string, colors: boolean): string {
  const lines = (t: string) => t.split('\n').map(escapeForTerminal).join('\n');
  if (!colors) return lines(text);
  // eslint-disable-next-line no-control-regex -- inspect's own SGR colour codes stay, any other control character is escaped
  return text.split(/(\x1b\[[0-9;]*m)/).map((part, i) => (i % 2 ? part : lines(part))).join('');
}
