/**
 * PostgreSQL view options (security_barrier, check_option) and comments (COMMENT ON VIEW /
 * MATERIALIZED VIEW), which no model says. A baseline refused a view with options, and dropped a
 * comment in silence; a model changing such a view's SELECT re-created it without them, in silence.
 * Now they are set again after the view is re-created: by a baseline, a down(), a replacement.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Knex } from 'knex';
import { expectNoDrift, withAdoption } from '../helpers/adoption';
import { kiln, ok } from '../helpers/cli';
import { testDialects } from '../helpers/dialects';

jest.setTimeout(180000);

const SCHEMA = [
  'CREATE TABLE account (id int PRIMARY KEY, name text, balance int)',
  'CREATE VIEW guarded WITH (security_barrier=true) AS SELECT id, name FROM account WHERE balance > 0',
  "COMMENT ON VIEW guarded IS 'only the accounts in credit: is that right\\?'", // knex: \? is a plain '?'
  'CREATE VIEW checked AS SELECT id, balance FROM account WHERE balance >= 0 WITH CASCADED CHECK OPTION',
  'CREATE MATERIALIZED VIEW totals AS SELECT count(*) AS n FROM account',
  "COMMENT ON MATERIALIZED VIEW totals IS 'refreshed nightly'",
];

const VIEWS = `SELECT relname AS name, reloptions AS options, obj_description(oid, 'pg_class') AS comment FROM pg_class
  WHERE relkind IN ('v', 'm') AND relnamespace = 'public'::regnamespace ORDER BY 1`;


const views = async (knex: Knex) => (await knex.raw(VIEWS)).rows;

describe.each(testDialects().filter((d) => d.name === 'postgres'))('view options and comments on $name', (dialect) => {
  test('a baseline, a replaced view and its down() keep them', () =>
    withAdoption(dialect, 2, {}, async ({ dir, dbs: [db, copy] }) => {
      const env = { DATABASE_URL: db.url };
      const knex = db.connect();
      for (const sql of SCHEMA) await knex.raw(sql);
      const original = await views(knex);
      expect(original).toEqual([
        { name: 'checked', options: ['check_option=cascaded'], comment: null },
        { name: 'guarded', options: ['security_barrier=true'], comment: 'only the accounts in credit: is that right?' },
        { name: 'totals', options: null, comment: 'refreshed nightly' },
      ]);
      ok(await kiln(['db', 'pull'], { cwd: dir, env }));
      const check = ok(await kiln(['db', 'check'], { cwd: dir, env }));
      expect(check.stdout).toContain("Unmanaged view option 'comment' on 'guarded'");
      expect(check.stdout).toContain('No new upgrade operations detected.');

      ok(await kiln(['db', 'baseline', '-m', 'base'], { cwd: dir, env }));
      const env2 = { DATABASE_URL: copy.url };
      ok(await kiln(['db', 'upgrade'], { cwd: dir, env: env2 }));
      const other = copy.connect();
      expect(await views(other)).toEqual(original);
      await expectNoDrift(dir, copy.url);

      // The model changes guarded's SELECT: re-created, its option and comment set again.
      const file = path.join(dir, 'models', 'views', 'guarded.ts');
      const source = fs.readFileSync(file, 'utf8');
      fs.writeFileSync(file, source.replace(/view\(\n {2}'guarded',\n {2}`[^`]*`/, "view(\n  'guarded',\n  `SELECT id, name, balance FROM account WHERE balance > 0`"));
      expect(fs.readFileSync(file, 'utf8')).not.toBe(source);
      ok(await kiln(['db', 'migrate', '-m', 'wider'], { cwd: dir, env: env2 }));
      ok(await kiln(['db', 'upgrade'], { cwd: dir, env: env2 }));
      expect(await views(other)).toEqual(original);
      const [columns] = (await other.raw("SELECT count(*)::int AS n FROM information_schema.columns WHERE table_name = 'guarded'")).rows;
      expect(columns.n).toBe(3);
      ok(await kiln(['db', 'downgrade'], { cwd: dir, env: env2 }));
      expect(await views(other)).toEqual(original);
    }));
});

const INDEX_COMMENTS = `SELECT c.relname AS name, obj_description(c.oid, 'pg_class') AS comment FROM pg_class c
  WHERE c.relkind = 'i' AND c.relnamespace = 'public'::regnamespace AND obj_description(c.oid, 'pg_class') IS NOT NULL ORDER BY 1`;

describe.each(testDialects().filter((d) => d.name === 'postgres'))('comments on materialized view indexes on $name', (dialect) => {
  // They were dropped in silence by a baseline and by a model changing the view's SELECT (the
  // view is re-created), and db pull and db check said nothing of them.
  test('pull and check name them; a baseline, a replaced view and its down() keep them', () =>
    withAdoption(dialect, 2, {}, async ({ dir, dbs: [db, copy] }) => {
      const env = { DATABASE_URL: db.url };
      const knex = db.connect();
      for (const sql of [
        'CREATE TABLE sale (id int PRIMARY KEY, region text, amount int)',
        'CREATE MATERIALIZED VIEW by_region AS SELECT region, sum(amount) AS total FROM sale GROUP BY region',
        'CREATE UNIQUE INDEX by_region_region_uq ON by_region (region)',
        "COMMENT ON INDEX by_region_region_uq IS 'REFRESH ... CONCURRENTLY needs it: don''t drop'",
      ]) await knex.raw(sql);
      const original = (await knex.raw(INDEX_COMMENTS)).rows;
      expect(original).toEqual([{ name: 'by_region_region_uq', comment: "REFRESH ... CONCURRENTLY needs it: don't drop" }]);
      const pulled = ok(await kiln(['db', 'pull'], { cwd: dir, env }));
      expect(pulled.stderr).toContain("view 'by_region': comment on index by_region_region_uq is not managed by kiln (kept as it is)");
      const check = ok(await kiln(['db', 'check'], { cwd: dir, env }));
      expect(check.stdout).toContain("Unmanaged view option 'comment on index by_region_region_uq' on 'by_region'");
      expect(check.stdout).toContain('No new upgrade operations detected.');

      ok(await kiln(['db', 'baseline', '-m', 'base'], { cwd: dir, env }));
      const env2 = { DATABASE_URL: copy.url };
      ok(await kiln(['db', 'upgrade'], { cwd: dir, env: env2 }));
      const other = copy.connect();
      expect((await other.raw(INDEX_COMMENTS)).rows).toEqual(original);
      await expectNoDrift(dir, copy.url);

      // The model changes the SELECT: the view and its index are re-created, the comment set again.
      const file = path.join(dir, 'models', 'views', 'by-region.ts');
      const source = fs.readFileSync(file, 'utf8');
      expect(source).toContain('sum(sale.amount) AS total');
      fs.writeFileSync(file, source.replace('sum(sale.amount) AS total', 'sum(sale.amount) AS total, count(*) AS sales'));
      ok(await kiln(['db', 'migrate', '-m', 'count'], { cwd: dir, env: env2 }));
      ok(await kiln(['db', 'upgrade'], { cwd: dir, env: env2 }));
      expect((await other.raw("SELECT count(*)::int AS n FROM pg_attribute WHERE attrelid = 'by_region'::regclass AND attnum > 0")).rows[0].n).toBe(3);
      expect((await other.raw(INDEX_COMMENTS)).rows).toEqual(original);
      await expectNoDrift(dir, copy.url);
      ok(await kiln(['db', 'downgrade'], { cwd: dir, env: env2 }));
      expect((await other.raw(INDEX_COMMENTS)).rows).toEqual(original);
    }));
});

describe.each(testDialects().filter((d) => d.name === 'mysql'))('view options on $name', (dialect) => {
  // MySQL/MariaDB's WITH CHECK OPTION has no statement that sets it again: a model changing the
  // view's SELECT re-created it without the option, in silence; now db migrate refuses.
  test('a replaced view with an option nothing restates is refused, naming it', () =>
    withAdoption(dialect, 1, {}, async ({ dir, dbs: [db] }) => {
      const env = { DATABASE_URL: db.url };
      const knex = db.connect();
      await knex.raw('CREATE TABLE account (id int PRIMARY KEY, balance int)');
      await knex.raw('CREATE VIEW checked AS SELECT id, balance FROM account WHERE balance >= 0 WITH CASCADED CHECK OPTION');
      ok(await kiln(['db', 'pull'], { cwd: dir, env }));
      fs.writeFileSync(path.join(dir, 'models', 'views', 'checked.ts'), "import { view } from 'kiln';\nexport const checked = view('checked', 'SELECT id FROM account WHERE balance >= 0');\n");
      const migrate = await kiln(['db', 'migrate', '-m', 'narrower'], { cwd: dir, env });
      expect(migrate.code).toBe(1);
      expect(migrate.stderr).toMatch(/^error: view 'checked' has .*CHECK OPTION.*, which kiln cannot recreate: a migration that re-creates it would lose it\n/);
      expect(fs.readdirSync(path.join(dir, 'migrations')).filter((f) => f.endsWith('.ts'))).toEqual([]);
    }));
});
