/**
 * Issue 11's column types in the model compiler: the canonical IR each builder gives (absent
 * fields are the type's defaults) and the refusals, one line naming the model and field.
 */
import { KilnError } from '../../src/errors';
import { compileModels } from '../../src/model/compile';
import { projectSchema } from '../../src/dialect/project';
import { normalizeExpression } from '../../src/schema/defaults';
import { Array, Binary, Char, Custom, DateTime, Decimal, Double, Integer, Jsonb, model, Numeric, Real, SmallInteger, String, Time, Uuid, VarBinary } from 'kiln';

const columnsOf = (columns: Record<string, unknown>) =>
  compileModels([model('T', { id: Integer().primaryKey(), ...(columns as object) } as never)]).tables[0].columns.slice(1);

function messageOf(columns: Record<string, unknown>): string {
  try {
    columnsOf(columns);
  } catch (e) {
    expect(e).toBeInstanceOf(KilnError);
    expect((e as KilnError).code).toBe('MODEL');
    return (e as KilnError).message;
  }
  throw new Error('compileModels did not fail');
}

describe('issue 11 types compile to the canonical IR', () => {
  it('says each type with its parameters and nothing else', () => {
    const cols = columnsOf({
      a: SmallInteger(),
      b: Numeric(10, 2).default('09.90'),
      c: Decimal(12, 0).default(3),
      d: Numeric(),
      e: Double(),
      f: Real().default(1.5),
      g: Char(),
      h: Char(3),
      i: Uuid(),
      j: Jsonb(),
      k: DateTime({ timezone: false, precision: 3 }),
      l: Time({ timezone: true }),
      m: DateTime(),
      n: Binary(16),
      o: VarBinary(64),
      p: Array(String(20)),
      q: Array(Numeric(10, 2)),
      r: Custom('  Numeric (10, 2) '),
    });
    const pick = (name: string) => {
      const { nullable: _n, autoIncrement: _a, unsigned: _u, name: _name, ...rest } = cols.find((c) => c.name === name)!;
      return rest;
    };
    expect(pick('a')).toEqual({ type: 'smallint', length: null, default: null });
    expect(pick('b')).toEqual({ type: 'decimal', length: null, precision: 10, scale: 2, default: { kind: 'literal', value: '9.9' } });
    expect(pick('c')).toEqual({ type: 'decimal', length: null, precision: 12, default: { kind: 'literal', value: '3' } });
    expect(pick('d')).toEqual({ type: 'decimal', length: null, default: null });
    expect(pick('e')).toEqual({ type: 'float', length: null, default: null });
    expect(pick('f')).toEqual({ type: 'real', length: null, default: { kind: 'literal', value: 1.5 } });
    expect(pick('g')).toEqual({ type: 'char', length: 1, default: null });
    expect(pick('h')).toEqual({ type: 'char', length: 3, default: null });
    expect(pick('i')).toEqual({ type: 'uuid', length: null, default: null });
    expect(pick('j')).toEqual({ type: 'jsonb', length: null, default: null });
    expect(pick('k')).toEqual({ type: 'datetime', length: null, timezone: false, precision: 3, default: null });
    expect(pick('l')).toEqual({ type: 'time', length: null, timezone: true, default: null });
    // DateTime() with no options is the datetime kiln always had: no new field.
    expect(pick('m')).toEqual({ type: 'datetime', length: null, default: null });
    expect(pick('n')).toEqual({ type: 'binary', length: 16, default: null });
    expect(pick('o')).toEqual({ type: 'varbinary', length: 64, default: null });
    expect(pick('p')).toEqual({ type: 'array', length: null, element: 'string(20)', default: null });
    expect(pick('q')).toEqual({ type: 'array', length: null, element: 'decimal(10,2)', default: null });
    expect(pick('r')).toEqual({ type: 'custom', length: null, custom: 'numeric(10,2)', default: null });
  });

  it('projects each type to what each database stores', () => {
    const schema = compileModels([
      model('T', {
        id: Integer().primaryKey(),
        u: Uuid(),
        j: Jsonb(),
        d: Numeric(10, 2).default('1.50'),
        t: DateTime({ timezone: true, precision: 6 }),
        b: Binary(16),
        c: Custom('text'),
      }),
    ]);
    const cols = (dialect: 'sqlite' | 'postgres' | 'mysql') => projectSchema(schema, dialect).tables[0].columns.slice(1).map(({ name, type, length, precision, scale, default: d }) => ({ name, type, length, precision, scale, d }));
    expect(cols('postgres')).toEqual([
      { name: 'u', type: 'uuid', length: null, precision: undefined, scale: undefined, d: null },
      { name: 'j', type: 'jsonb', length: null, precision: undefined, scale: undefined, d: null },
      { name: 'd', type: 'decimal', length: null, precision: 10, scale: 2, d: { kind: 'literal', value: '1.5' } },
      { name: 't', type: 'datetime', length: null, precision: undefined, scale: undefined, d: null },
      { name: 'b', type: 'binary', length: null, precision: undefined, scale: undefined, d: null },
      { name: 'c', type: 'text', length: null, precision: undefined, scale: undefined, d: null },
    ]);
    expect(cols('sqlite').map((c) => [c.name, c.type, c.length, c.d])).toEqual([
      ['u', 'string', 36, null],
      ['j', 'json', null, null],
      ['d', 'float', null, { kind: 'literal', value: 1.5 }],
      ['t', 'datetime', null, null],
      ['b', 'binary', null, null],
      ['c', 'text', null, null],
    ]);
    // An array element is read back as PostgreSQL stores it (bytea has no length).
    const arrays = compileModels([model('A', { id: Integer().primaryKey(), v: Array(VarBinary(8)), c: Array(Char(2)) })]);
    expect(projectSchema(arrays, 'postgres').tables[0].columns.slice(1).map((c) => c.element)).toEqual(['binary', 'char(2)']);
    // MySQL stores no zone: refused there rather than dropped.
    expect(() => projectSchema(schema, 'mysql')).toThrow("table 't' column 't': MySQL/MariaDB cannot store a time zone (timezone: true)");
  });
});

