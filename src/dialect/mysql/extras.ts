import type { Column } from '../../schema/types';
import { nativeType, notOnThisDialect, sqlString, type ExtrasRender, type NativeTypes } from '../extras-render';

const TYPES: NativeTypes = {
  integer: 'int',
  bigint: 'bigint',
  text: 'text',
  date: 'date',
  time: 'time',
  datetime: 'datetime',
  interval: 'time',
  float: 'double',
  boolean: 'tinyint(1)',
  json: 'json',
  binary: 'blob',
};

const enumType = (c: Column) => `enum(${(c.enum?.values ?? []).map((v) => sqlString(v, true)).join(',')})`;

/**
 * MySQL/MariaDB: `ENUM('a','b')` (a value change is a MODIFY, guarded when values go);
 * generated columns STORED or VIRTUAL; identity is AUTO_INCREMENT (the projection drops it).
 */
export const mysqlExtras: ExtrasRender = {
  enumType,
  generatedType: (c) =>
    `${c.type === 'enum' ? enumType(c) : nativeType(c, TYPES, 'MySQL')}${c.unsigned ? ' unsigned' : ''} GENERATED ALWAYS AS (${c.generated!.expression}) ${c.generated!.stored ? 'STORED' : 'VIRTUAL'}`,
  identityType: () => undefined,
  createEnumType: () => notOnThisDialect('createEnumType'),
  dropEnumType: () => notOnThisDialect('dropEnumType'),
  alterEnumType: () => notOnThisDialect('alterEnumType'),
  alterIdentity: () => undefined,
};
