import { normalizeExpression } from '../../src/schema/defaults';
import { parseDefault as parsePostgres } from '../../src/dialect/postgres/introspect';
import { parseDefault as parseMysql } from '../../src/dialect/mysql/introspect';
import { parseSqliteDefault } from '../../src/dialect/sqlite/introspect-types';

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
