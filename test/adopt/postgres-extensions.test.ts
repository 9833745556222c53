/**
 * PostgreSQL extensions (citext, pg_trgm, uuid-ossp) whose types, operator classes and functions
 * the tables use: a baseline created the tables only, so upgrading a fresh database from it failed
 * on `type "citext" does not exist`. The baseline now creates the extensions the database's
 * objects use first (IF NOT EXISTS, in creation order, in their schema, at the version the database
 * has; one nothing uses is left out, named in a warning) and its `down` drops them last.
 */
import { withAdoption } from '../helpers/adoption';
import { kiln, ok } from '../helpers/cli';
import { testDialects } from '../helpers/dialects';

jest.setTimeout(180000);

const SCHEMA = [
  // Not the server's default version (1.6 on PostgreSQL 15): the baseline pins it.
  "CREATE EXTENSION citext VERSION '1.4'",
  'CREATE SCHEMA extensions',
  'CREATE EXTENSION "uuid-ossp" WITH SCHEMA extensions',
  'CREATE EXTENSION pg_trgm',
  // Installed, used by nothing: left out (a fresh database would need the privilege to create it), named in a warning.
  'CREATE EXTENSION hstore',
  'CREATE TABLE member (id uuid PRIMARY KEY DEFAULT extensions.uuid_generate_v4(), email citext UNIQUE NOT NULL, name text)',
  'CREATE INDEX member_name_trgm ON member USING gin (name gin_trgm_ops)',
];

const EXTENSIONS = "SELECT e.extname AS name, n.nspname AS schema, e.extversion AS version FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname <> 'plpgsql' ORDER BY 1";
const COLUMNS = `SELECT attname AS name, format_type(atttypid, atttypmod) AS type, pg_get_expr(d.adbin, d.adrelid) AS def FROM pg_attribute a
  LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum WHERE attrelid = 'member'::regclass AND attnum > 0 ORDER BY attnum`;


describe.each(testDialects().filter((d) => d.name === 'postgres'))('extensions on $name', (dialect) => {
  test('a baseline creates the extensions first; a fresh database has the same tables and they work', () =>
    withAdoption(dialect, 2, {}, async ({ dir, dbs: [db, fresh] }) => {
      const env = { DATABASE_URL: db.url };
      const knex = db.connect();
      for (const sql of SCHEMA) await knex.raw(sql);
      ok(await kiln(['db', 'pull'], { cwd: dir, env }));
      expect(ok(await kiln(['db', 'check'], { cwd: dir, env })).stdout).toContain('No new upgrade operations detected');

      const baseline = ok(await kiln(['db', 'baseline', '-m', 'baseline'], { cwd: dir, env }));
      expect(baseline.stdout).toContain('Baseline of 1 table(s) and 3 extension(s) recorded as applied');
      expect(baseline.stderr).toBe(
        "warning: extension 'hstore' is installed but nothing kiln reads depends on it: not in the baseline (a function body may still call it; add CREATE EXTENSION by hand if so)\n",
      );
      const up = ok(await kiln(['db', 'upgrade'], { cwd: dir, env: { DATABASE_URL: fresh.url } }));
      expect(up.stderr).toBe('');
      const copy = fresh.connect();
      const used = (await knex.raw(EXTENSIONS)).rows.filter((r: { name: string }) => r.name !== 'hstore');
      expect(used.map((r: { name: string }) => r.name)).toEqual(['citext', 'pg_trgm', 'uuid-ossp']);
      expect(used[0]).toEqual({ name: 'citext', schema: 'public', version: '1.4' });
      expect((await copy.raw(EXTENSIONS)).rows).toEqual(used);
      expect((await copy.raw(COLUMNS)).rows).toEqual((await knex.raw(COLUMNS)).rows);
      await copy('member').insert({ email: 'Ann@Example.org', name: 'Ann Smith' });
      // citext: the unique ignores case; the default made a uuid.
      await expect(copy('member').insert({ email: 'ann@example.ORG', name: 'Other' })).rejects.toThrow(/member_email_unique|duplicate key/);
      expect((await copy('member').select('id'))[0].id).toMatch(/^[0-9a-f-]{36}$/);
      expect(ok(await kiln(['db', 'check'], { cwd: dir, env: { DATABASE_URL: fresh.url } })).stdout).toContain('No new upgrade operations detected');

      // down drops the tables, then the extensions.
      await copy('member').del();
      ok(await kiln(['db', 'downgrade', 'base'], { cwd: dir, env: { DATABASE_URL: fresh.url } }));
      expect((await copy.raw(EXTENSIONS)).rows).toEqual([]);
    }));
});
