/**
 * What the model language cannot say yet is never dropped in silence by `kiln db pull`: a
 * foreign key over two columns is noted in the file and printed as warnings (the one from the
 * renderer, and the difference `db check` will report), on every dialect.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { kiln, makeProject, rmProject } from '../helpers/cli';
import { freshDatabase } from '../helpers/databases';
import { testDialects } from '../helpers/dialects';

jest.setTimeout(60000);

describe.each(testDialects().map((d) => [d.name, d] as const))('db pull limits on %s', (_name, dialect) => {
  test('a two-column foreign key: a note in the file, warnings on stderr, exit 0', async () => {
    const db = await freshDatabase(dialect);
    const dir = makeProject({ 'kiln.config.ts': "export default { models: 'models', migrations: 'migrations' };\n" });
    fs.mkdirSync(path.join(dir, 'migrations'));
    const knex = db.connect();
    try {
      await knex.schema.createTable('parent', (t) => {
        t.integer('a').notNullable();
        t.integer('b').notNullable();
        t.primary(['a', 'b']);
      });
      await knex.schema.createTable('child', (t) => {
        t.increments('id');
        t.integer('a');
        t.integer('b');
        t.foreign(['a', 'b'], 'child_parent_fk').references(['a', 'b']).inTable('parent');
      });
      const r = await kiln(['db', 'pull'], { cwd: dir, env: { DATABASE_URL: db.url } });
      expect(r.code).toBe(0);
      const warnings = r.stderr.trim().split('\n');
      expect(warnings[0]).toBe("warning: table 'child': foreign key child_parent_fk (a, b) -> parent (a, b) is not declared: a model can only say one-column foreign keys");
      expect(warnings.slice(1).join('\n')).toMatch(/^warning: the models cannot say this, so 'kiln db check' will report it: .*child_parent_fk/);
      expect(fs.readFileSync(path.join(dir, 'models', 'child.ts'), 'utf8')).toContain(' * Note: foreign key child_parent_fk (a, b) -> parent (a, b) is not declared');
      const check = await kiln(['db', 'check'], { cwd: dir, env: { DATABASE_URL: db.url } });
      expect(check.code).toBe(1);
    } finally {
      await db.cleanup();
      rmProject(dir);
    }
  });
});
