import type { OperationOf } from '../ops/types';
import { KilnError } from '../errors';
import type { Column, ColumnType } from '../schema/types';

/**
 * How a dialect renders the column kinds Knex has no builder for: enums, generated columns and
 * identity columns (issue 11). Each returns a type text for `t.specificType(name, text)`, or
 * statements; where the dialect cannot do a thing it throws a KilnError naming it.
 */
export interface ExtrasRender {
  /** The type of an Enum column. */
  enumType(c: Column): string;
  /** The type of a generated column, with its `GENERATED ALWAYS AS (...) STORED|VIRTUAL` clause. */
  generatedType(c: Column): string;
  /** The type of an identity column, or undefined where identity is plain auto-increment. */
  identityType(c: Column): string | undefined;
  /** Statements for the named enum type ops (PostgreSQL only: the diff emits them nowhere else). */
  createEnumType(op: OperationOf<'createEnumType'>): string;
  dropEnumType(op: OperationOf<'dropEnumType'>): string;
  alterEnumType(op: OperationOf<'alterEnumType'>): string;
  /** Statements for a change of identity on a kept column, or undefined when identity does not change. */
  alterIdentity(table: string, from: Column, to: Column): string | undefined;
  /** Statements for the extension ops (PostgreSQL only: only its baseline writes them). */
  createExtension(op: OperationOf<'createExtension'>): string;
  dropExtension(op: OperationOf<'dropExtension'>): string;
  /** The statement of a commentOn op (PostgreSQL only: its planner emits them nowhere else). */
  commentOn(op: OperationOf<'commentOn'>): string;
}

/** A dialect's native spelling of the canonical types a generated column may have. */
export type NativeTypes = Partial<Record<ColumnType, string>>;

export function nativeType(c: Column, types: NativeTypes, dialect: string): string {
  if (c.type === 'string') return `varchar(${c.length ?? 255})`;
  const t = types[c.type];
  if (t === undefined) throw new Error(`kiln: a generated ${c.type} column cannot be rendered on ${dialect}`);
  return t;
}

/** `'it''s'`: a SQL string literal (MySQL also doubles backslashes). */
export function sqlString(value: string, backslashes = false): string {
  const body = value.replace(/'/g, "''");
  return `'${backslashes ? body.replace(/\\/g, '\\\\') : body}'`;
}

/** `"name"` (PostgreSQL, SQLite) */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export function notOnThisDialect(what: string): never {
  throw new Error(`kiln bug: ${what} rendered on a dialect that does not have it`);
}

/**
 * `<type> COLLATE <name>` for `t.specificType` (SQLite, PostgreSQL), the type as `own` spells
 * it (undefined: the text types' common spelling), or a KilnError naming the column.
 */
export function collatedType(c: Column, collation: string, dialect: string, own: string | undefined): string {
  const base = own ?? COMMON_TEXT_TYPES[c.type]?.(c);
  if (base === undefined) {
    throw new KilnError('MODEL', `column '${c.name}': kiln cannot give a ${c.type} column a collation on ${dialect}`, {
      hint: 'leave the collation out of the model (kiln keeps the database\'s), or change it by hand',
    });
  }
  return `${base} COLLATE ${collation}`;
}

const COMMON_TEXT_TYPES: Partial<Record<ColumnType, (c: Column) => string>> = {
  string: (c) => `varchar(${c.length ?? 255})`,
  char: (c) => `char(${c.length ?? 1})`,
  text: () => 'text',
  custom: (c) => c.custom ?? 'text',
};
