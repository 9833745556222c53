/**
 * Issue 11's column types: one op -> one string, per dialect (the columns as each dialect's
 * projection hands them to the renderer), and the alterColumn / describe lines of a type change.
 */
import { describeOp } from '../../src/ops/describe';
import { renderOp } from '../../src/render';
import { column } from '../../src/schema/build';
import type { Column } from '../../src/schema/types';
import type { DialectName } from '../../src/dialect/types';

const add = (c: Column, d: DialectName) => renderOp({ kind: 'addColumn', table: 'x', column: c }, d).split('\n')[1].trim();

describe('renderOp: issue 11 column types per dialect', () => {
  test.each<[string, Column, DialectName, string]>([
    ['smallint', column('n', 'smallint'), 'postgres', "t.smallint('n');"],
    ['smallint', column('n', 'smallint'), 'mysql', "t.smallint('n');"],
    ['decimal(10,2)', { ...column('p', 'decimal'), precision: 10, scale: 2, default: { kind: 'literal', value: '9.9' } }, 'postgres', "t.decimal('p', 10, 2).defaultTo('9.9');"],
    ['decimal(12)', { ...column('p', 'decimal'), precision: 12 }, 'mysql', "t.decimal('p', 12, 0);"],
    ['decimal', column('p', 'decimal'), 'postgres', "t.decimal('p', null);"],
    ['real', column('r', 'real'), 'postgres', "t.specificType('r', 'real');"],
    ['real', column('r', 'real'), 'mysql', "t.specificType('r', 'float');"],
    ['char(3)', column('c', 'char', { length: 3 }), 'postgres', "t.specificType('c', 'character(3)');"],
    ['char(3)', column('c', 'char', { length: 3 }), 'mysql', "t.specificType('c', 'char(3)');"],
    ['uuid', column('u', 'uuid'), 'postgres', "t.uuid('u');"],
    ['jsonb', column('j', 'jsonb'), 'postgres', "t.jsonb('j');"],
    ['timestamp(3)', { ...column('a', 'datetime'), precision: 3, timezone: false }, 'postgres', "t.datetime('a', { useTz: false, precision: 3 });"],
    ['datetime(3)', { ...column('a', 'datetime'), precision: 3 }, 'mysql', "t.specificType('a', 'datetime(3)');"],
    ['datetime', column('a', 'datetime'), 'postgres', "t.datetime('a');"],
    ['timetz', { ...column('t', 'time'), timezone: true }, 'postgres', "t.specificType('t', 'time with time zone');"],
    ['time(0)', { ...column('t', 'time'), precision: 0 }, 'mysql', "t.specificType('t', 'time(0)');"],
    ['binary(16)', column('b', 'binary', { length: 16 }), 'mysql', "t.specificType('b', 'binary(16)');"],
    ['varbinary(64)', column('b', 'varbinary', { length: 64 }), 'mysql', "t.specificType('b', 'varbinary(64)');"],
    ['array', { ...column('a', 'array'), element: 'string(20)' }, 'postgres', "t.specificType('a', 'character varying(20)[]');"],
    ['array', { ...column('a', 'array'), element: 'decimal(10,2)' }, 'postgres', "t.specificType('a', 'numeric(10,2)[]');"],
    ['custom', { ...column('e', 'custom'), custom: 'citext' }, 'postgres', "t.specificType('e', 'citext');"],
    ['custom', { ...column('e', 'custom'), custom: "it's" }, 'sqlite', "t.specificType('e', 'it\\'s');"],
    ['custom', { ...column('e', 'custom'), custom: 'point' }, 'mysql', "t.specificType('e', 'point');"],
  ])('%s on %s', (_label, c, d, expected) => {
    expect(add(c, d)).toBe(expected);
  });

  test('alterColumn restates the new type; the detected line says both', () => {
    const from: Column = { ...column('p', 'decimal'), precision: 10, scale: 2 };
    const to: Column = { ...column('p', 'decimal'), precision: 12, scale: 3 };
    const op = { kind: 'alterColumn', table: 'x', from, to } as const;
    expect(renderOp(op, 'postgres')).toContain("t.decimal('p', 12, 3).nullable().alter({ alterNullable: false });");
    expect(describeOp(op)).toBe("changed column 'x.p' (type decimal(10,2) -> decimal(12,3))");
    const zone = { kind: 'alterColumn', table: 'x', from: column('a', 'datetime'), to: { ...column('a', 'datetime'), timezone: false } } as const;
    expect(describeOp(zone)).toBe("changed column 'x.a' (type datetime -> datetime without time zone)");
  });
});
