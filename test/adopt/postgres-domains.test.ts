/**
 * PostgreSQL domains (`CREATE DOMAIN year AS integer CHECK (...)`, as the Pagila sample has) used
 * by the tables' columns: the models say such a column as `Custom('year')`, and a baseline used to
 * create the tables only, so upgrading a fresh database from it failed on `type "year" does not
 * exist`. The baseline now creates the domains the tables use first (and `down` drops them last).
 */
import { withAdoption } from '../helpers/adoption';
import { kiln } from '../helpers/cli';
import { testDialects } from '../helpers/dialects';

jest.setTimeout(180000);

const SCHEMA = [
  'CREATE DOMAIN year AS integer CONSTRAINT year_check CHECK (VALUE >= 1901 AND VALUE <= 2155)',
  `CREATE DOMAIN "Money Amount" AS numeric(10,2) DEFAULT 0 NOT NULL CHECK (VALUE >= 0)`,
  `CREATE DOMAIN code AS text COLLATE "C" CHECK (VALUE ~ '^[A-Z]+$')`,
  'CREATE DOMAIN unused AS integer',
  'CREATE TABLE film (id integer PRIMARY KEY, release_year year, price "Money Amount", codes code[], title text)',
];

const DOMAINS = `SELECT t.typname AS name, format_type(t.typbasetype, t.typtypmod) AS base, t.typdefault AS def, t.typnotnull AS not_null,
  co.collname AS collation, (SELECT string_agg(conname || ' ' || pg_get_constraintdef(k.oid), '; ' ORDER BY conname) FROM pg_constraint k WHERE k.contypid = t.oid) AS checks
FROM pg_type t LEFT JOIN pg_collation co ON co.oid = t.typcollation AND t.typcollation <> 100
WHERE t.typtype = 'd' AND t.typnamespace = 'public'::regnamespace ORDER BY 1`;
const COLUMNS = `SELECT attname AS name, format_type(atttypid, atttypmod) AS type FROM pg_attribute WHERE attrelid = 'film'::regclass AND attnum > 0 ORDER BY attnum`;

describe.each(testDialects().filter((d) => d.name === 'postgres'))('domains on $name', (dialect) => {
  test('a baseline creates the domains the tables use, before them; a fresh database has the same', () =>
    withAdoption(dialect, 2, {}, async ({ dir, dbs: [db, fresh] }) => {
      const env = { DATABASE_URL: db.url };
      const knex = db.connect();
      for (const sql of SCHEMA) await knex.raw(sql);
      expect((await kiln(['db', 'pull'], { cwd: dir, env })).code).toBe(0);
      const check = await kiln(['db', 'check'], { cwd: dir, env });
      expect(check.stdout).toContain('No new upgrade operations detected');

      const baseline = await kiln(['db', 'baseline', '-m', 'baseline'], { cwd: dir, env });
      expect(baseline.code).toBe(0);
      expect(baseline.stdout).toContain('Baseline of 1 table(s) and 3 domain(s) recorded as applied');
      const up = await kiln(['db', 'upgrade'], { cwd: dir, env: { DATABASE_URL: fresh.url } });
      expect(up.stderr).toBe('');
      expect(up.code).toBe(0);
      const copy = fresh.connect();
      const used = (await knex.raw(DOMAINS)).rows.filter((r: { name: string }) => r.name !== 'unused');
      expect((await copy.raw(DOMAINS)).rows).toEqual(used);
      expect(used.map((r: { name: string }) => r.name)).toEqual(['Money Amount', 'code', 'year']);
      expect((await copy.raw(COLUMNS)).rows).toEqual((await knex.raw(COLUMNS)).rows);
      await expect(copy('film').insert({ id: 1, release_year: 1800 })).rejects.toThrow(/year_check/);
      await copy('film').insert({ id: 2, release_year: 2006 });
      expect(await copy('film').select('price')).toEqual([{ price: '0.00' }]);
      expect((await kiln(['db', 'check'], { cwd: dir, env: { DATABASE_URL: fresh.url } })).stdout).toContain('No new upgrade operations detected');

      // down drops the tables, then the domains.
      await copy('film').del();
      const down = await kiln(['db', 'downgrade', 'base'], { cwd: dir, env: { DATABASE_URL: fresh.url } });
      expect(down.code).toBe(0);
      expect((await copy.raw(DOMAINS)).rows).toEqual([]);
    }));
});