test('a DateTime({ precision }) default CURRENT_TIMESTAMP(p) has one normal form (MariaDB prints it lower case)', () => {
  expect(normalizeExpression('current_timestamp(3)')).toBe('CURRENT_TIMESTAMP(3)');
  expect(normalizeExpression('CURRENT_TIMESTAMP(3)')).toBe('CURRENT_TIMESTAMP(3)');
  expect(normalizeExpression('now(6)')).toBe('CURRENT_TIMESTAMP(6)');
});

describe('issue 11 types: refusals', () => {
  it.each([
    [{ x: Numeric(0) }, "field 'x': decimal precision 0 is not an integer from 1 to 1000"],
    [{ x: Numeric(5, 6) }, "field 'x': decimal scale 6 is not an integer from 0 to 5"],
    [{ x: Numeric(undefined, 2) }, "field 'x': a decimal scale needs a precision"],
    [{ x: Numeric(10, 2).default('ten') }, "field 'x': default 'ten' is not a decimal number"],
    [{ x: Char(0) }, "field 'x': length 0 is not a positive integer"],
    [{ x: VarBinary(undefined as unknown as number) }, "field 'x': varbinary needs a length"],
    [{ x: DateTime({ precision: 7 }) }, "field 'x': precision 7 is not an integer from 0 to 6"],
    [{ x: Time({ timezone: 'yes' as unknown as boolean }) }, "field 'x': timezone 'yes' is not true or false"],
    [{ x: Array(Array(Integer())) }, "field 'x' (array element): arrays of arrays are not supported"],
    [{ x: Array(DateTime({ precision: 3 })) }, "field 'x' (array element): an array element takes no timezone or precision"],
    [{ x: Array('int' as never) }, "field 'x' (array element): not a column type"],
    [{ x: Custom(' ') }, "field 'x': Custom needs the database's spelling of the type"],
    [{ x: Custom('int; drop table t') }, "field 'x': custom type 'int; drop table t' contains a control character or ';'"],
    [{ x: SmallInteger().default(1.5) }, "field 'x': default 1.5 is not an integer"],
  ])('%#', (columns, message) => {
    expect(messageOf(columns)).toContain(message);
  });
});

describe('a default longer than its column', () => {
  const compiled = (columns: Record<string, unknown>) => compileModels([model('T', { id: Integer().primaryKey(), ...(columns as Record<string, ReturnType<typeof Integer>>) })]);
  const refusal = (fn: () => unknown) => {
    try {
      fn();
    } catch (e) {
      return e instanceof KilnError ? e.message : `${e}`;
    }
    return 'no error';
  };

  it('MySQL/MariaDB refuse it (they refuse the column), counting characters, not UTF-16 units', () => {
    expect(refusal(() => projectSchema(compiled({ x: Char(2).default('abc') }), 'mysql'))).toBe(
      "table 't' column 'x': MySQL/MariaDB refuse a default longer than the column (3 characters for 2)",
    );
    expect(refusal(() => projectSchema(compiled({ x: String(2).default('😀😀') }), 'mysql'))).toBe('no error');
    expect(refusal(() => projectSchema(compiled({ x: Binary(2).default('abc') }), 'mysql'))).toBe("table 't' column 'x': MySQL/MariaDB refuse a default longer than the column (3 bytes for 2)");
  });

  it('PostgreSQL and SQLite store it (a hand-written schema may hold one)', () => {
    for (const d of ['postgres', 'sqlite'] as const) {
      const t = projectSchema(compiled({ x: String(3).default('toolong') }), d).tables[0];
      expect(t.columns[1].default).toEqual({ kind: 'literal', value: 'toolong' });
    }
  });

  it("MySQL/MariaDB pad a BINARY(n) default with zero bytes, as they store it", () => {
    const t = projectSchema(compiled({ x: Binary(4).default('ab'), y: VarBinary(4).default('ab') }), 'mysql').tables[0];
    expect(t.columns[1].default).toEqual({ kind: 'literal', value: 'ab\0\0' });
    expect(t.columns[2].default).toEqual({ kind: 'literal', value: 'ab' });
  });
});
