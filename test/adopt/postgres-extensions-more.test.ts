/**
 * What a PostgreSQL baseline got wrong about extensions (an adversarial tester's findings), each
 * checked against the catalogs of the original database and of a fresh one upgraded from the
 * baseline:
 * 1. an extension the used one requires (cube under earthdistance, installed by CASCADE) was left
 *    out, so a fresh database got the server's default version and `down()` left it behind;
 * 2. an extension a trigger's WHEN condition calls was missed (the upgrade failed on
 *    `function similarity(text, text) does not exist`), and one nothing kiln reads depends on
 *    was left out without a word;
 * 3. a column of an extension's own domain (earthdistance's `earth`) made the baseline create
 *    the domain again after the extension (`type "earth" already exists`);
 * 4. with the extension in a schema kiln manages, `down()` dropped the schema before the extension;
 * 5. an extension used only through an array of its type (a column or a domain of hstore[]) was
 *    left out with a wrong warning, and the fresh upgrade failed on `type "hstore[]" does not exist`;
 * 6. with no `schemas` in the config, the schema the baseline made for an extension stayed after
 *    `db downgrade base`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Knex } from 'knex';
import { withAdoption } from '../helpers/adoption';
import { kiln, ok } from '../helpers/cli';
import { testDialects } from '../helpers/dialects';

jest.setTimeout(240000);

const EXTENSIONS = "SELECT e.extname AS name, n.nspname AS schema, e.extversion AS version FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname <> 'plpgsql' ORDER BY 1";
const COLUMNS = `SELECT c.relname AS table, attname AS name, format_type(atttypid, atttypmod) AS type, pg_get_expr(d.adbin, d.adrelid) AS def
  FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
  LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
  WHERE c.relkind = 'r' AND n.nspname IN ('public', 'billing') AND c.relname NOT LIKE 'knex%' AND attnum > 0 AND NOT attisdropped ORDER BY 1, attnum`;

const TRIGGERS = "SELECT tgname AS name, pg_get_triggerdef(oid) AS def FROM pg_trigger WHERE NOT tgisinternal ORDER BY 1";

async function rows(knex: Knex, sql: string): Promise<unknown[]> {
  return ((await knex.raw(sql)) as { rows: unknown[] }).rows;
}

/** The migration `db baseline` wrote (the only file of the folder). */
function migration(dir: string): string {
  const files = fs.readdirSync(path.join(dir, 'migrations'));
  expect(files).toHaveLength(1);
  return fs.readFileSync(path.join(dir, 'migrations', files[0]), 'utf8');
}

