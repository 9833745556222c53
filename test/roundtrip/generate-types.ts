/**
 * Issue 11's column types in the seeded random round trip (./generate.ts): the portable ones
 * (every dialect), with their builder source, a literal default and a row value. Arrays
 * (PostgreSQL only) and custom types (a spelling per database) are covered by ./types.test.ts.
 */
import type { ColumnType } from '../../src/schema/types';

export const TYPE_VOCABULARY: readonly ColumnType[] = ['smallint', 'decimal', 'real', 'char', 'uuid', 'jsonb', 'varbinary'];

/** The names the models file imports for these types. */
export const TYPE_IMPORTS = 'SmallInteger, Numeric, Real, Char, Uuid, Jsonb, VarBinary';

interface Rand {
  int(lo: number, hi: number): number;
  pick<T>(xs: readonly T[]): T;
}

export function typeLength(rng: Rand, type: ColumnType): number | null | undefined {
  if (type === 'char') return rng.pick([1, 4, 36]);
  if (type === 'varbinary') return rng.pick([8, 64]);
  return undefined;
}

/** The builder call, or undefined for the tutorial's types. */
export function typeSource(type: ColumnType, length: number | null): string | undefined {
  const sources: Partial<Record<ColumnType, string>> = {
    smallint: 'SmallInteger()',
    decimal: 'Numeric(10, 2)',
    real: 'Real()',
    char: `Char(${length})`,
    uuid: 'Uuid()',
    jsonb: 'Jsonb()',
    varbinary: `VarBinary(${length})`,
  };
  return sources[type];
}

export function typeDefault(rng: Rand, type: ColumnType, length: number | null): { kind: 'literal'; value: string | number } | null {
  switch (type) {
    case 'smallint':
      return { kind: 'literal', value: rng.int(-50, 50) };
    case 'decimal':
      return { kind: 'literal', value: rng.pick(['0', '10.5', '-3.25']) };
    case 'real':
      return { kind: 'literal', value: rng.int(-8, 8) / 4 };
    case 'char':
      return { kind: 'literal', value: 'abcd'.slice(0, length ?? 1) };
    case 'uuid':
      return { kind: 'literal', value: '00000000-0000-4000-8000-000000000000' };
    default:
      return null;
  }
}

export function typeValue(type: ColumnType, n: number, length: number | null): unknown {
  switch (type) {
    case 'smallint':
      return n % 30000;
    case 'decimal':
      return `${n}.25`;
    case 'real':
      return n + 0.5;
    case 'char':
      return `c${n}`.slice(0, length ?? 1);
    case 'uuid':
      return `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
    case 'jsonb':
      return JSON.stringify({ n });
    case 'varbinary':
      return Buffer.from([n % 256, 1]);
    default:
      return undefined;
  }
}
