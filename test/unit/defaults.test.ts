import { normalizeExpression } from '../../src/schema/defaults';
import { parseDefault as parsePostgres } from '../../src/dialect/postgres/introspect';
import { parseDefault as parseMysql } from '../../src/dialect/mysql/introspect';
import { parseSqliteDefault } from '../../src/dialect/sqlite/introspect-types';
import { compileModels } from '../../src/model/compile';
import { Float, Integer, String, table } from 'kiln';

const columnOf = (type: 'float' | 'integer' | 'string') => (type === 'float' ? Float() : type === 'integer' ? Integer() : String(20));

/** One normal form for expression defaults: what the model says and what each database reads back. */
describe('expression defaults: one normal form', () => {
  test.each([
    ['(1 + 2)', '1 + 2'],
    ['1  +\n2', '1 + 2'],
    ["lower('ABC')", "lower('ABC')"],
    ["lower('A  B')", "lower('A  B')"],
    ['current_date', 'CURRENT_DATE'],
    ['CURRENT_TIME', 'CURRENT_TIME'],
    ['(now())', 'CURRENT_TIMESTAMP'],
    ['(1) + (2)', '(1) + (2)'],
  ])('model %p -> %p', (given, normal) => {
    expect(normalizeExpression(given)).toBe(normal);
  });

  test.each([
    ['integer', '(1 + 2)', { postgres: '(1 + 2)', mariadb: '1 + 2', sqlite: '((1 + 2))' }],
    ['string', "lower('ABC')", { postgres: "lower('ABC'::text)", mariadb: "lcase('ABC')", sqlite: "(lower('ABC'))" }],
    ['date', 'CURRENT_DATE', { postgres: 'CURRENT_DATE', mariadb: 'curdate()', sqlite: 'CURRENT_DATE' }],
    ['time', 'CURRENT_TIME', { postgres: 'CURRENT_TIME', mariadb: 'curtime()', sqlite: 'CURRENT_TIME' }],
  ] as const)('%s default %p reads back the same from every database', (type, model, read) => {
    const expected = { kind: 'expression', sql: normalizeExpression(model) };
    expect(parsePostgres(read.postgres, type)).toEqual(expected);
    expect(parseMysql(read.mariadb, type, true)).toEqual(expected);
    expect(parseSqliteDefault(read.sqlite, type)).toEqual(expected);
  });
});

/** A raw default that is a plain literal, or that MariaDB prints without the spaces after commas. */
describe('raw defaults that every database reads back as something else', () => {
  test.each([
    ['float', '(-1.5)', { postgres: "'-1.5'::double precision", mariadb: '-1.5', sqlite: '(-1.5)' }],
    ['integer', '-1', { postgres: "'-1'::integer", mariadb: '-1', sqlite: '-1' }],
    ['string', "'it''s'", { postgres: "'it''s'::character varying", mariadb: "'it''s'", sqlite: "'it''s'" }],
    ['string', "upper(concat('a', 'b'))", { postgres: "upper(concat('a', 'b'))", mariadb: "upper(concat('a','b'))", sqlite: "(upper(concat('a', 'b')))" }],
  ] as const)('%s defaultRaw(%p) compiles to what each database reads back', (type, raw, read) => {
    const [T] = compileModels([table('t', { id: Integer().primaryKey(), c: columnOf(type).defaultRaw(raw) })]).tables;
    const model = T.columns.find((c) => c.name === 'c')!.default;
    expect(parsePostgres(read.postgres, type)).toEqual(model);
    expect(parseMysql(read.mariadb, type, true)).toEqual(model);
    expect(parseSqliteDefault(read.sqlite, type)).toEqual(model);
  });
});