describe.each(testDialects().filter((d) => d.name === 'postgres'))('more extensions on $name', (dialect) => {
  test('an extension the used one requires (installed by CASCADE) is in the baseline first, at its version, and down() drops it', () =>
    withAdoption(dialect, 2, {}, async ({ dir, dbs: [db, fresh] }) => {
      const env = { DATABASE_URL: db.url };
      const knex = db.connect();
      await knex.raw('CREATE SCHEMA ext');
      // Not cube's default version (1.5 on PostgreSQL 15): a fresh database must get 1.2 too.
      await knex.raw("CREATE EXTENSION cube VERSION '1.2' SCHEMA ext");
      await knex.raw('CREATE EXTENSION earthdistance SCHEMA ext');
      await knex.raw('CREATE TABLE place (id int PRIMARY KEY, r float8 DEFAULT ext.earth())');
      ok(await kiln(['db', 'pull'], { cwd: dir, env }));
      const baseline = ok(await kiln(['db', 'baseline', '-m', 'baseline'], { cwd: dir, env }));
      expect(baseline.stdout).toContain('Baseline of 1 table(s) and 2 extension(s) recorded as applied');
      expect(baseline.stderr).toBe('');
      const text = migration(dir);
      // The requirement comes first, at its own schema and version (the file quotes the statement: \').
      const cube = text.indexOf(`CREATE EXTENSION IF NOT EXISTS "cube" WITH SCHEMA "ext" VERSION \\'1.2\\' CASCADE`);
      const earth = text.indexOf(`CREATE EXTENSION IF NOT EXISTS "earthdistance" WITH SCHEMA "ext" VERSION \\'1.1\\' CASCADE`);
      expect(cube).toBeGreaterThan(-1);
      expect(earth).toBeGreaterThan(cube);

      ok(await kiln(['db', 'upgrade'], { cwd: dir, env: { DATABASE_URL: fresh.url } }));
      const copy = fresh.connect();
      expect(await rows(copy, EXTENSIONS)).toEqual([
        { name: 'cube', schema: 'ext', version: '1.2' },
        { name: 'earthdistance', schema: 'ext', version: '1.1' },
      ]);
      expect(await rows(copy, EXTENSIONS)).toEqual(await rows(knex, EXTENSIONS));
      expect(await rows(copy, COLUMNS)).toEqual(await rows(knex, COLUMNS));
      ok(await kiln(['db', 'downgrade', 'base'], { cwd: dir, env: { DATABASE_URL: fresh.url } }));
      expect(await rows(copy, EXTENSIONS)).toEqual([]);
    }));
  test("an extension a trigger's WHEN calls is in the baseline; one nothing kiln reads depends on is named in a warning", () =>
    withAdoption(dialect, 2, {}, async ({ dir, dbs: [db, fresh] }) => {
      const env = { DATABASE_URL: db.url };
      const knex = db.connect();
      await knex.raw('CREATE EXTENSION pg_trgm');
      await knex.raw('CREATE TABLE doc (id int PRIMARY KEY, title text, flagged boolean NOT NULL DEFAULT false)');
      await knex.raw('CREATE FUNCTION doc_flag() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.flagged := true; RETURN NEW; END; $$');
      // similarity() is pg_trgm's: only the trigger's WHEN condition uses it.
      await knex.raw("CREATE TRIGGER doc_flag BEFORE INSERT ON doc FOR EACH ROW WHEN (similarity(NEW.title, 'buy cheap pills') > 0.5) EXECUTE FUNCTION doc_flag()");
      // hstore: called inside a function body only, where PostgreSQL records no dependency.
      await knex.raw('CREATE EXTENSION hstore');
      await knex.raw("CREATE FUNCTION tag_of(t text) RETURNS text LANGUAGE plpgsql AS $$ BEGIN RETURN hstore('k', t) -> 'k'; END; $$");
      ok(await kiln(['db', 'pull'], { cwd: dir, env }));
      const baseline = ok(await kiln(['db', 'baseline', '-m', 'baseline'], { cwd: dir, env }));
      expect(baseline.stdout).toContain('Baseline of 1 table(s) and 1 extension(s) recorded as applied');
      expect(baseline.stderr).toBe(
        "warning: extension 'hstore' is installed but nothing kiln reads depends on it: not in the baseline (a function body may still call it; add CREATE EXTENSION by hand if so)\n",
      );
      expect(migration(dir)).toContain('CREATE EXTENSION IF NOT EXISTS "pg_trgm"');
      expect(migration(dir)).not.toContain('hstore');

      const up = ok(await kiln(['db', 'upgrade'], { cwd: dir, env: { DATABASE_URL: fresh.url } }));
      expect(up.stderr).toBe('');
      const copy = fresh.connect();
      expect(await rows(copy, EXTENSIONS)).toEqual([{ name: 'pg_trgm', schema: 'public', version: '1.6' }]);
      expect(await rows(copy, TRIGGERS)).toEqual(await rows(knex, TRIGGERS));
      expect(await rows(copy, COLUMNS)).toEqual(await rows(knex, COLUMNS));
      // The trigger works on the fresh database.
      await copy('doc').insert([{ id: 1, title: 'buy cheap pills' }, { id: 2, title: 'minutes of the meeting' }]);
      expect(await copy('doc').select('id', 'flagged').orderBy('id')).toEqual([{ id: 1, flagged: true }, { id: 2, flagged: false }]);
      await copy('doc').del();
      ok(await kiln(['db', 'downgrade', 'base'], { cwd: dir, env: { DATABASE_URL: fresh.url } }));
      expect(await rows(copy, EXTENSIONS)).toEqual([]);
    }));
  test("a column of an extension's own domain (earthdistance's earth): the baseline creates the extension, not the domain again", () =>
    withAdoption(dialect, 2, {}, async ({ dir, dbs: [db, fresh] }) => {
      const env = { DATABASE_URL: db.url };
      const knex = db.connect();
      await knex.raw('CREATE EXTENSION earthdistance CASCADE');
      await knex.raw('CREATE TABLE spot (id int PRIMARY KEY, loc earth NOT NULL)');
      ok(await kiln(['db', 'pull'], { cwd: dir, env }));
      const baseline = ok(await kiln(['db', 'baseline', '-m', 'baseline'], { cwd: dir, env }));
      // No domain: earth is earthdistance's.
      expect(baseline.stdout).toContain('Baseline of 1 table(s) and 2 extension(s) recorded as applied');
      expect(baseline.stderr).toBe('');
      expect(migration(dir)).not.toContain('CREATE DOMAIN');

      const up = ok(await kiln(['db', 'upgrade'], { cwd: dir, env: { DATABASE_URL: fresh.url } }));
      expect(up.stderr).toBe('');
      const copy = fresh.connect();
      expect(await rows(copy, EXTENSIONS)).toEqual(await rows(knex, EXTENSIONS));
      expect(await rows(copy, COLUMNS)).toEqual(await rows(knex, COLUMNS));
      await copy.raw('INSERT INTO spot VALUES (1, ll_to_earth(48.85, 2.35))');
      expect((await rows(copy, 'SELECT round(latitude(loc)::numeric, 2)::text AS lat FROM spot'))).toEqual([{ lat: '48.85' }]);
      await copy('spot').del();
      ok(await kiln(['db', 'downgrade', 'base'], { cwd: dir, env: { DATABASE_URL: fresh.url } }));
      expect(await rows(copy, EXTENSIONS)).toEqual([]);
    }));
  test('an extension in a schema kiln manages: up() creates the schema, then the extension; down() drops the extension, then the schema', () =>
    withAdoption(dialect, 2, { 'kiln.config.ts': "export default { models: 'models', migrations: 'migrations', schemas: ['public', 'billing'] };\n" }, async ({ dir, dbs: [db, fresh] }) => {
      const env = { DATABASE_URL: db.url };
      const knex = db.connect();
      await knex.raw('CREATE SCHEMA billing');
      await knex.raw('CREATE EXTENSION citext SCHEMA billing');
      await knex.raw('CREATE TABLE billing.cust (id int PRIMARY KEY, email billing.citext NOT NULL)');
      ok(await kiln(['db', 'pull'], { cwd: dir, env }));
      const baseline = ok(await kiln(['db', 'baseline', '-m', 'baseline'], { cwd: dir, env }));
      expect(baseline.stdout).toContain('Baseline of 1 table(s) and 1 extension(s) recorded as applied');
      expect(baseline.stderr).toBe('');
      const text = migration(dir);
      const [up, down] = text.split(/export async function down/);
      expect(down).toBeDefined();
      // Both the schema's own op and the extension's (which makes its schema if missing) come before the extension.
      expect(up.indexOf('CREATE EXTENSION')).toBeGreaterThan(-1);
      expect(up.lastIndexOf("createSchemaIfNotExists('billing')")).toBeLessThan(up.indexOf('CREATE EXTENSION'));
      expect(down.indexOf('DROP EXTENSION IF EXISTS "citext"')).toBeGreaterThan(-1);
      expect(down.indexOf('DROP EXTENSION IF EXISTS "citext"')).toBeLessThan(down.indexOf("dropSchemaIfExists('billing')"));

      ok(await kiln(['db', 'upgrade'], { cwd: dir, env: { DATABASE_URL: fresh.url } }));
      const copy = fresh.connect();
      expect(await rows(copy, EXTENSIONS)).toEqual([{ name: 'citext', schema: 'billing', version: '1.6' }]);
      expect(await rows(copy, COLUMNS)).toEqual(await rows(knex, COLUMNS));
      const down1 = ok(await kiln(['db', 'downgrade', 'base'], { cwd: dir, env: { DATABASE_URL: fresh.url } }));
      expect(down1.stderr).toBe('');
      expect(await rows(copy, EXTENSIONS)).toEqual([]);
      expect(await rows(copy, "SELECT nspname FROM pg_namespace WHERE nspname = 'billing'")).toEqual([]);
    }));
  // A column of hstore[] depends on the array type _hstore, which is no member of the extension
  // (it depends on hstore internally): the baseline left hstore out, warned that nothing used it,
  // and a fresh upgrade failed on 'type "hstore[]" does not exist'.
  test.each([
    ['a column', [`CREATE TABLE a (id int PRIMARY KEY, tags hstore[])`], '1 table(s) and 1 extension(s)'],
    ['a domain a column uses', [`CREATE DOMAIN tagset AS hstore[]`, `CREATE TABLE a (id int PRIMARY KEY, tags tagset)`], '1 table(s) and 1 domain(s) and 1 extension(s)'],
  ])('an extension used only through an array of its type (%s) is in the baseline', (_what, schema, counts) =>
    withAdoption(dialect, 2, {}, async ({ dir, dbs: [db, fresh] }) => {
      const env = { DATABASE_URL: db.url };
      const knex = db.connect();
      await knex.raw(`CREATE EXTENSION hstore`);
      for (const sql of schema) await knex.raw(sql);
      ok(await kiln(['db', 'pull'], { cwd: dir, env }));
      const baseline = ok(await kiln(['db', 'baseline', '-m', 'baseline'], { cwd: dir, env }));
      expect(baseline.stdout).toContain(`Baseline of ${counts} recorded as applied`);
      expect(baseline.stderr).not.toContain('nothing kiln reads depends on');
      expect(migration(dir)).toContain(`CREATE EXTENSION IF NOT EXISTS "hstore"`);

      const up = ok(await kiln(['db', 'upgrade'], { cwd: dir, env: { DATABASE_URL: fresh.url } }));
      expect(up.stderr).toBe('');
      const copy = fresh.connect();
      expect(await rows(copy, EXTENSIONS)).toEqual(await rows(knex, EXTENSIONS));
      expect(await rows(copy, COLUMNS)).toEqual(await rows(knex, COLUMNS));
      await copy.raw(`INSERT INTO a VALUES (1, ARRAY['k=>v']::hstore[])`);
      expect(await rows(copy, `SELECT (tags[1] -> 'k') AS v FROM a`)).toEqual([{ v: 'v' }]);
    }));
  // No schemas in the config: the baseline's createExtension made the extension's schema if
  // missing, and down() dropped only the extension, leaving the schema behind.
  test('down() drops the schema a baseline made for an extension (a quoted name)', () =>
    withAdoption(dialect, 2, {}, async ({ dir, dbs: [db, fresh] }) => {
      const env = { DATABASE_URL: db.url };
      const knex = db.connect();
      await knex.raw(`CREATE SCHEMA "we""ird sp"`);
      await knex.raw(`CREATE EXTENSION citext SCHEMA "we""ird sp"`);
      await knex.raw(`CREATE TABLE t (id int PRIMARY KEY, e "we""ird sp".citext)`);
      ok(await kiln(['db', 'pull'], { cwd: dir, env }));
      const baseline = ok(await kiln(['db', 'baseline', '-m', 'baseline'], { cwd: dir, env }));
      expect(baseline.stderr).toBe('');
      const [upText, downText] = migration(dir).split(/export async function down/);
      // up() makes the schema by its own op before the extension; down() drops it after the extension.
      expect(upText.indexOf(`createSchemaIfNotExists('we"ird sp')`)).toBeGreaterThan(-1);
      expect(upText.indexOf(`createSchemaIfNotExists('we"ird sp')`)).toBeLessThan(upText.indexOf('CREATE EXTENSION'));
      expect(downText.indexOf('DROP EXTENSION IF EXISTS "citext"')).toBeGreaterThan(-1);
      expect(downText.indexOf('DROP EXTENSION IF EXISTS "citext"')).toBeLessThan(downText.indexOf(`dropSchemaIfExists('we"ird sp')`));
      const freshEnv = { DATABASE_URL: fresh.url };
      const SCHEMA = `SELECT nspname AS name FROM pg_namespace WHERE nspname = 'we"ird sp'`;
      ok(await kiln(['db', 'upgrade'], { cwd: dir, env: freshEnv }));
      const copy = fresh.connect();
      expect(await rows(copy, EXTENSIONS)).toEqual(await rows(knex, EXTENSIONS));
      expect(await rows(copy, COLUMNS)).toEqual(await rows(knex, COLUMNS));
      expect(await rows(copy, SCHEMA)).toEqual([{ name: 'we"ird sp' }]);
      const down = ok(await kiln(['db', 'downgrade', 'base'], { cwd: dir, env: freshEnv }));
      expect(down.stderr).toBe('');
      expect(await rows(copy, EXTENSIONS)).toEqual([]);
      expect(await rows(copy, SCHEMA)).toEqual([]);
      // And back up again.
      ok(await kiln(['db', 'upgrade'], { cwd: dir, env: freshEnv }));
      expect(await rows(copy, EXTENSIONS)).toEqual(await rows(knex, EXTENSIONS));
      expect(await rows(copy, COLUMNS)).toEqual(await rows(knex, COLUMNS));
    }));
  // The schema kiln works in (?schema=app) is not the extension's to drop: its migrations table lives there.
  test('an extension in the schema kiln works in: down() drops the extension and leaves the schema', () =>
    withAdoption(dialect, 2, {}, async ({ dir, dbs: [db, fresh] }) => {
      const knex = db.connect();
      await knex.raw(`CREATE SCHEMA app`);
      await knex.raw(`CREATE EXTENSION citext SCHEMA app`);
      await knex.raw(`CREATE TABLE app.t (id int PRIMARY KEY, e app.citext)`);
      const env = { DATABASE_URL: `${db.url}?schema=app` };
      ok(await kiln(['db', 'pull'], { cwd: dir, env }));
      const baseline = ok(await kiln(['db', 'baseline', '-m', 'baseline'], { cwd: dir, env }));
      expect(baseline.stderr).toBe('');
      const [upText] = migration(dir).split(/export async function down/);
      // Only createExtension's own (if missing), no op of the baseline's to drop it again.
      expect(upText.split(`createSchemaIfNotExists('app')`)).toHaveLength(2);

      const copy = fresh.connect();
      await copy.raw(`CREATE SCHEMA app`);
      const freshEnv = { DATABASE_URL: `${fresh.url}?schema=app` };
      ok(await kiln(['db', 'upgrade'], { cwd: dir, env: freshEnv }));
      expect(await rows(copy, EXTENSIONS)).toEqual(await rows(knex, EXTENSIONS));
      const down = ok(await kiln(['db', 'downgrade', 'base'], { cwd: dir, env: freshEnv }));
      expect(down.stderr).toBe('');
      expect(await rows(copy, EXTENSIONS)).toEqual([]);
      expect(await rows(copy, `SELECT nspname AS name FROM pg_namespace WHERE nspname = 'app'`)).toEqual([{ name: 'app' }]);
    }));
});
