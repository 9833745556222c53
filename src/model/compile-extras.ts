import { INTEGER_TYPES, type Column, type ColumnDefault, type ColumnType } from '../schema/types';
import { normalizeExpression } from '../schema/defaults';
import { identityOptionsOf, identitySequenceType } from '../schema/sequence';
import { compileSequence, sequence, type SequenceOptions } from './sequence';
import { checkIdentifier, describe, fail } from './checks';
import type { ColumnSpec } from './column';

/**
 * The issue-11 column options that live beside the type: an Enum's values and type name, a
 * computed (generated) column and an identity column. Checked here so the message names the
 * model and field; the result is the optional Column fields in their normal form.
 */
export type ColumnExtras = Pick<Column, 'enum' | 'generated' | 'identity' | 'identityOptions'>;

/** The longest enum label PostgreSQL keeps (NAMEDATALEN - 1 bytes). */
const MAX_LABEL_BYTES = 63;

export function compileEnum(where: string, spec: ColumnSpec): Column['enum'] {
  if (spec.type !== 'enum') return undefined;
  const given = spec.enumSpec;
  if (!given || !Array.isArray(given.values) || given.values.length === 0) fail(`${where}: Enum() needs at least one value`);
  const values: string[] = [];
  for (const v of given.values) {
    if (typeof v !== 'string' || v === '') fail(`${where}: enum value ${describe(v)} is not a non-empty string`);
    // eslint-disable-next-line no-control-regex -- control characters are what is refused
    if (/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(v)) fail(`${where}: enum value ${describe(v)} contains a control character`);
    if (Buffer.byteLength(v) > MAX_LABEL_BYTES) fail(`${where}: enum value '${v}' is longer than ${MAX_LABEL_BYTES} bytes (PostgreSQL's limit)`);
    if (values.includes(v)) fail(`${where}: enum value '${v}' listed twice`);
    values.push(v);
  }
  const name = given.name === null || given.name === undefined ? null : checkEnumName(where, given.name);
  return { name, values };
}

/**
 * An Enum's type name: `mood` (the table's schema) or `shared.mood` (schema `shared`, the first
 * '.' separating it; src/schema/qualified.ts typeOfModel). Only a type name written with its
 * schema may hold a '.' (`public.Odd.Name`): PostgreSQL quotes it, Knex never sees it.
 */
function checkEnumName(where: string, given: unknown): string {
  if (typeof given !== 'string' || !given.includes('.')) return checkIdentifier(where, 'enum type name', given);
  const dot = given.indexOf('.');
  checkIdentifier(where, `the schema of enum type name '${given}'`, given.slice(0, dot));
  checkIdentifier(where, 'enum type name', given.slice(dot + 1), true);
  return given;
}

/** A literal default of an Enum column must be one of its values. */
export function checkEnumDefault(where: string, values: readonly string[] | undefined, dflt: ColumnDefault | null): void {
  if (!values || dflt?.kind !== 'literal') return;
  if (!values.includes(String(dflt.value))) fail(`${where}: default ${describe(dflt.value)} is not one of the enum's values (${values.join(', ')})`);
}

export function compileGenerated(where: string, spec: ColumnSpec, inKey: boolean, hasDefault: boolean): Column['generated'] {
  const given = spec.computed;
  if (!given) return undefined;
  if (typeof given.expression !== 'string' || given.expression.trim() === '') fail(`${where}: computed() needs a SQL expression`);
  if (typeof given.stored !== 'boolean') fail(`${where}: computed() option stored must be true or false`);
  if (hasDefault) fail(`${where}: a computed column cannot have a default`);
  if (inKey) fail(`${where}: a computed column cannot be part of the primary key`);
  if (spec.autoIncrement === true || spec.identity) fail(`${where}: a computed column cannot auto-increment`);
  return { expression: normalizeExpression(given.expression), stored: given.stored };
}

/**
 * identity() on an integer-type column (Integer, BigInteger, SmallInteger, ...): on a lone key it
 * is how that key auto-increments; on any other column (one of a composite key, or no key)
 * PostgreSQL numbers it all the same (MySQL/MariaDB and SQLite cannot: their projections refuse
 * it). Such a column is NOT NULL and has no default.
 */
export function compileIdentity(where: string, spec: ColumnSpec, type: ColumnType, lone: boolean, hasDefault: boolean): Column['identity'] {
  const given = spec.identity;
  if (!given) return undefined;
  if (!INTEGER_TYPES.has(type)) fail(`${where}: identity() needs an Integer, BigInteger, SmallInteger, TinyInteger or MediumInteger column`);
  if (spec.autoIncrement === false) fail(`${where}: identity() with autoIncrement(false)`);
  if (!lone && spec.nullable === true) fail(`${where}: an identity column cannot be nullable`);
  if (!lone && hasDefault) fail(`${where}: an identity column cannot have a default`);
  if (typeof given.always !== 'boolean') fail(`${where}: identity() option always must be true or false`);
  return given.always ? 'always' : 'by default';
}

/**
 * identity()'s sequence options, checked as `sequence()` checks them (for the column's type), in
 * normal form: those that differ from PostgreSQL's defaults; undefined when none.
 */
export function compileIdentityOptions(where: string, spec: ColumnSpec, type: ColumnType): Column['identityOptions'] {
  const given = spec.identity?.sequence;
  if (!given) return undefined;
  if ('as' in given) fail(`${where}: identity() takes no 'as': its sequence has the column's type`);
  const s = compileSequence(sequence('identity', { ...given, as: identitySequenceType(type) } as SequenceOptions), `${where} (identity)`);
  return identityOptionsOf(s);
}

/** The optional fields, only those set (absent means none: the normal form). */
export function extrasOf(extras: ColumnExtras): ColumnExtras {
  const out: { -readonly [K in keyof ColumnExtras]: ColumnExtras[K] } = {};
  if (extras.enum) out.enum = extras.enum;
  if (extras.generated) out.generated = extras.generated;
  if (extras.identity) out.identity = extras.identity;
  if (extras.identityOptions) out.identityOptions = extras.identityOptions;
  return out;
}

/** Types whose values are text, the only ones a collation applies to. */
const COLLATABLE: readonly string[] = ['string', 'text', 'char', 'enum', 'custom'];

/** `.collate(name)`: a plain collation name (letters, digits, `_ . - @`), on a text type. */
export function compileCollation(where: string, spec: ColumnSpec, type: string): string | undefined {
  const given = spec.collation;
  if (given === undefined || given === null) return undefined;
  if (typeof given !== 'string' || !/^[A-Za-z0-9_.@-]{1,63}$/.test(given)) {
    fail(`${where}: collation ${describe(given)} is not a collation name (letters, digits, '_', '.', '-', '@')`);
  }
  if (!COLLATABLE.includes(type)) fail(`${where}: collate() applies to String, Text, Char, Enum and Custom columns, not ${type}`);
  return given;
}

/** `.unsigned(value)`: a boolean, on an integer type; undefined: not said. */
export function compileUnsigned(where: string, spec: ColumnSpec, type: string): boolean | undefined {
  const given = spec.unsigned;
  if (given === undefined) return undefined;
  if (typeof given !== 'boolean') fail(`${where}: unsigned() takes true or false, not ${describe(given)}`);
  if (!INTEGER_TYPES.has(type as ColumnType)) {
    fail(`${where}: unsigned() applies to Integer, SmallInteger, BigInteger, TinyInteger and MediumInteger columns, not ${type}`);
  }
  return given;
}
