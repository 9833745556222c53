import type { Knex } from 'knex';
import type { DialectName } from '../../src/dialect/types';
import { introspect } from '../../src/introspect';
import type { Schema } from '../../src/schema/types';

/** The live schema as kiln sees it (bookkeeping tables ignored). */
export function liveSchema(knex: Knex, dialect: DialectName): Promise<Schema> {
  return introspect(knex, dialect);
}

export type Row = Record<string, unknown>;
/** table name -> rows, each row with sorted keys and comparable values, rows sorted. */
export type Data = Record<string, Row[]>;

/** A value every driver reads back alike: Buffers as hex, Dates as ISO strings, bigints as numbers. */
export function normalValue(v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (Buffer.isBuffer(v)) return `0x${v.toString('hex')}`;
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'object') return JSON.stringify(v);
  return v;
}

export function normalRow(row: Row, columns?: readonly string[]): Row {
  const out: Row = {};
  for (const k of Object.keys(row).sort()) if (!columns || columns.includes(k)) out[k] = normalValue(row[k]);
  return out;
}

export function sortRows(rows: Row[]): Row[] {
  return rows.map((r) => [JSON.stringify(r), r] as const).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([, r]) => r);
}

/** Every row of every table of `schema`. */
export async function dumpData(knex: Knex, schema: Schema): Promise<Data> {
  const out: Data = {};
  for (const t of schema.tables) out[t.name] = sortRows((await knex(t.name).select('*')).map((r: Row) => normalRow(r)));
  return out;
}

/**
 * `data` seen through renames, keeping only the given columns of each table:
 * `tables` old -> new name, `columns` new table name -> (old column -> new column).
 */
export function project(
  data: Data,
  keep: Record<string, readonly string[]>,
  renames: { tables?: Record<string, string>; columns?: Record<string, Record<string, string>> } = {},
): Data {
  const out: Data = {};
  for (const [table, rows] of Object.entries(data)) {
    const name = renames.tables?.[table] ?? table;
    const cols = keep[name];
    if (!cols) continue;
    const colRen = renames.columns?.[name] ?? {};
    out[name] = sortRows(
      rows.map((r) => {
        const renamed: Row = {};
        for (const [k, v] of Object.entries(r)) renamed[colRen[k] ?? k] = v;
        return normalRow(renamed, cols);
      }),
    );
  }
  return out;
}
