import { parseElement, normalizeTypeSpelling } from '../../schema/element';
import type { TypeFields } from '../../schema/element';
import type { Column, ColumnType } from '../../schema/types';
import { lit } from '../../render/literal';

/**
 * PostgreSQL's native types for the canonical ones, both ways (issue 11's types):
 * - datetime is `timestamp with time zone` unless `timezone: false`; time is `time without
 *   time zone` unless `timezone: true`; precision 6 is the default (absent);
 * - decimal is `numeric(p,s)`, real `real`, smallint `smallint`, char(n) `character(n)`, uuid
 *   `uuid`, jsonb `jsonb`, arrays `<element>[]`, custom types their own spelling;
 * - bytea has no length: Binary(n)/VarBinary(n) are stored as bytea (binary with no length).
 * - PostgreSQL has no 1- or 3-byte integers: tinyint is stored as `smallint`, mediumint as
 *   `integer` (an auto-increment key as smallserial/serial or their identity; they read back so).
 * - text and bytea have one size: a MySQL TEXT/BLOB size (Column.size) is dropped.
 */

/** Every canonical type field a format_type() spelling carries. */
export type PgType = TypeFields & Pick<Column, 'timezone' | 'element'>;

const SIMPLE: Readonly<Record<string, ColumnType>> = {
  integer: 'integer',
  smallint: 'smallint',
  bigint: 'bigint',
  text: 'text',
  'character varying': 'text',
  date: 'date',
  real: 'real',
  'double precision': 'float',
  boolean: 'boolean',
  json: 'json',
  jsonb: 'jsonb',
  bytea: 'binary',
  uuid: 'uuid',
  numeric: 'decimal',
};

/** `format_type()` text -> canonical type and its fields (defaults left out). */
export function mapPgType(formatted: string): PgType {
  const t = normalizeTypeSpelling(formatted);
  if (t.endsWith('[]')) return { type: 'array', length: null, element: elementOf(t.replace(/(\[\])+$/, '')) };
  const varchar = /^character varying\((\d+)\)$/.exec(t);
  if (varchar) return { type: 'string', length: Number(varchar[1]) };
  const char = /^character\((\d+)\)$/.exec(t);
  if (char) return { type: 'char', length: Number(char[1]) };
  if (t === 'bpchar') return { type: 'char', length: 1 };
  if (/^interval\b/.test(t)) return { type: 'interval', length: null };
  const temporal = /^(timestamp|time)(?:\((\d+)\))? (with|without) time zone$/.exec(t);
  if (temporal) return temporalType(temporal[1] === 'timestamp' ? 'datetime' : 'time', temporal[2], temporal[3] === 'with');
  const numeric = /^numeric\((\d+),(\d+)\)$/.exec(t);
  if (numeric) return Number(numeric[2]) === 0 ? { type: 'decimal', length: null, precision: Number(numeric[1]) } : { type: 'decimal', length: null, precision: Number(numeric[1]), scale: Number(numeric[2]) };
  const simple = SIMPLE[t];
  return simple ? { type: simple, length: null } : { type: 'custom', length: null, custom: t };
}

function temporalType(type: 'datetime' | 'time', precision: string | undefined, zone: boolean): PgType {
  const out: { type: ColumnType; length: null; precision?: number; timezone?: boolean } = { type, length: null };
  if (precision !== undefined && Number(precision) !== 6) out.precision = Number(precision);
  if (type === 'datetime' && !zone) out.timezone = false;
  if (type === 'time' && zone) out.timezone = true;
  return out;
}

/** An array's element spelling -> the canonical element text (a custom spelling when it has options). */
function elementOf(spelling: string): string {
  const c = mapPgType(spelling);
  if (c.type === 'custom' || c.type === 'array' || c.timezone !== undefined || (c.precision !== undefined && c.type !== 'decimal')) return spelling;
  if (c.type === 'decimal') return c.precision === undefined ? 'decimal' : c.scale ? `decimal(${c.precision},${c.scale})` : `decimal(${c.precision})`;
  if (c.type === 'string' || c.type === 'char') return `${c.type}(${c.length})`;
  return c.type;
}

/** The model column as PostgreSQL stores it (see the file comment). */
export function projectPgType(c: Column): Column {
  switch (c.type) {
    case 'datetime':
    case 'time': {
      const { timezone, precision, ...rest } = c;
      const zoneDefault = c.type === 'datetime';
      return {
        ...rest,
        ...(timezone === undefined || timezone === zoneDefault ? {} : { timezone }),
        ...(precision === undefined || precision === 6 ? {} : { precision }),
      };
    }
    case 'text': {
      // One text type: a MySQL size says nothing here.
      const { size: _size, ...rest } = c;
      return rest;
    }
    case 'binary':
    case 'varbinary': {
      const { size: _size, ...rest } = c;
      return { ...rest, type: 'binary', length: null };
    }
    case 'tinyint':
      return { ...c, type: 'smallint' };
    case 'mediumint':
      return { ...c, type: 'integer' };
    case 'custom': {
      const m = mapPgType(c.custom ?? '');
      if (m.type === 'custom') return { ...c, custom: m.custom };
      const { custom: _custom, ...rest } = c;
      return { ...rest, ...m };
    }
    case 'array':
      return { ...c, element: elementOf(pgSpelling(parseElement(c.element ?? ''))) };
    default:
      return c;
  }
}

/** A canonical type's spelling on PostgreSQL (as format_type() prints it). */
export function pgSpelling(c: PgType): string {
  switch (c.type) {
    case 'decimal':
      return c.precision === undefined ? 'numeric' : `numeric(${c.precision},${c.scale ?? 0})`;
    case 'datetime':
    case 'time': {
      const p = c.precision === undefined ? '' : `(${c.precision})`;
      const zone = c.timezone ?? c.type === 'datetime';
      return `${c.type === 'datetime' ? 'timestamp' : 'time'}${p} ${zone ? 'with' : 'without'} time zone`;
    }
    case 'string':
      return `character varying(${c.length})`;
    case 'char':
      return `character(${c.length})`;
    case 'float':
      return 'double precision';
    case 'tinyint':
      return 'smallint';
    case 'mediumint':
      return 'integer';
    case 'binary':
    case 'varbinary':
      return 'bytea';
    case 'array':
      return `${pgSpelling(parseElement(c.element ?? ''))}[]`;
    case 'custom':
      return c.custom ?? '';
    default:
      return c.type;
  }
}

/** The builder call of the types knex's generic calls do not say on PostgreSQL; undefined otherwise. */
export function pgColumnType(c: Column, name: string): string | undefined {
  switch (c.type) {
    case 'smallint':
      return `t.smallint(${name})`;
    case 'decimal':
      return c.precision === undefined ? `t.decimal(${name}, null)` : `t.decimal(${name}, ${c.precision}, ${c.scale ?? 0})`;
    case 'uuid':
      return `t.uuid(${name})`;
    case 'jsonb':
      return `t.jsonb(${name})`;
    case 'datetime':
      if (c.timezone === undefined && c.precision === undefined) return undefined;
      return `t.datetime(${name}, { useTz: ${c.timezone ?? true}${c.precision === undefined ? '' : `, precision: ${c.precision}`} })`;
    case 'time':
      return c.timezone === undefined && c.precision === undefined ? undefined : `t.specificType(${name}, ${lit(pgSpelling(c))})`;
    case 'real':
    case 'char':
    case 'array':
    case 'custom':
      return `t.specificType(${name}, ${lit(pgSpelling(c))})`;
    default:
      return undefined;
  }
}
