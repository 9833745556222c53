/**
 * `db baseline` takes the database's views and triggers only where the models declare them (a
 * migration creating one makes it kiln's to drop). Run before `db pull`, it left them out in
 * silence and said the fresh database would have the same schema. Now each one left out is
 * named in a warning that says how to include it; after `db pull` they are in, with no warning.
 */
import * as fs from 'node:fs';
import { withAdoption } from '../helpers/adoption';
import { kiln, ok } from '../helpers/cli';
import { testDialects } from '../helpers/dialects';

jest.setTimeout(120000);


const TRIGGER: Record<string, string> = {
  sqlite: 'CREATE TRIGGER t_fill AFTER INSERT ON t BEGIN UPDATE t SET v = 0 WHERE id = NEW.id AND v IS NULL; END',
  postgres: "CREATE TRIGGER t_fill BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION t_fill()",
  mysql: 'CREATE TRIGGER t_fill BEFORE INSERT ON t FOR EACH ROW SET NEW.v = COALESCE(NEW.v, 0)',
};

describe.each(testDialects())('baseline and what the models do not declare, on $name', (dialect) => {
  test('before a pull: views and triggers left out are named; after it: included', () =>
    withAdoption(dialect, 3, {}, async ({ dir, dbs: [db, other, fresh] }) => {
      const load = async (k: ReturnType<typeof db.connect>) => {
        await k.raw('CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER)');
        await k.raw('CREATE VIEW v_t AS SELECT id FROM t WHERE v > 0');
        if (dialect.name === 'postgres') await k.raw('CREATE FUNCTION t_fill() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.v := coalesce(NEW.v, 0); RETURN NEW; END; $$');
        await k.raw(TRIGGER[dialect.name]);
      };
      await load(db.connect());
      await load(other.connect());

      const before = ok(await kiln(['db', 'baseline', '-m', 'base'], { cwd: dir, env: { DATABASE_URL: db.url } }));
      expect(before.stderr).toContain("view 'v_t' is not in the baseline: the models do not declare it, so it stays the database's; declare it ('kiln db pull' writes what it can) or add it to the migration by hand");
      expect(before.stderr).toContain("trigger 't_fill' is not in the baseline");
      expect(before.stdout).toContain('Baseline of 1 table(s) recorded as applied');

      // The same schema elsewhere, after a pull: the models declare both.
      for (const f of fs.readdirSync(`${dir}/migrations`)) fs.rmSync(`${dir}/migrations/${f}`);
      const env = { DATABASE_URL: other.url };
      ok(await kiln(['db', 'pull'], { cwd: dir, env }));
      const after = ok(await kiln(['db', 'baseline', '-m', 'base'], { cwd: dir, env }));
      expect(after.stderr).not.toContain('is not in the baseline');
      expect(after.stdout).toContain('1 view(s)');
      ok(await kiln(['db', 'upgrade'], { cwd: dir, env: { DATABASE_URL: fresh.url } }));
      const copy = fresh.connect();
      await copy('t').insert({ id: 1 });
      expect(await copy('v_t').select('id')).toEqual([]);
      expect(Number((await copy('t').select('v'))[0].v)).toBe(0);
    }));
});

describe.each(testDialects().filter((d) => d.name === 'postgres'))('a trigger function shared by two triggers on $name', (dialect) => {
  test('pull and baseline say why it is left out, and that it must be added by hand', () =>
    withAdoption(dialect, 1, {}, async ({ dir, dbs: [db] }) => {
      const knex = db.connect();
      await knex.raw('CREATE TABLE a (id serial PRIMARY KEY, updated_at timestamptz)');
      await knex.raw('CREATE TABLE b (id serial PRIMARY KEY, updated_at timestamptz)');
      await knex.raw('CREATE FUNCTION set_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.updated_at := now(); RETURN NEW; END; $$');
      await knex.raw('CREATE TRIGGER a_touch BEFORE UPDATE ON a FOR EACH ROW EXECUTE FUNCTION set_updated_at()');
      await knex.raw('CREATE TRIGGER b_touch BEFORE UPDATE ON b FOR EACH ROW EXECUTE FUNCTION set_updated_at()');
      const env = { DATABASE_URL: db.url };
      const pulled = ok(await kiln(['db', 'pull'], { cwd: dir, env }));
      expect(pulled.stderr).toContain("its function 'set_updated_at' is shared by 2 triggers (a model's trigger owns its function)");
      const base = ok(await kiln(['db', 'baseline', '-m', 'base'], { cwd: dir, env }));
      for (const name of ['a_touch', 'b_touch']) {
        expect(base.stderr).toContain(`trigger '${name}' is not in the baseline: kiln's models cannot say it (its function 'set_updated_at' is shared by 2 triggers (a model's trigger owns its function)); add it to the migration by hand`);
      }
    }));
});
