/**
 * An index the models restrict to some databases (`dialects`): each dialect's projection keeps
 * it there, without the field, and leaves it out elsewhere (never a refusal, never kept where
 * the model said no); a unique one with no other option becomes a plain unique rule. Model
 * mistakes in the list are refused. And a generated column of the newer types renders with its
 * native type on every dialect (a generated numeric column used to fail on PostgreSQL/MySQL).
 */
import { projectSchema } from '../../src/dialect/project';
import { compileModels } from '../../src/model/compile';
import { Integer, Numeric, SmallInteger, String as Str, model } from '../../src';
import { renderOp } from '../../src/render';
import { column } from '../../src/schema/build';
import type { Column } from '../../src/schema/types';
import type { DialectName } from '../../src/dialect/types';

const order = (indexes: unknown) =>
  compileModels([
    model('Item', { id: Integer().primaryKey(), status: Str(20), qty: Integer() }, { indexes: indexes as never }),
  ]);

const table = (dialect: DialectName, indexes: unknown) => projectSchema(order(indexes), dialect).tables[0];

describe('index dialects', () => {
  const partial = { columns: ['status'], where: "status = 'open'", name: 'item_open', dialects: ['postgres', 'sqlite'] };

  test('kept, without the field, on the databases it names', () => {
    for (const d of ['postgres', 'sqlite'] as const) {
      expect(table(d, [partial]).indexes).toEqual([{ name: 'item_open', columns: ['status'], where: "status = 'open'" }]);
    }
  });

  test('left out elsewhere, instead of the refusal a partial index gets there', () => {
    expect(table('mysql', [partial]).indexes).toEqual([]);
    expect(() => table('mysql', [{ ...partial, dialects: undefined }])).toThrow(/MySQL\/MariaDB cannot do a partial index/);
  });

  test('a unique one with no other option is a unique rule where it is kept', () => {
    const t = table('mysql', [{ columns: ['qty'], unique: true, name: 'item_qty_u', dialects: ['mysql'] }]);
    expect([t.indexes, t.uniques]).toEqual([[], [{ name: 'item_qty_u', columns: ['qty'] }]]);
    expect(table('sqlite', [{ columns: ['qty'], unique: true, name: 'item_qty_u', dialects: ['mysql'] }]).uniques).toEqual([]);
  });

  test.each([[[]], [['oracle']], ['postgres']])('dialects %j is refused', (dialects) => {
    expect(() => order([{ columns: ['qty'], dialects }])).toThrow(/dialects must be a non-empty list of 'sqlite', 'postgres', 'mysql'/);
  });
});

describe('generated columns of the newer types', () => {
  const gen = (c: Column): Column => ({ ...c, generated: { expression: 'qty * price', stored: true } });
  const add = (c: Column, d: DialectName) => renderOp({ kind: 'addColumn', table: 'item', column: gen(c) }, d);
  const decimal = column('total', 'decimal', { precision: 12, scale: 2 });

  test('numeric(p,s) on PostgreSQL, decimal(p,s) on MySQL', () => {
    expect(add(decimal, 'postgres')).toContain(`'numeric(12,2) GENERATED ALWAYS AS (qty * price) STORED'`);
    expect(add(decimal, 'mysql')).toContain(`'decimal(12,2) GENERATED ALWAYS AS (qty * price) STORED'`);
  });

  test('through the projection: smallint and numeric on every dialect', () => {
    const schema = compileModels([
      model('Item', {
        id: Integer().primaryKey(),
        qty: SmallInteger(),
        price: Numeric(10, 2),
        total: Numeric(12, 2).computed('qty * price', { stored: true }),
        twice: SmallInteger().computed('qty * 2', { stored: true }),
      }),
    ]);
    for (const d of ['sqlite', 'postgres', 'mysql'] as const) {
      const t = projectSchema(schema, d).tables[0];
      const out = renderOp({ kind: 'createTable', table: t }, d);
      expect([d, out]).toEqual([d, expect.stringContaining('GENERATED ALWAYS AS (qty * 2) STORED')]);
      expect(out).toContain('GENERATED ALWAYS AS (qty * price) STORED');
    }
  });
});
