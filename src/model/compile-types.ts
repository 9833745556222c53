import { elementText, normalizeTypeSpelling } from '../schema/element';
import { LOB_SIZES, type Column, type ColumnType, type LobSize } from '../schema/types';
import { checkLength, checkType, describe, fail } from './checks';
import { isColumnBuilder } from './column';
import type { ColumnSpec, TypeOptions } from './column';

/** The optional type fields of a column (see Column in ../schema/types). */
export type TypeFields = Pick<Column, 'precision' | 'scale' | 'timezone' | 'element' | 'custom' | 'size'>;

/** The largest decimal precision any supported database takes (PostgreSQL's 1000; MySQL's is 65, checked there). */
const MAX_DECIMAL_PRECISION = 1000;
/** Fractional-second digits, on every database that has them. */
const MAX_TIME_PRECISION = 6;

/** A column's type parameters, checked, in normal form (absent when not said). */
export function compileTypeFields(where: string, type: ColumnType, spec: Pick<ColumnSpec, 'typeOptions' | 'length'>): TypeFields {
  const o: TypeOptions = spec.typeOptions ?? {};
  switch (type) {
    case 'text':
    case 'binary':
      return lobFields(where, o, spec.length);
    case 'decimal':
      return decimalFields(where, o);
    case 'datetime':
    case 'time':
      return temporalFields(where, o);
    case 'array':
      return { element: elementOf(where, o.element) };
    case 'custom':
      return { custom: spelling(where, o.custom) };
    default:
      return {};
  }
}

function lobFields(where: string, o: TypeOptions, length: unknown): TypeFields {
  if (o.size === undefined) return {};
  if (typeof o.size !== 'string' || !(LOB_SIZES as readonly string[]).includes(o.size)) {
    fail(`${where}: size ${describe(o.size)} is not one of ${LOB_SIZES.map((s) => `'${s}'`).join(', ')}`, 'leave it out for TEXT/BLOB (64 KB)');
  }
  if (length !== undefined && length !== null) fail(`${where}: a Binary(n) of fixed length takes no size`, 'use LargeBinary({ size }) for a BLOB');
  return { size: o.size as LobSize };
}

function integerIn(where: string, what: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    fail(`${where}: ${what} ${describe(value)} is not an integer from ${min} to ${max}`);
  }
  return value;
}

function decimalFields(where: string, o: TypeOptions): TypeFields {
  if (o.precision === undefined || o.precision === null) {
    if (o.scale !== undefined && o.scale !== null) fail(`${where}: a decimal scale needs a precision`, 'e.g. Numeric(10, 2)');
    return {};
  }
  const precision = integerIn(where, 'decimal precision', o.precision, 1, MAX_DECIMAL_PRECISION);
  const scale = o.scale === undefined || o.scale === null ? 0 : integerIn(where, 'decimal scale', o.scale, 0, precision);
  return scale === 0 ? { precision } : { precision, scale };
}

function temporalFields(where: string, o: TypeOptions): TypeFields {
  const out: { precision?: number; timezone?: boolean } = {};
  if (o.timezone !== undefined) {
    if (typeof o.timezone !== 'boolean') fail(`${where}: timezone ${describe(o.timezone)} is not true or false`);
    out.timezone = o.timezone;
  }
  if (o.precision !== undefined) out.precision = integerIn(where, 'precision', o.precision, 0, MAX_TIME_PRECISION);
  return out;
}

function elementOf(where: string, element: unknown): string {
  const at = `${where} (array element)`;
  if (!isColumnBuilder(element)) fail(`${at}: not a column type (use Array(Integer()), Array(String(20)), ...)`);
  const type = checkType(at, element.spec.type);
  if (type === 'array') fail(`${at}: arrays of arrays are not supported`, 'PostgreSQL arrays of any dimension are one type: use Array(element)');
  if (type === 'enum') fail(`${at}: arrays of enums are not supported`, "use Array(Custom('<enum type name>'))");
  const fields = compileTypeFields(at, type, element.spec);
  if (fields.size !== undefined) fail(`${at}: an array element takes no size`, 'PostgreSQL, the one database with arrays, has one text and one bytea size');
  if (fields.timezone !== undefined || fields.precision !== undefined && type !== 'decimal') {
    fail(`${at}: an array element takes no timezone or precision`, "use Array(Custom('timestamp(3) with time zone')) for such an element");
  }
  return elementText({ type, length: checkLength(at, type, element.spec.length), ...fields });
}

function spelling(where: string, custom: unknown): string {
  if (typeof custom !== 'string' || custom.trim() === '') fail(`${where}: Custom needs the database's spelling of the type, e.g. Custom('citext')`);
  // eslint-disable-next-line no-control-regex -- control characters are what is refused
  if (/[\u0000-\u001f\u007f-\u009f;]/.test(custom)) fail(`${where}: custom type ${describe(custom)} contains a control character or ';'`);
  return normalizeTypeSpelling(custom);
}
