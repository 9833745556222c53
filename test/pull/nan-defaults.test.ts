/**
 * NaN and the infinities as defaults (PostgreSQL's float, real and numeric take them; SQLite
 * keeps the text). `db pull` refused the table ("default 'NaN' is not a number"): the literal
 * now reads as the quoted expression, `.defaultRaw("'NaN'")`, which a baseline restates and
 * which reads back the same.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { expectNoDrift, withAdoption } from '../helpers/adoption';
import { kiln, ok } from '../helpers/cli';
import { testDialects } from '../helpers/dialects';

jest.setTimeout(180000);


const SCHEMA: Record<string, string> = {
  postgres: "CREATE TABLE m (id int PRIMARY KEY, x double precision DEFAULT 'NaN', y real DEFAULT 'Infinity', z numeric DEFAULT 'NaN', w float8 DEFAULT '-Infinity')",
  sqlite: "CREATE TABLE m (id integer PRIMARY KEY, x double precision DEFAULT 'NaN', y real DEFAULT 'Infinity', z numeric DEFAULT 'NaN', w float DEFAULT '-Infinity')",
};

describe.each(testDialects().filter((d) => d.name !== 'mysql'))('NaN and infinite defaults on $name', (dialect) => {
  test('pull writes them, check is clean, a baseline re-creates them', () =>
    withAdoption(dialect, 2, {}, async ({ dir, dbs: [db, copy], model }) => {
      const env = { DATABASE_URL: db.url };
      await db.connect().raw(SCHEMA[dialect.name]);
      const pulled = ok(await kiln(['db', 'pull'], { cwd: dir, env }));
      expect(pulled.stderr).toBe('');
      expect(model('m.ts')).toContain("x: Float().defaultRaw('\\'NaN\\''),");
      expect(model('m.ts')).toContain("w: Float().defaultRaw('\\'-Infinity\\''),");
      await expectNoDrift(dir, db.url);
      ok(await kiln(['db', 'baseline', '-m', 'base'], { cwd: dir, env }));
      ok(await kiln(['db', 'upgrade'], { cwd: dir, env: { DATABASE_URL: copy.url } }));
      const other = copy.connect();
      if (dialect.name === 'postgres') {
        await other.raw('INSERT INTO m (id) VALUES (1)');
        const [row] = (await other.raw('SELECT x::text, y::text, z::text, w::text FROM m')).rows;
        expect(row).toEqual({ x: 'NaN', y: 'Infinity', z: 'NaN', w: '-Infinity' });
      } else {
        await other.raw('INSERT INTO m (id) VALUES (1)');
        expect(await other.raw('SELECT x, y, z, w FROM m')).toEqual([{ x: 'NaN', y: 'Infinity', z: 'NaN', w: '-Infinity' }]);
      }
      await expectNoDrift(dir, copy.url);
    }));
});

describe.each(testDialects().filter((d) => d.name === 'postgres'))('money defaults on $name', (dialect) => {
  // `DEFAULT 0` on money is a bare number cast as rows are written; written quoted ('0'), PostgreSQL
  // casts it at CREATE into '$0.00'::money: a baseline's copy differed and db check saw drift.
  test('a bare number stays bare: pull, baseline and check agree, and a model saying .default("0") too', () =>
    withAdoption(dialect, 2, {}, async ({ dir, dbs: [db, copy], model }) => {
      const env = { DATABASE_URL: db.url };
      await db.connect().raw("CREATE TABLE q (id int PRIMARY KEY, c money DEFAULT '$1.00', e money DEFAULT 0, f money DEFAULT 12.5, g money DEFAULT -2)");
      ok(await kiln(['db', 'pull'], { cwd: dir, env }));
      expect(model('q.ts')).toContain("c: Custom('money').default('$1.00'),");
      expect(model('q.ts')).toContain("e: Custom('money').defaultRaw('0'),");
      expect(model('q.ts')).toContain("g: Custom('money').defaultRaw('-2'),");
      await expectNoDrift(dir, db.url);
      ok(await kiln(['db', 'baseline', '-m', 'base'], { cwd: dir, env }));
      ok(await kiln(['db', 'upgrade'], { cwd: dir, env: { DATABASE_URL: copy.url } }));
      const defaults = async (knex: import('knex').Knex) =>
        (await knex.raw("SELECT column_name AS c, column_default AS d FROM information_schema.columns WHERE table_name = 'q' ORDER BY ordinal_position")).rows;
      expect(await defaults(copy.connect())).toEqual(await defaults(db.connect()));
      const file = path.join(dir, 'models', 'q.ts');
      fs.writeFileSync(file, model('q.ts').replace("defaultRaw('0')", "default('0')"));
      await expectNoDrift(dir, copy.url);
    }));
});

describe.each(testDialects().filter((d) => d.name === 'sqlite'))('SQLite infinities on $name', (dialect) => {
  // 9e999 is how SQLite writes an infinite REAL: read as the number Infinity, db pull refused
  // ("not a number") and a baseline wrote the text 'Infinity'. It is now its own text, as an expression.
  test('9e999 and (-1e999) pull as .defaultRaw, and a baseline keeps them infinite reals', () =>
    withAdoption(dialect, 2, {}, async ({ dir, dbs: [db, copy], model }) => {
      const env = { DATABASE_URL: db.url };
      await db.connect().raw('CREATE TABLE t (id integer PRIMARY KEY, c real DEFAULT 9e999, e real DEFAULT (-1e999))');
      ok(await kiln(['db', 'pull'], { cwd: dir, env }));
      expect(model('t.ts')).toContain("c: Float().defaultRaw('9e999'),");
      expect(model('t.ts')).toContain("e: Float().defaultRaw('-1e999'),");
      await expectNoDrift(dir, db.url);
      ok(await kiln(['db', 'baseline', '-m', 'base'], { cwd: dir, env }));
      ok(await kiln(['db', 'upgrade'], { cwd: dir, env: { DATABASE_URL: copy.url } }));
      const other = copy.connect();
      await other.raw('INSERT INTO t (id) VALUES (1)');
      expect(await other.raw('SELECT c, e, typeof(c) AS t FROM t')).toEqual([{ c: Infinity, e: -Infinity, t: 'real' }]);
      await expectNoDrift(dir, copy.url);
    }));
});
