/**
 * Dropping an index of a table in another PostgreSQL schema: the online migration's
 * dropIndexConcurrently named the index bare, so DROP INDEX ... IF EXISTS looked in the search
 * path only: the upgrade reported success and the index stayed (or an index of that name in
 * `public` went instead); with changed columns the new one was then skipped as already there.
 */
import { withAdoption } from '../helpers/adoption';
import { kiln, ok, writeFile } from '../helpers/cli';
import { testDialects } from '../helpers/dialects';

jest.setTimeout(180000);


const INDEXES = "SELECT schemaname AS s, indexname AS i, indexdef AS d FROM pg_indexes WHERE indexname = 'a_n_idx' ORDER BY 1";

describe.each(testDialects().filter((d) => d.name === 'postgres'))('indexes of another schema on $name', (dialect) => {
  test('an index dropped or changed by the models is dropped in its own schema, not in public', () =>
    withAdoption(dialect, 1, { 'kiln.config.ts': "export default { models: 'models', migrations: 'migrations', schemas: ['public', 'app'], exclude: ['other'] };\n" }, async ({ dir, dbs: [db] }) => {
      const env = { DATABASE_URL: db.url };
      const knex = db.connect();
      const models = (n: string) => writeFile(dir, 'models/a.ts', `import { table, Integer } from 'kiln';\nexport const A = table('a', { id: Integer().primaryKey(), n: Integer()${n}, m: Integer() }, { schema: 'app' });\n`);
      models(".index('a_n_idx')");
      ok(await kiln(['db', 'migrate', '-m', 'one'], { cwd: dir, env }));
      ok(await kiln(['db', 'upgrade'], { cwd: dir, env }));
      // A public table with an index of the same name, which kiln leaves alone (excluded).
      await knex.raw('CREATE TABLE public.other (n int)');
      await knex.raw('CREATE INDEX a_n_idx ON public.other (n)');
      expect((await knex.raw(INDEXES)).rows.map((r: { s: string }) => r.s)).toEqual(['app', 'public']);
      models('');
      ok(await kiln(['db', 'migrate', '-m', 'two'], { cwd: dir, env }));
      ok(await kiln(['db', 'upgrade'], { cwd: dir, env }));
      expect((await knex.raw(INDEXES)).rows.map((r: { s: string }) => r.s)).toEqual(['public']);
      ok(await kiln(['db', 'downgrade'], { cwd: dir, env }));
      expect((await knex.raw(INDEXES)).rows.map((r: { s: string }) => r.s)).toEqual(['app', 'public']);
    }));
});
