import { KilnError } from '../../errors';
import type { Column } from '../../schema/types';
import { lit } from '../../render/literal';
import { parseSqliteType } from './introspect-types';

/**
 * SQLite stores five kinds of values whatever a column's declared type says, so issue 11's
 * types are projected to the declared types kiln already writes there: smallint, tinyint and
 * mediumint -> integer, real and decimal -> float (a decimal default becomes its number), char(n) and uuid ->
 * string(n) and string(36), jsonb -> json, binary(n)/varbinary(n) -> binary (no length),
 * datetime/time lose timezone and precision (the value is text, kept as written), text and
 * blobs their MySQL size (Column.size). Arrays are
 * refused. A custom type keeps its spelling as the declared type, read back by SQLite's own
 * rules (./introspect-types: `citext` has TEXT affinity, so it is text).
 */
export function projectSqliteType(c: Column, where: string): Column {
  switch (c.type) {
    case 'smallint':
    case 'tinyint':
    case 'mediumint':
      return { ...c, type: 'integer' };
    case 'real':
      return { ...c, type: 'float' };
    case 'decimal': {
      const { precision: _p, scale: _s, ...rest } = c;
      const dflt = c.default?.kind === 'literal' ? { kind: 'literal' as const, value: Number(c.default.value) } : c.default;
      return { ...rest, type: 'float', default: dflt };
    }
    case 'char':
      return { ...c, type: 'string' };
    case 'uuid':
      return { ...c, type: 'string', length: 36 };
    case 'jsonb':
      return { ...c, type: 'json' };
    case 'text': {
      const { size: _size, ...rest } = c;
      return rest;
    }
    case 'binary':
    case 'varbinary': {
      const { size: _size, ...rest } = c;
      return { ...rest, type: 'binary', length: null };
    }
    case 'datetime':
    case 'time': {
      const { timezone: _tz, precision: _p, ...rest } = c;
      return rest;
    }
    case 'array':
      throw new KilnError('MODEL', `${where}: SQLite has no array type`, { hint: 'use JSON(), or a table of the elements' });
    case 'custom': {
      const read = parseSqliteType(c.custom ?? '');
      if (read.type === 'custom') return { ...c, custom: read.custom };
      const { custom: _custom, ...rest } = c;
      return { ...rest, type: read.type, length: read.length };
    }
    default:
      return c;
  }
}

/** The builder call of a custom type on SQLite (its spelling as the declared type); undefined otherwise. */
export function sqliteColumnType(c: Column, name: string): string | undefined {
  return c.type === 'custom' ? `t.specificType(${name}, ${lit(c.custom ?? '')})` : undefined;
}
