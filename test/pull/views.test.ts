/**
 * `kiln db pull` writes the database's views into models (`views/` of the folder), from views
 * made by hand in SQL: right after the pull `db check` is clean and `db migrate` writes nothing,
 * on every dialect; a view the model language cannot say (a '?' in its SELECT) is left out with
 * a warning and stays unmanaged; PostgreSQL's materialized views keep their indexes; a baseline
 * made after the pull creates the pulled views, so a fresh database equals the original.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { introspect } from '../../src/introspect';
import { tablesLeftOut } from '../../src/runner/bookkeeping';
import { kiln, makeProject, rmProject } from '../helpers/cli';
import { freshDatabase } from '../helpers/databases';
import { testDialects } from '../helpers/dialects';

jest.setTimeout(120000);

describe.each(testDialects().map((d) => [d.name, d] as const))('db pull of views on %s', (name, dialect) => {
  test('hand-made views -> model files -> db check clean, db migrate writes nothing', async () => {
    const db = await freshDatabase(dialect);
    const dir = makeProject({ 'kiln.config.ts': "export default { models: 'models', migrations: 'migrations' };\n" });
    fs.mkdirSync(path.join(dir, 'migrations'));
    const env = { DATABASE_URL: db.url };
    const knex = db.connect();
    const q = (id: string) => (name === 'mysql' ? `\`${id}\`` : `"${id}"`);
    try {
      await knex.schema.createTable('account', (t) => {
        t.increments('id');
        t.string('name', 50).notNullable();
        t.integer('balance').notNullable();
      });
      await knex('account').insert([
        { name: 'a', balance: 10 },
        { name: "b'`${x}", balance: 5000 },
      ]);
      await knex.raw(`CREATE VIEW rich_account AS SELECT id, name, balance FROM account WHERE balance > 1000`);
      // a name that needs quoting, a string literal holding a backquote and '${', a view over a view
      await knex.raw(`CREATE VIEW ${q('Rich Labels')} AS SELECT name, 'x\`\${y}' AS tag FROM rich_account`);
      if (name === 'postgres') {
        await knex.raw('CREATE MATERIALIZED VIEW balance_by_name AS SELECT name, sum(balance) AS total FROM account GROUP BY name');
        await knex.raw('CREATE UNIQUE INDEX balance_by_name_name_unique ON balance_by_name (name)');
        // '?' is a parameter to Knex: the model language refuses it, so pull leaves the view alone
        await knex.raw("CREATE VIEW odd AS SELECT id FROM account WHERE name <> '\\?'");
      }
      const pulled = await kiln(['db', 'pull'], { cwd: dir, env });
      expect(pulled.code).toBe(0);
      expect(pulled.stdout).toContain("Wrote models/views/rich-account.ts (view 'rich_account')");
      expect(pulled.stdout).toContain("Wrote models/views/rich-labels.ts (view 'Rich Labels')");
      const rich = fs.readFileSync(path.join(dir, 'models', 'views', 'rich-account.ts'), 'utf8');
      expect(rich).toMatch(/^import \{ view \} from 'kiln';$/m);
      expect(rich).toMatch(/export const richAccount = view\(\n {2}'rich_account',\n {2}`/);
      if (name === 'postgres') {
        expect(pulled.stdout).toContain("(view 'balance_by_name')");
        expect(fs.readFileSync(path.join(dir, 'models', 'views', 'balance-by-name.ts'), 'utf8')).toContain("{ materialized: true, indexes: [{ columns: ['name'], unique: true }] }");
        expect(pulled.stderr).toContain("warning: view 'odd' is not pulled: its SELECT holds a '?'");
        expect(fs.existsSync(path.join(dir, 'models', 'views', 'odd.ts'))).toBe(false);
      } else {
        expect(pulled.stderr).toBe('');
      }
      const check = await kiln(['db', 'check'], { cwd: dir, env });
      expect(check.stderr).toBe('');
      expect(check.code).toBe(0);
      expect(check.stdout).toContain('No new upgrade operations detected.');
      if (name === 'postgres') expect(check.stdout).toContain("Unmanaged view 'odd'");
      const migrate = await kiln(['db', 'migrate', '-m', 'nothing'], { cwd: dir, env });
      expect(migrate.code).toBe(0);
      expect(migrate.stdout).toContain('No changes in schema detected.');
      expect(fs.readdirSync(path.join(dir, 'migrations'))).toEqual([]);
      // a baseline from the pulled models creates the views too: a fresh database equals this one
      const base = await kiln(['db', 'baseline', '-m', 'baseline'], { cwd: dir, env });
      // 'odd' stays the database's: the baseline says it leaves it out
      expect(base.stderr).toBe(
        name === 'postgres'
          ? "warning: view 'odd' is not in the baseline: the models do not declare it, so it stays the database's; declare it ('kiln db pull' writes what it can) or add it to the migration by hand\n"
          : '',
      );
      expect(base.stdout).toContain(`Baseline of 1 table(s) and ${name === 'postgres' ? 3 : 2} view(s) recorded as applied`);
      const fresh = await freshDatabase(dialect);
      try {
        const up = await kiln(['db', 'upgrade'], { cwd: dir, env: { DATABASE_URL: fresh.url } });
        expect(up.stderr).toBe('');
        const options = { ignoreTables: tablesLeftOut('knex_migrations') };
        const original = await introspect(knex, name, options);
        // 'odd' (not pulled) is the database's own: the baseline leaves it out
        expect(await introspect(fresh.connect(), name, options)).toEqual({ ...original, views: original.views!.filter((v) => v.name !== 'odd') });
      } finally {
        await fresh.cleanup();
      }
      // the pulled text is the database's: the views still answer as before
      const rows = await knex.raw(`SELECT name, tag FROM ${q('Rich Labels')}`);
      const list = name === 'postgres' ? rows.rows : name === 'mysql' ? rows[0] : rows;
      expect(list).toEqual([{ name: "b'`${x}", tag: 'x`${y}' }]);
    } finally {
      await db.cleanup();
      rmProject(dir);
    }
  });
});
