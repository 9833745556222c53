/**
 * A foreign key to a table kiln does not read: another PostgreSQL schema than the config's, or a
 * table the config excludes. `db pull` refused ("foreign key to unknown table 'crm.customer'"), so
 * a table referencing another team's schema could not be adopted without managing that schema
 * too. It is now written with `external: true`: kiln checks nothing of the target, db check is
 * clean, and a baseline says that a database upgraded from it must already have the target.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { expectNoDrift, withAdoption } from '../helpers/adoption';
import { expectUserError, kiln, ok } from '../helpers/cli';
import { testDialects } from '../helpers/dialects';

jest.setTimeout(180000);


describe.each(testDialects().filter((d) => d.name === 'postgres'))('foreign keys to another schema on $name', (dialect) => {
  test('pull writes external: true; check is clean; a baseline upgrades a database that has the target', () =>
    withAdoption(dialect, 2, {}, async ({ dir, dbs: [db, copy], model }) => {
      const env = { DATABASE_URL: db.url };
      const target = ['CREATE SCHEMA crm', 'CREATE TABLE crm.customer (id int PRIMARY KEY)'];
      for (const sql of [...target, 'CREATE TABLE orders (id int PRIMARY KEY, customer_id int REFERENCES crm.customer (id) ON DELETE CASCADE)']) await db.connect().raw(sql);
      const pulled = ok(await kiln(['db', 'pull'], { cwd: dir, env }));
      expect(pulled.stderr).toContain("foreign key orders_customer_id_fkey (customer_id) -> crm.customer(id) is external");
      expect(model('orders.ts')).toContain("customer_id: Integer().references('crm.customer.id', { onDelete: 'CASCADE', name: 'orders_customer_id_fkey', external: true }),");
      await expectNoDrift(dir, db.url);

      const base = ok(await kiln(['db', 'baseline', '-m', 'base'], { cwd: dir, env }));
      expect(base.stderr).toContain("table 'orders' foreign key orders_customer_id_fkey references 'crm.customer', which kiln does not read");
      // Without the target, the upgrade fails loudly; with it, the copy has the same foreign key.
      const env2 = { DATABASE_URL: copy.url };
      const refused = await kiln(['db', 'upgrade'], { cwd: dir, env: env2 });
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/crm/);
      for (const sql of target) await copy.connect().raw(sql);
      ok(await kiln(['db', 'upgrade'], { cwd: dir, env: env2 }));
      const fk = "SELECT pg_get_constraintdef(oid) AS d FROM pg_constraint WHERE conname = 'orders_customer_id_fkey'";
      expect((await copy.connect().raw(fk)).rows).toEqual((await db.connect().raw(fk)).rows);
      await expectNoDrift(dir, copy.url);
    }));

  test("external: true on a table the models declare, and a missing target without it, are refused with one error line", () =>
    withAdoption(dialect, 1, {}, async ({ dir, dbs: [db] }) => {
      const env = { DATABASE_URL: db.url };
      fs.mkdirSync(path.join(dir, 'models'), { recursive: true });
      const write = (ref: string) =>
        fs.writeFileSync(path.join(dir, 'models', 'm.ts'), `import { table, Integer } from 'kiln';\nexport const A = table('a', { id: Integer().primaryKey() });\nexport const B = table('b', { id: Integer().primaryKey(), a_id: Integer().references(${ref}) });\n`);
      write("'a.id', { external: true }");
      expectUserError(await kiln(['db', 'check'], { cwd: dir, env }), /foreign key to 'a', which the models declare, said external/);
      write("'nowhere.id'");
      const r = await kiln(['db', 'check'], { cwd: dir, env });
      expectUserError(r, /foreign key to unknown table 'nowhere'/);
      expect(r.stderr).toContain("say 'external: true'");
    }));
});

describe.each(testDialects().filter((d) => d.name === 'mysql'))('foreign keys to an excluded table on $name', (dialect) => {
  // db pull read the tables the config excludes (and wrote models for them); it now leaves them
  // out as every command does, and a foreign key to one is external.
  test("pull leaves the config's excluded table out and writes the foreign key to it external", () =>
    withAdoption(dialect, 1, { 'kiln.config.ts': "export default { models: 'models', migrations: 'migrations', exclude: ['legacy'] };\n" }, async ({ dir, dbs: [db], model }) => {
      const env = { DATABASE_URL: db.url };
      await db.connect().raw('CREATE TABLE legacy (id int PRIMARY KEY)');
      await db.connect().raw('CREATE TABLE orders (id int PRIMARY KEY, legacy_id int, CONSTRAINT orders_legacy_fk FOREIGN KEY (legacy_id) REFERENCES legacy (id))');
      const pulled = ok(await kiln(['db', 'pull'], { cwd: dir, env }));
      expect(pulled.stdout).not.toContain('legacy.ts');
      expect(fs.existsSync(path.join(dir, 'models', 'legacy.ts'))).toBe(false);
      expect(model('orders.ts')).toContain("legacy_id: Integer().references('legacy.id', { name: 'orders_legacy_fk', external: true }),");
      await expectNoDrift(dir, db.url);
    }));
});
