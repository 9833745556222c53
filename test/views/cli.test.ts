/**
 * Views through the real binary, on every dialect of this run: `db migrate` prints the views it
 * found and writes them into the file; `db check` prints a view made by hand as unmanaged and
 * exits 0 (on SQLite through the fast path); `initdb` creates the models' views once and
 * `initdb --drop --yes` drops them before their table.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { introspect } from '../../src/introspect';
import { kiln, makeProject, rmProject } from '../helpers/cli';
import { freshDatabase } from '../helpers/databases';
import { testDialects } from '../helpers/dialects';

const MODELS = `import { model, view, Integer, String } from 'kiln';
export const Account = model('Account', { id: Integer().primaryKey(), name: String(50).notNull(), balance: Integer().notNull() });
export const Rich = view('rich_account', 'select id, name from account where balance > 1000');
`;

describe.each(testDialects().map((d) => [d.name, d] as const))('views with the binary on %s', (dialectName, dialect) => {
  test('migrate, check with an unmanaged view, initdb', async () => {
    const db = await freshDatabase(dialect);
    const dir = makeProject({ 'models/m.ts': MODELS, 'kiln.config.ts': "export default { models: 'models' };\n" });
    const env = { DATABASE_URL: db.url };
    const k = (...args: string[]) => kiln(args, { cwd: dir, env });
    try {
      fs.mkdirSync(path.join(dir, 'migrations'));
      let r = await k('db', 'migrate', '-m', 'initial');
      expect(r.stderr).toBe('');
      expect(r.stdout).toContain("Detected added view 'rich_account'");
      const [file] = fs.readdirSync(path.join(dir, 'migrations'));
      expect(fs.readFileSync(path.join(dir, 'migrations', file), 'utf8')).toContain('CREATE VIEW');
      r = await k('db', 'upgrade');
      expect(r.code).toBe(0);
      const knex = db.connect();
      await knex.raw('CREATE VIEW legacy AS SELECT id FROM account');
      r = await k('db', 'check');
      expect(r.stdout).toContain("Unmanaged view 'legacy': the models do not declare it; kept as it is");
      expect(r.stdout).toContain('No new upgrade operations detected.');
      expect(r.code).toBe(0);
      r = await k('db', 'migrate', '-m', 'nothing');
      expect(r.stdout).toContain('No changes in schema detected.');
      await knex.raw('DROP VIEW legacy');
      r = await k('db', 'downgrade', 'base');
      expect(r.code).toBe(0);
      expect((await introspect(knex, dialectName)).views ?? []).toEqual([]);

      r = await k('initdb');
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(((await introspect(knex, dialectName)).views ?? []).map((v) => v.name)).toEqual(['rich_account']);
      r = await k('initdb');
      expect(r.code).toBe(0);
      r = await k('initdb', '--drop', '--yes');
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(((await introspect(knex, dialectName)).views ?? []).map((v) => v.name)).toEqual(['rich_account']);
    } finally {
      await db.cleanup();
      rmProject(dir);
    }
  }, 120_000);
});
