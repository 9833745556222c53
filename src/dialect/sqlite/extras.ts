import type { Column } from '../../schema/types';
import { nativeType, notOnThisDialect, quoteIdent, sqlString, type ExtrasRender, type NativeTypes } from '../extras-render';

const TYPES: NativeTypes = {
  integer: 'integer',
  bigint: 'bigint',
  text: 'text',
  date: 'date',
  time: 'time',
  datetime: 'datetime',
  interval: 'interval',
  float: 'float',
  boolean: 'boolean',
  json: 'json',
  binary: 'blob',
};

/** SQLite has no enum type: a text column with a CHECK that introspection reads back as the enum. */
const enumType = (c: Column) => `text check (${quoteIdent(c.name)} in (${(c.enum?.values ?? []).map((v) => sqlString(v)).join(', ')}))`;

/**
 * SQLite: enums are `text CHECK (col IN (...))`; generated columns STORED or VIRTUAL (a STORED
 * one cannot be added by ALTER TABLE: the planner rebuilds); identity is auto-increment.
 */
export const sqliteExtras: ExtrasRender = {
  enumType,
  generatedType: (c) =>
    `${c.type === 'enum' ? 'text' : (c.type === 'custom' ? (c.custom ?? '') : nativeType(c, TYPES, 'SQLite'))} GENERATED ALWAYS AS (${c.generated!.expression}) ${c.generated!.stored ? 'STORED' : 'VIRTUAL'}`,
  identityType: () => undefined,
  createEnumType: () => notOnThisDialect('createEnumType'),
  dropEnumType: () => notOnThisDialect('dropEnumType'),
  alterEnumType: () => notOnThisDialect('alterEnumType'),
  commentOn: () => notOnThisDialect('commentOn'),
  createExtension: () => notOnThisDialect('createExtension'),
  dropExtension: () => notOnThisDialect('dropExtension'),
  alterIdentity: () => undefined,
};
