import { normalizeExpression } from '../../schema/defaults';
import type { Column } from '../../schema/types';

/**
 * MySQL/MariaDB enum and generated columns, normalised at the boundary:
 * - `enum('a','b''c')` (DATA_TYPE enum) -> Column.enum with no type name; values unquoted
 *   (`''` and backslash escapes);
 * - EXTRA `STORED GENERATED` / `VIRTUAL GENERATED` (both servers) with GENERATION_EXPRESSION:
 *   MySQL escapes quotes (`\'`) and adds charset introducers (`_utf8mb4'x'`), MariaDB prints
 *   the text as written but says octet_length() for length(): all -> the plain expression (backquotes stay; the diff's expression key
 *   ignores them).
 */
export function mysqlColumnExtras(dataType: string, columnType: string, extra: string, expression: string | null): Pick<Column, 'enum' | 'generated'> {
  const out: { enum?: Column['enum']; generated?: Column['generated'] } = {};
  if (dataType.toLowerCase() === 'enum') out.enum = { name: null, values: enumValues(columnType) };
  const kind = /\b(STORED|VIRTUAL) GENERATED\b/i.exec(extra);
  if (kind && expression !== null) {
    out.generated = { expression: normalizeExpression(mysqlExpression(expression)), stored: kind[1].toUpperCase() === 'STORED' };
  }
  return out;
}

export function enumValues(columnType: string): string[] {
  const body = /^enum\((.*)\)$/is.exec(columnType.trim())?.[1] ?? '';
  const map: Record<string, string> = { '0': '\0', n: '\n', r: '\r', t: '\t', b: '\b', Z: '\x1a' };
  return [...body.matchAll(/'((?:[^'\\]|''|\\.)*)'/gs)].map((m) => m[1].replace(/''|\\(.)/gs, (x, ch: string | undefined) => (x === "''" ? "'" : (map[ch as string] ?? (ch as string)))));
}

function mysqlExpression(e: string): string {
  // MariaDB prints length() (bytes, as in MySQL) as octet_length().
  return e.replace(/\\'/g, "'").replace(/_(?:utf8mb4|utf8mb3|utf8|latin1|binary)'/gi, "'").replace(/\boctet_length\s*\(/gi, 'length(');
}
