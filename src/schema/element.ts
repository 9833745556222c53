import type { Column, ColumnType } from './types';

/**
 * The type part of a column as one canonical text, for what carries a type without being a
 * column: a PostgreSQL array's element (`Column.element`). `integer`, `string(20)`, `char(2)`,
 * `decimal`, `decimal(10)`, `decimal(10,2)`; any other text is a custom spelling (`citext`).
 * Element types take no other option (a datetime's zone or precision): such an element is a
 * custom spelling.
 */
export type TypeFields = Pick<Column, 'type' | 'length'> & Partial<Pick<Column, 'precision' | 'scale' | 'custom'>>;

const PLAIN: ReadonlySet<string> = new Set<ColumnType>([
  'integer',
  'smallint',
  'tinyint',
  'mediumint',
  'bigint',
  'text',
  'boolean',
  'date',
  'time',
  'datetime',
  'interval',
  'float',
  'real',
  'uuid',
  'json',
  'jsonb',
  'binary',
  'varbinary',
]);

export function elementText(c: TypeFields): string {
  if (c.type === 'custom') return c.custom ?? '';
  if (c.type === 'string' || c.type === 'char') return `${c.type}(${c.length})`;
  if (c.type === 'decimal') {
    if (c.precision === undefined) return 'decimal';
    return c.scale ? `decimal(${c.precision},${c.scale})` : `decimal(${c.precision})`;
  }
  return c.type;
}

export function parseElement(text: string): TypeFields {
  const sized = /^(string|char)\((\d+)\)$/.exec(text);
  if (sized) return { type: sized[1] as ColumnType, length: Number(sized[2]) };
  const decimal = /^decimal(?:\((\d+)(?:,(\d+))?\))?$/.exec(text);
  if (decimal) {
    const out: { type: ColumnType; length: null; precision?: number; scale?: number } = { type: 'decimal', length: null };
    if (decimal[1] !== undefined) out.precision = Number(decimal[1]);
    if (decimal[2] !== undefined && Number(decimal[2]) !== 0) out.scale = Number(decimal[2]);
    return out;
  }
  if (PLAIN.has(text)) return { type: text as ColumnType, length: null };
  return { type: 'custom', length: null, custom: text };
}

/**
 * A database type's spelling in normal form (how `Custom('...')` and introspected custom types
 * compare): lower case, one space between words, none around parentheses and commas
 * (`Numeric (10, 2)` -> `numeric(10,2)`). Quoted identifiers and string literals keep their case.
 */
export function normalizeTypeSpelling(spelling: string): string {
  return spelling
    // Quoted names and string literals (MySQL's SET('Trailers', ...) values) keep their case.
    .split(/("(?:[^"]|"")*"|'(?:[^'\\]|''|\\.)*')/)
    .map((part, i) =>
      i % 2
        ? part
        : part
            .toLowerCase()
            .replace(/\s+/g, ' ')
            .replace(/ ?([([]) ?/g, '$1')
            .replace(/ ?([)\]])/g, '$1')
            .replace(/ ?, ?/g, ','),
    )
    .join('')
    .trim();
}
