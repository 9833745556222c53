/** Standalone sequences (issue 12 item 4): the model language, the pure diff's ops and order, reverse, describe, render and pull. */
import * as path from 'node:path';
import { sequencesCreatedByMigrations } from '../../src/autogenerate';
import type { ResolvedConfig } from '../../src/config/load';
import { compare } from '../../src/diff';
import { compileModels } from '../../src/model/compile';
import { model } from '../../src/model/definition';
import { Integer } from '../../src/model/column-types';
import { sequence } from '../../src/model/sequence';
import { describeOp, losesData } from '../../src/ops/describe';
import { reverseOps } from '../../src/ops/reverse';
import type { Operation } from '../../src/ops/types';
import { renderSequences } from '../../src/pull/sequences';
import { renderOp } from '../../src/render/render-op';
import { skipIfOf } from '../../src/render/online';
import { column, makeSchema } from '../../src/schema/build';
import type { Sequence, Table } from '../../src/schema/types';
import { makeProject, rmProject } from '../helpers/cli';

const compiled = (...defs: unknown[]) => compileModels(defs).sequences ?? [];
const seq = (name: string, options: Parameters<typeof sequence>[1] = {}): Sequence => compiled(sequence(name, options))[0];
const invoice: Table = {
  name: 'invoice',
  columns: [column('id', 'integer', { nullable: false }), column('number', 'integer', { nullable: false, default: { kind: 'expression', sql: "nextval('invoice_number')" } })],
  primaryKey: { name: 'invoice_pkey', columns: ['id'] },
  indexes: [],
  uniques: [],
  foreignKeys: [],
};
const lines = (ops: readonly Operation[]) => ops.map(describeOp);

describe('sequence() in the models', () => {
  test("PostgreSQL's defaults are filled in, by type and direction; what the model says is recorded (given)", () => {
    expect(seq('a')).toEqual({ name: 'a', as: 'bigint', start: '1', increment: '1', minValue: '1', maxValue: '9223372036854775807', cache: '1', cycle: false, given: [] });
    expect(seq('b', { as: 'smallint', increment: -2 })).toEqual({ name: 'b', as: 'smallint', start: '-1', increment: '-2', minValue: '-32768', maxValue: '-1', cache: '1', cycle: false, given: ['as', 'increment'] });
    expect(seq('c', { as: 'integer', minValue: 10, start: '20', cache: 5n, cycle: true })).toEqual({
      name: 'c',
      as: 'integer',
      start: '20',
      increment: '1',
      minValue: '10',
      maxValue: '2147483647',
      cache: '5',
      cycle: true,
      given: ['as', 'minValue', 'start', 'cache', 'cycle'],
    });
  });

  test('an exported sequence is collected and sorted by name; model files may mix tables and sequences', () => {
    const schema = compileModels([sequence('zeta'), model('Invoice', { id: Integer().primaryKey() }), sequence('alpha')]);
    expect(schema.tables.map((t) => t.name)).toEqual(['invoice']);
    expect(schema.sequences?.map((s) => s.name)).toEqual(['alpha', 'zeta']);
    expect(compileModels([model('Invoice', { id: Integer().primaryKey() })]).sequences).toBeUndefined();
  });

  test.each([
    [{ increment: 0 }, "'increment' must not be zero"],
    [{ as: 'tinyint' }, "'as' must be one of smallint, integer, bigint"],
    [{ as: 'smallint', maxValue: 40000 }, "'maxValue' 40000 is out of range for smallint"],
    [{ minValue: 5, maxValue: 5 }, "'minValue' (5) must be less than 'maxValue' (5)"],
    [{ start: 0 }, "'start' 0 is outside minValue..maxValue"],
    [{ cache: 0 }, "'cache' must be at least 1"],
    [{ start: 1.5 }, "'start' must be a whole number"],
    [{ cycle: 'yes' }, "'cycle' must be true or false"],
    [{ restart: 1 }, "unknown option 'restart'"],
  ])('refused: %j', (options, message) => {
    expect(() => compiled(sequence('s', options as never))).toThrow(`sequence 's': ${message}`);
  });

  test('a name twice, or the name of a table, is refused', () => {
    expect(() => compiled(sequence('s'), sequence('s', { start: 2 }))).toThrow("sequence 's' is defined twice");
    expect(() => compiled(sequence('invoice'), model('Invoice', { id: Integer().primaryKey() }))).toThrow("sequence 'invoice': the name of a table or view too");
  });
});

