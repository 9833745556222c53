/**
 * A materialized view's index that is not a plain btree on plain columns: a gist on an ltree, a gin
 * with gin_trgm_ops, DESC NULLS LAST, a brin. They were read as plain columns, so db check was clean
 * and a baseline re-created each as a plain btree, in silence. Now each keeps its pg_get_indexdef
 * statement: db pull notes it, db check compares it, a baseline re-creates it exactly, and a
 * model changing the view's SELECT re-creates the view with them (they were dropped in silence).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Knex } from 'knex';
import { expectNoDrift, withAdoption } from '../helpers/adoption';
import { kiln, ok } from '../helpers/cli';
import { testDialects } from '../helpers/dialects';

jest.setTimeout(180000);

const SCHEMA = [
  `CREATE EXTENSION ltree`,
  `CREATE EXTENSION pg_trgm`,
  `CREATE TABLE place (id int PRIMARY KEY, name text, path ltree)`,
  `CREATE MATERIALIZED VIEW mv AS SELECT id, name, path FROM place`,
  `CREATE INDEX mv_path ON mv USING gist (path)`,
  `CREATE INDEX mv_trgm ON mv USING gin (name gin_trgm_ops)`,
  `CREATE INDEX mv_desc ON mv (name DESC NULLS LAST)`,
  `CREATE INDEX mv_brin ON mv USING brin (id)`,
  `CREATE UNIQUE INDEX mv_id ON mv (id)`,
];

const INDEXES = `SELECT c.relname AS name, pg_get_indexdef(c.oid) AS sql FROM pg_index x JOIN pg_class c ON c.oid = x.indexrelid
  WHERE x.indrelid = 'mv'::regclass ORDER BY 1`;

const indexes = async (knex: Knex) => (await knex.raw(INDEXES)).rows as { name: string; sql: string }[];

describe.each(testDialects().filter((d) => d.name === 'postgres'))('special indexes of a materialized view on $name', (dialect) => {
  test('pull notes them, check is clean, a baseline re-creates them exactly', () =>
    withAdoption(dialect, 2, {}, async ({ dir, dbs: [db, copy] }) => {
      const env = { DATABASE_URL: db.url };
      const knex = db.connect();
      for (const sql of SCHEMA) await knex.raw(sql);
      const original = await indexes(knex);
      expect(original.map((i) => i.name)).toEqual(['mv_brin', 'mv_desc', 'mv_id', 'mv_path', 'mv_trgm']);

      const pull = ok(await kiln(['db', 'pull'], { cwd: dir, env }));
      for (const name of ['mv_path', 'mv_trgm', 'mv_desc', 'mv_brin']) {
        expect(pull.stdout + pull.stderr).toContain(`index '${name}' of materialized view 'mv' is not declared`);
      }
      // The plain unique index stays a model's.
      expect(pull.stdout + pull.stderr).not.toContain(`index 'mv_id' of materialized view`);
      const model = fs.readFileSync(path.join(dir, 'models', 'views', 'mv.ts'), 'utf8');
      expect(model).toContain('mv_id');
      const check = ok(await kiln(['db', 'check'], { cwd: dir, env }));
      expect(check.stdout).toContain('No new upgrade operations detected.');

      ok(await kiln(['db', 'baseline', '-m', 'base'], { cwd: dir, env }));
      ok(await kiln(['db', 'upgrade'], { cwd: dir, env: { DATABASE_URL: copy.url } }));
      const other = copy.connect();
      expect(await indexes(other)).toEqual(original);
      await expectNoDrift(dir, copy.url);

      // The model changes mv's SELECT: the view is re-created, with the indexes it cannot say.
      const file = path.join(dir, 'models', 'views', 'mv.ts');
      fs.writeFileSync(file, model.replace(/view\(\n {2}'mv',\n {2}`[^`]*`/, "view(\n  'mv',\n  `SELECT id, name, path, 1 AS one FROM place`"));
      expect(fs.readFileSync(file, 'utf8')).not.toBe(model);
      const env2 = { DATABASE_URL: copy.url };
      const migrate = ok(await kiln(['db', 'migrate', '-m', 'wider'], { cwd: dir, env: env2 }));
      expect(migrate.stdout).toContain("materialized view 'mv'");
      expect(fs.readdirSync(path.join(dir, 'migrations'))).toHaveLength(2);
      ok(await kiln(['db', 'upgrade'], { cwd: dir, env: env2 }));
      expect(await indexes(other)).toEqual(original);
      ok(await kiln(['db', 'downgrade'], { cwd: dir, env: env2 }));
      expect(await indexes(other)).toEqual(original);
    }));
});
