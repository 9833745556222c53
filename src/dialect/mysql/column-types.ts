import { KilnError } from '../../errors';
import { normalizeTypeSpelling } from '../../schema/element';
import type { TypeFields } from '../../schema/element';
import type { Column, ColumnType } from '../../schema/types';
import { lit } from '../../render/literal';

/**
 * MySQL/MariaDB's native types for the canonical ones, both ways (issue 11's types):
 * smallint `smallint`, tinyint `tinyint`, mediumint `mediumint` (display widths such as MariaDB's
 * `tinyint(4)` are not part of the type; `tinyint(1)` is boolean, read before these); decimal `decimal(p,s)` (no precision: MySQL's decimal(10,0); precision
 * at most 65, scale at most 30); real `float` (4 bytes; `double`/`real` are float); char(n)
 * `char(n)`; uuid and jsonb have no type of their own: `char(36)` and `json`; binary(n)
 * `binary(n)`, varbinary(n) `varbinary(n)`; text and a LargeBinary `text`/`blob` or, with a
 * size, `tinytext`, `mediumtext`, `longtext` (blobs alike); datetime/time take a precision (0, the default,
 * to 6) and store no zone, so `timezone: true` is refused; arrays are refused; custom types
 * keep their spelling.
 */

export type MysqlType = TypeFields & Pick<Column, 'precision'>;

function refuse(message: string, hint: string): never {
  throw new KilnError('MODEL', message, { hint });
}

/** information_schema DATA_TYPE and COLUMN_TYPE of the issue-11 types; undefined for the others. */
export function mapMysqlType(d: string, full: string): MysqlType | undefined {
  const args = /\(([\d,\s]+)\)/.exec(full)?.[1].split(',').map((a) => Number(a.trim())) ?? [];
  switch (d) {
    case 'smallint':
    case 'tinyint':
    case 'mediumint':
      return { type: d, length: null };
    case 'float':
      return { type: 'real', length: null };
    case 'decimal':
    case 'numeric':
      return args[1] ? { type: 'decimal', length: null, precision: args[0], scale: args[1] } : { type: 'decimal', length: null, precision: args[0] ?? 10 };
    case 'char':
    case 'binary':
    case 'varbinary':
      return { type: d === 'char' ? 'char' : (d as ColumnType), length: args[0] ?? 1 };
    case 'timestamp':
      // Not a datetime: stored in UTC and read in the session's time zone, 1970 to 2038. Kept in
      // its spelling (`Custom('timestamp(3)')`), so a rebuild or a baseline never turns it into
      // a DATETIME, which would change what every reader in another time zone sees.
      return { type: 'custom', length: null, custom: args[0] ? `timestamp(${args[0]})` : 'timestamp' };
    case 'datetime':
    case 'time': {
      const type: ColumnType = d === 'time' ? 'time' : 'datetime';
      return args[0] ? { type, length: null, precision: args[0] } : { type, length: null };
    }
    default:
      return undefined;
  }
}

