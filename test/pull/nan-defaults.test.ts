/**
 * NaN and the infinities as defaults (PostgreSQL's float, real and numeric take them; SQLite
 * keeps the text). `db pull` refused the table ("default 'NaN' is not a number"): the literal
 * now reads as the quoted expression, `.defaultRaw("'NaN'")`, which a baseline restates and
 * which reads back the same.
 */
import { expectNoDrift, withAdoption } from '../helpers/adoption';
import { kiln, type RunResult } from '../helpers/cli';
import { testDialects } from '../helpers/dialects';

jest.setTimeout(180000);

const ok = (r: RunResult) => {
  if (r.code !== 0) throw new Error(`exit ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
  return r;
};

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
