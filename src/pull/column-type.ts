/**
 * A column's type as a builder call of the model language (`String(70)`, `Numeric(10, 2)`).
 * One entry per canonical type: the `Record` makes a type with no entry fail to compile.
 */
import type { Column, ColumnType } from '../schema/types';
import { lit } from '../render/literal';

/** The call and the builder names it needs imported. */
export interface TypeCall {
  readonly call: string;
  readonly imports: readonly string[];
}

const plain = (builder: string): TypeCall => ({ call: `${builder}()`, imports: [builder] });

/** `{ timezone: true, precision: 3 }` for DateTime/Time, or '' when neither is set. */
function timeOptions(c: Column): string {
  const parts: string[] = [];
  if (c.timezone !== undefined) parts.push(`timezone: ${c.timezone}`);
  if (c.precision !== undefined) parts.push(`precision: ${c.precision}`);
  return parts.length ? `{ ${parts.join(', ')} }` : '';
}

const withLength = (builder: string, c: Column): TypeCall => ({ call: `${builder}(${c.length ?? ''})`, imports: [builder] });

/** Text/LargeBinary, with MySQL's TEXT/BLOB size when it is not the plain one. */
const sized = (builder: string, c: Column): TypeCall => ({ call: `${builder}(${c.size ? `{ size: ${lit(c.size)} }` : ''})`, imports: [builder] });

type TypeRenderer = (c: Column) => TypeCall;

/**
 * Canonical types, present and announced by the issue-11 contract (smallint ... custom). The
 * Record is keyed by every name so that adding one to COLUMN_TYPES needs an entry here.
 */
const TYPES: Record<ColumnType | IssueElevenType, TypeRenderer> = {
  integer: () => plain('Integer'),
  bigint: () => plain('BigInteger'),
  smallint: () => plain('SmallInteger'),
  tinyint: () => plain('TinyInteger'),
  mediumint: () => plain('MediumInteger'),
  // 255 is String()'s own default: written as String(), as a person would.
  string: (c) => ({ call: c.length === 255 || c.length === null ? 'String()' : `String(${c.length})`, imports: ['String'] }),
  text: (c) => sized('Text', c),
  char: (c) => withLength('Char', c),
  date: () => plain('Date'),
  time: (c) => ({ call: `Time(${timeOptions(c)})`, imports: ['Time'] }),
  datetime: (c) => ({ call: `DateTime(${timeOptions(c)})`, imports: ['DateTime'] }),
  interval: () => plain('Interval'),
  float: () => plain('Float'),
  real: () => plain('Real'),
  decimal: (c) => ({ call: `Numeric(${[c.precision, c.scale].filter((n) => n !== undefined).join(', ')})`, imports: ['Numeric'] }),
  boolean: () => plain('Boolean'),
  json: () => plain('JSON'),
  jsonb: () => plain('Jsonb'),
  uuid: () => plain('Uuid'),
  // LargeBinary; a fixed BINARY(n) when the IR gives a length.
  binary: (c) => (c.length === null ? sized('LargeBinary', c) : withLength('Binary', c)),
  varbinary: (c) => withLength('VarBinary', c),
  enum: (c) => {
    const values = c.enum?.values ?? [];
    // The name as the model says it (./column columnSource: bare in the table's schema, else `shared.mood`).
    const name = c.enum?.name;
    const args = [...values.map(lit), ...(name ? [`{ name: ${lit(name)} }`] : [])];
    return { call: `Enum(${args.join(', ')})`, imports: ['Enum'] };
  },
  array: (c) => {
    const element = elementCall(c.element ?? 'custom');
    return { call: `Array(${element.call})`, imports: ['Array', ...element.imports] };
  },
  custom: (c) => ({ call: `Custom(${lit(c.custom ?? '')})`, imports: ['Custom'] }),
};

/** The canonical type names the issue-11 contract adds to COLUMN_TYPES (absent on this branch). */
type IssueElevenType = 'smallint' | 'decimal' | 'real' | 'char' | 'uuid' | 'jsonb' | 'varbinary' | 'enum' | 'array' | 'custom';

/** An array's element: a canonical type with no parameters, or the database's own spelling. */
function elementCall(element: string): TypeCall {
  const known = Object.prototype.hasOwnProperty.call(TYPES, element) && !['array', 'custom', 'enum'].includes(element);
  if (known) return TYPES[element as ColumnType]({ name: '', type: element as ColumnType, length: null, nullable: true, default: null, autoIncrement: false, unsigned: false });
  return { call: `Custom(${lit(element)})`, imports: ['Custom'] };
}

export function typeCall(c: Column): TypeCall {
  const render: TypeRenderer | undefined = (TYPES as Record<string, TypeRenderer>)[c.type];
  // Unreachable with a canonical Schema; kept honest for a type added without its entry.
  if (!render) return { call: `Custom(${lit(c.type)})`, imports: ['Custom'] };
  return render(c);
}

/** For tests and docs: every type name this renderer knows. */
export const RENDERED_TYPES = Object.keys(TYPES);