/** A custom spelling as MySQL reads it back: a canonical type (`mediumtext` is text), or the normalised spelling. */
function customOf(c: Column): Column {
  // The introspector's type rules, loaded only for a model that says a custom type.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { mapType } = require('./introspect') as typeof import('./introspect');
  const spelling = normalizeTypeSpelling(c.custom ?? '');
  const m = mapType(spelling.replace(/[ (].*$/, ''), spelling, /^\w+\((\d+)\)/.exec(spelling)?.[1] ?? null);
  if (m.type === 'custom') return { ...c, custom: m.custom };
  const { custom: _custom, ...rest } = c;
  return { ...rest, ...m };
}

/** The model column as MySQL/MariaDB stores it (see the file comment); refuses what it cannot store. */
export function projectMysqlType(c: Column, where: string): Column {
  const out = projectType(c, where);
  const d = out.default;
  if (d?.kind !== 'literal' || typeof d.value !== 'string' || out.length === null) return out;
  if ((out.type === 'string' || out.type === 'char') && [...d.value].length > out.length) {
    // PostgreSQL and SQLite take such a default (and refuse or keep it at insert); MySQL refuses the column.
    refuse(`${where}: MySQL/MariaDB refuse a default longer than the column (${[...d.value].length} characters for ${out.length})`, 'shorten the default or lengthen the column');
  }
  if (out.type === 'binary') {
    // BINARY(n) pads with zero bytes, its default too (`'ab'` reads back as `'ab\0\0'`).
    const bytes = Buffer.byteLength(d.value);
    if (bytes > out.length) refuse(`${where}: MySQL/MariaDB refuse a default longer than the column (${bytes} bytes for ${out.length})`, 'shorten the default or lengthen the column');
    if (bytes < out.length) return { ...out, default: { kind: 'literal', value: d.value + '\0'.repeat(out.length - bytes) } };
  }
  return out;
}

function projectType(c: Column, where: string): Column {
  switch (c.type) {
    case 'datetime':
    case 'time': {
      if (c.timezone === true) {
        refuse(`${where}: MySQL/MariaDB cannot store a time zone (timezone: true)`, `use ${c.type === 'datetime' ? 'DateTime' : 'Time'}() without timezone there`);
      }
      const { timezone: _tz, precision, ...rest } = c;
      return precision === undefined || precision === 0 ? rest : { ...rest, precision };
    }
    case 'decimal': {
      const precision = c.precision ?? 10;
      if (precision > 65) refuse(`${where}: MySQL/MariaDB decimals hold at most 65 digits (precision ${precision})`, 'use a precision of 65 or less');
      if ((c.scale ?? 0) > 30) refuse(`${where}: MySQL/MariaDB decimals hold at most 30 digits after the point (scale ${c.scale})`, 'use a scale of 30 or less');
      return { ...c, precision };
    }
    case 'uuid':
      return { ...c, type: 'char', length: 36 };
    case 'jsonb':
      return { ...c, type: 'json' };
    case 'array':
      return refuse(`${where}: MySQL/MariaDB have no array type`, 'use JSON(), or a table of the elements');
    case 'custom':
      return customOf(c);
    default:
      return c;
  }
}

/** A text or LargeBinary column's MySQL type: `text`, `mediumtext`, `longblob`, ... (Column.size). */
export function lobSpelling(c: Pick<Column, 'type' | 'size'>): string {
  return `${c.size ?? ''}${c.type === 'text' ? 'text' : 'blob'}`;
}

/** The builder call of the types knex's generic calls do not say on MySQL/MariaDB; undefined otherwise. */
export function mysqlColumnType(c: Column, name: string): string | undefined {
  const specific = (spelling: string) => `t.specificType(${name}, ${lit(spelling)})`;
  switch (c.type) {
    case 'smallint':
    case 'tinyint':
    case 'mediumint':
      return `t.${c.type}(${name})`;
    case 'decimal':
      return `t.decimal(${name}, ${c.precision ?? 10}, ${c.scale ?? 0})`;
    case 'real':
      return specific('float');
    case 'text':
      // knex's t.text takes 'mediumtext' and 'longtext', not 'tinytext'.
      return c.size === undefined ? undefined : c.size === 'tiny' ? specific('tinytext') : `t.text(${name}, ${lit(lobSpelling(c))})`;
    case 'char':
    case 'binary':
      if (c.length === null) return c.size === undefined ? undefined : specific(lobSpelling(c));
      return specific(`${c.type}(${c.length})`);
    case 'varbinary':
      return specific(`varbinary(${c.length})`);
    case 'datetime':
    case 'time':
      return c.precision === undefined ? undefined : specific(`${c.type}(${c.precision})`);
    case 'custom':
      return specific(c.custom ?? '');
    default:
      return undefined;
  }
}
