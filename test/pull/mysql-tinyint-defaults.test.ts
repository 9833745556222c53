/**
 * MySQL/MariaDB's boolean is `tinyint(1)`, which takes `DEFAULT 2` (a hand-written schema's
 * three-state flag): read as the string '2', the default was one no Boolean() model accepts, so
 * `db pull` refused the table. It reads as the expression `2` (`.defaultRaw('2')`): check is
 * clean and a database made from the models has the same default.
 */
import { introspect } from '../../src/introspect';
import { typedLiteral } from '../../src/schema/defaults';
import { withAdoption } from '../helpers/adoption';
import { kiln } from '../helpers/cli';
import { testDialects } from '../helpers/dialects';

jest.setTimeout(60000);

test('a boolean default that is another number is an expression', () => {
  expect(typedLiteral('2', 'boolean')).toEqual({ kind: 'expression', sql: '2' });
  expect(typedLiteral('1', 'boolean')).toEqual({ kind: 'literal', value: true });
  expect(typedLiteral('-1', 'boolean')).toEqual({ kind: 'expression', sql: '-1' });
});

describe.each(testDialects().filter((d) => d.name === 'mysql'))('tinyint(1) defaults on $name', (dialect) => {
  test('pull, check clean, the same default from the models', () =>
    withAdoption(dialect, 2, {}, async ({ dir, dbs: [db, second], model: read }) => {
      const knex = db.connect();
      await knex.raw('CREATE TABLE flag (id INT PRIMARY KEY, state TINYINT(1) NOT NULL DEFAULT 2, ok TINYINT(1) DEFAULT 1)');
      const pulled = await kiln(['db', 'pull'], { cwd: dir, env: { DATABASE_URL: db.url } });
      expect(pulled.stderr).toBe('');
      expect(pulled.code).toBe(0);
      const model = read('flag.ts');
      expect(model).toContain("state: Boolean().notNull().defaultRaw('2'),");
      expect(model).toContain('ok: Boolean().default(true),');
      expect((await kiln(['db', 'check'], { cwd: dir, env: { DATABASE_URL: db.url } })).stdout).toContain('No new upgrade operations detected');
      expect((await kiln(['initdb'], { cwd: dir, env: { DATABASE_URL: second.url } })).code).toBe(0);
      const defaults = async (k: import('knex').Knex) => Object.fromEntries((await introspect(k, 'mysql')).tables[0].columns.map((c) => [c.name, c.default]));
      expect(await defaults(second.connect())).toEqual(await defaults(knex));
      await second.connect()('flag').insert({ id: 1 });
      expect(await second.connect()('flag').select('state')).toEqual([{ state: 2 }]);
    }));
});