describe('the diff of sequences', () => {
  const number = seq('invoice_number', { as: 'integer', start: 1000 });

  test('created before the table whose default uses it, dropped after it; down is the exact reverse', async () => {
    const up = await compare(makeSchema([]), makeSchema([invoice], [], [], [number]));
    expect(lines(up)).toEqual(["added sequence 'invoice_number'", "added table 'invoice'"]);
    const down = reverseOps(up);
    expect(lines(down)).toEqual(["removed table 'invoice'", "removed sequence 'invoice_number'"]);
    expect(await compare(makeSchema([invoice], [], [], [number]), makeSchema([]))).toEqual(down);
  });

  test('changed options are one alterSequence, reversed by swapping its sides; equal ones are no op', async () => {
    const changed = { ...number, increment: '5', cache: '10' };
    const up = await compare(makeSchema([invoice], [], [], [number]), makeSchema([invoice], [], [], [changed]));
    expect(up).toEqual([{ kind: 'alterSequence', from: number, to: changed }]);
    expect(lines(up)).toEqual(["changed sequence 'invoice_number' (increment 1 -> 5, cache 1 -> 10)"]);
    expect(reverseOps(up)).toEqual([{ kind: 'alterSequence', from: changed, to: number }]);
    expect(await compare(makeSchema([invoice], [], [], [number]), makeSchema([invoice], [], [], [{ ...number }]))).toEqual([]);
  });

  test('a drop warns that the current value is lost', () => {
    expect(losesData({ kind: 'dropSequence', sequence: number })).toBe("drops sequence 'invoice_number', which the models no longer declare: its current value is lost");
    expect(losesData({ kind: 'createSequence', sequence: number })).toBeNull();
  });
});

describe('rendering', () => {
  test('CREATE says only what differs from the defaults; ALTER only what changes, never RESTART; DROP by name', () => {
    expect(renderOp({ kind: 'createSequence', sequence: seq('plain') }, 'postgres')).toBe(`await knex.raw('CREATE SEQUENCE "plain"');`);
    const rich = seq('Odd "name"', { as: 'integer', increment: -1, minValue: -50, cycle: true, cache: 3 });
    expect(renderOp({ kind: 'createSequence', sequence: rich }, 'postgres')).toBe(
      `await knex.raw('CREATE SEQUENCE "Odd ""name""" AS integer INCREMENT BY -1 MINVALUE -50 CACHE 3 CYCLE');`,
    );
    const from = seq('n', { start: 1000 });
    const to = seq('n', { start: 1000, as: 'integer', increment: 5, cycle: true });
    expect(renderOp({ kind: 'alterSequence', from, to }, 'postgres')).toBe(`await knex.raw('ALTER SEQUENCE "n" AS integer INCREMENT BY 5 MAXVALUE 2147483647 CYCLE');`);
    expect(renderOp({ kind: 'alterSequence', from: to, to: from }, 'postgres')).toBe(`await knex.raw('ALTER SEQUENCE "n" AS bigint INCREMENT BY 1 MAXVALUE 9223372036854775807 NO CYCLE');`);
    expect(renderOp({ kind: 'dropSequence', sequence: from }, 'postgres')).toBe(`// kiln: drops sequence 'n', which the models no longer declare: its current value is lost\nawait knex.raw('DROP SEQUENCE "n"');`);
  });
});

test('an online step creating or dropping a sequence is skipped when re-run after it ran', () => {
  const s = seq('invoice_number');
  expect(skipIfOf({ kind: 'createSequence', sequence: s })).toBe("{ has: 'sequence', name: 'invoice_number' }");
  expect(skipIfOf({ kind: 'dropSequence', sequence: s })).toBe("{ lacks: 'sequence', name: 'invoice_number' }");
  expect(skipIfOf({ kind: 'alterSequence', from: s, to: { ...s, cache: '5' } })).toBeUndefined();
});

describe('db pull', () => {
  test('one file per sequence, the options that differ from the defaults, a bigint bound as a string', () => {
    const files = renderSequences([seq('invoice_number', { as: 'integer', start: 1000 }), seq('down', { increment: -1, minValue: '-9223372036854775807' })], new Set(['invoicenumber']), 'postgres');
    expect(files.map((f) => [f.path, f.exportName])).toEqual([
      ['sequences/down.ts', 'down'],
      ['sequences/invoice-number.ts', 'invoiceNumber2'],
    ]);
    expect(files[0].source).toContain("export const down = sequence('down', { increment: -1, minValue: '-9223372036854775807' });");
    expect(files[1].source).toContain("export const invoiceNumber2 = sequence('invoice_number', { as: 'integer', start: 1000 });");
  });
});

test('sequences a migration of the folder created count as declared before', () => {
  const dir = makeProject({
    'migrations/20240101000000_a.ts': `export async function up(knex) { await knex.raw('CREATE SEQUENCE "invoice_number" AS integer'); await knex.raw('CREATE SEQUENCE "a ""b"""'); }\nexport async function down() {}\n`,
  });
  try {
    expect([...sequencesCreatedByMigrations({ migrations: path.join(dir, 'migrations'), loadExtensions: ['.ts'] } as unknown as ResolvedConfig)].sort()).toEqual(['a "b"', 'invoice_number']);
  } finally {
    rmProject(dir);
  }
});
