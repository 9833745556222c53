import { globToRegExp, tableMatcher } from '../../src/introspect/table-filter';
import { tablesIn, unquote } from '../../src/app/declared-tables';

describe('include / exclude', () => {
  test('globs: * and ? only; every other character literal', () => {
    expect(globToRegExp('legacy_*').test('legacy_orders')).toBe(true);
    expect(globToRegExp('legacy_*').test('xlegacy_orders')).toBe(false);
    expect(globToRegExp('t?').test('t1')).toBe(true);
    expect(globToRegExp('t?').test('t12')).toBe(false);
    expect(globToRegExp('a.b').test('axb')).toBe(false);
    expect(globToRegExp('(x)+[y]').test('(x)+[y]')).toBe(true);
  });

  test('include keeps only matches, exclude removes from them, qualified patterns use the schema', () => {
    const m = tableMatcher({ include: ['app_*', 'user'], exclude: ['app_tmp*'] });
    expect(['app_a', 'app_tmp1', 'user', 'other'].filter(m)).toEqual(['app_a', 'user']);
    const s = tableMatcher({ exclude: ['audit.*'] }, 'audit');
    expect(s('log')).toBe(false);
    expect(tableMatcher({ exclude: ['audit.*'] }, 'public')('log')).toBe(true);
    expect(tableMatcher({})('anything')).toBe(true);
  });
});

describe('tables the migration history declares', () => {
  test('createTable, renameTable and raw CREATE TABLE, with kiln-escaped names', () => {
    const src = [
      "await knex.schema.createTable('author', (t) => {});",
      'await knex.schema.createTableIfNotExists("book", (t) => {});',
      "await knex.schema.withSchema('s').createTable('it\\'s \\u00e9', (t) => {});",
      "await knex.schema.renameTable('old', 'new_name');",
      "await knex.raw('CREATE TABLE IF NOT EXISTS \"raw_one\" (id int)');",
      "await knex.raw('create table raw_two (id int)');",
    ].join('\n');
    expect(tablesIn(src).sort()).toEqual(['author', 'book', "it's é", 'new_name', 'raw_one', 'raw_two'].sort());
    expect(unquote("'a\\\\b'")).toBe('a\\b');
  });
});
