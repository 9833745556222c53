import type { Column } from '../../schema/types';
import { lobSpelling } from './column-types';
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

/** A generated column's type (after the projection: no uuid or jsonb here). */
function generatedColumnType(c: Column): string {
  switch (c.type) {
    case 'smallint':
    case 'tinyint':
    case 'mediumint':
      return c.type;
    case 'decimal':
      return `decimal(${c.precision ?? 10},${c.scale ?? 0})`;
    case 'real':
      return 'float';
    case 'text':
      return lobSpelling(c);
    case 'char':
    case 'binary':
      return c.length === null ? lobSpelling(c) : `${c.type}(${c.length})`;
    case 'varbinary':
      return `varbinary(${c.length})`;
    case 'datetime':
    case 'time':
      return c.precision === undefined ? nativeType(c, TYPES, 'MySQL') : `${c.type}(${c.precision})`;
    case 'custom':
      return c.custom ?? '';
    default:
      return nativeType(c, TYPES, 'MySQL');
  }
}

const enumType = (c: Column) => `enum(${(c.enum?.values ?? []).map((v) => sqlString(v, true)).join(',')})`;

/**
 * MySQL/MariaDB: `ENUM('a','b')` (a value change is a MODIFY, guarded when values go);
 * generated columns STORED or VIRTUAL; identity is AUTO_INCREMENT (the projection drops it).
 */
export const mysqlExtras: ExtrasRender = {
  enumType,
  generatedType: (c) =>
    `${c.type === 'enum' ? enumType(c) : generatedColumnType(c)}${c.unsigned ? ' unsigned' : ''} GENERATED ALWAYS AS (${c.generated!.expression}) ${c.generated!.stored ? 'STORED' : 'VIRTUAL'}`,
  identityType: () => undefined,
  createEnumType: () => notOnThisDialect('createEnumType'),
  dropEnumType: () => notOnThisDialect('dropEnumType'),
  alterEnumType: () => notOnThisDialect('alterEnumType'),
  commentOn: () => notOnThisDialect('commentOn'),
  createExtension: () => notOnThisDialect('createExtension'),
  dropExtension: () => notOnThisDialect('dropExtension'),
  alterIdentity: () => undefined,
};
