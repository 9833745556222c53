/**
 * SQLite takes any default on any column (`INTEGER DEFAULT 'n/a'`, `BOOLEAN DEFAULT 'maybe'`):
 * read as a string literal, such a default was one no Integer()/Boolean() model accepts, so
 * `db pull` refused the table. It is read as an expression (the quoted SQL), which the pulled
 * model says with `.defaultRaw()`; `db check` is clean and a database made from the models has
 * the same defaults.
 */
import { introspect } from '../../src/introspect';
import { parseSqliteDefault } from '../../src/dialect/sqlite/introspect-types';
import { withAdoption } from '../helpers/adoption';
import { kiln } from '../helpers/cli';
import { testDialects } from '../helpers/dialects';

jest.setTimeout(60000);

test('text that is not a value of the column type is an expression', () => {
  expect(parseSqliteDefault("'n/a'", 'integer')).toEqual({ kind: 'expression', sql: "'n/a'" });
  expect(parseSqliteDefault("'maybe'", 'boolean')).toEqual({ kind: 'expression', sql: "'maybe'" });
  expect(parseSqliteDefault("'12'", 'integer')).toEqual({ kind: 'literal', value: 12 });
  expect(parseSqliteDefault("'1'", 'boolean')).toEqual({ kind: 'literal', value: true });
  expect(parseSqliteDefault("'n/a'", 'text')).toEqual({ kind: 'literal', value: 'n/a' });
});

describe.each(testDialects().filter((d) => d.name === 'sqlite'))('odd defaults on $name', (dialect) => {
  test('pull, check clean, the same defaults from the models', () =>
    withAdoption(dialect, 2, {}, async ({ dir, dbs: [db, second], model: read }) => {
      const knex = db.connect();
      await knex.raw("CREATE TABLE odd (id INTEGER PRIMARY KEY, n INTEGER DEFAULT 'n/a', b BOOLEAN DEFAULT 'maybe', f REAL DEFAULT 'none', ok INTEGER DEFAULT '7')");
      const pulled = await kiln(['db', 'pull'], { cwd: dir, env: { DATABASE_URL: db.url } });
      expect(pulled.stderr).toBe('');
      expect(pulled.code).toBe(0);
      const model = read('odd.ts');
      expect(model).toContain("n: Integer().defaultRaw('\\'n/a\\''),");
      expect(model).toContain("b: Boolean().defaultRaw('\\'maybe\\''),");
      expect(model).toContain('ok: Integer().default(7),');
      const check = await kiln(['db', 'check'], { cwd: dir, env: { DATABASE_URL: db.url } });
      expect(check.stdout).toContain('No new upgrade operations detected');
      expect((await kiln(['initdb'], { cwd: dir, env: { DATABASE_URL: second.url } })).code).toBe(0);
      const defaults = async (k: import('knex').Knex) => Object.fromEntries((await introspect(k, 'sqlite')).tables[0].columns.map((c) => [c.name, c.default]));
      expect(await defaults(second.connect())).toEqual(await defaults(knex));
      await second.connect()('odd').insert({ id: 1 });
      expect(await second.connect()('odd').select('n', 'b', 'ok')).toEqual([{ n: 'n/a', b: 'maybe', ok: 7 }]);
    }));
});
