/**
 * Triggers through the real binary, on every dialect of this run: `db migrate` prints the
 * trigger it found and writes it into the file; `db check` prints a trigger made by hand as
 * unmanaged and exits 0; a model for a database it has no body for is refused with one `error:`
 * line naming the trigger; `initdb` creates the models' trigger once (it fires once) and
 * `initdb --drop --yes` drops it with its table and creates it again.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { introspect } from '../../src/introspect';
import { kiln, makeProject, rmProject } from '../helpers/cli';
import { freshDatabase } from '../helpers/databases';
import { testDialects } from '../helpers/dialects';

const MODELS = (bodies: string) => `import { model, trigger, Integer, String } from 'kiln';
export const Account = model('Account', { id: Integer().primaryKey(), name: String(50).notNull(), hits: Integer().notNull().default(0) });
export const Audit = model('Audit', { id: Integer().primaryKey(), account_id: Integer().notNull() });
export const Stamp = trigger('account_stamp', { table: Account, timing: 'after', events: ['insert'], body: { ${bodies} } });
`;
const BODIES = {
  sqlite: "sqlite: 'INSERT INTO audit (account_id) VALUES (NEW.id);'",
  postgres: "postgres: 'BEGIN INSERT INTO audit (account_id) VALUES (NEW.id); RETURN NEW; END'",
  mysql: "mysql: 'INSERT INTO audit (account_id) VALUES (NEW.id)'",
};
const HAND_MADE = {
  sqlite: ['CREATE TRIGGER legacy AFTER DELETE ON audit BEGIN SELECT 1; END'],
  postgres: ['CREATE FUNCTION legacy_fn() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN OLD; END$$', 'CREATE TRIGGER legacy AFTER DELETE ON audit FOR EACH ROW EXECUTE FUNCTION legacy_fn()'],
  mysql: ['CREATE TRIGGER legacy AFTER DELETE ON audit FOR EACH ROW SET @kiln_legacy = 1'],
};

describe.each(testDialects().map((d) => [d.name, d] as const))('triggers with the binary on %s', (dialectName, dialect) => {
  test('migrate, check with an unmanaged trigger, a missing body refused, initdb', async () => {
    const db = await freshDatabase(dialect);
    const others = Object.entries(BODIES).filter(([d]) => d !== dialectName).map(([, b]) => b).join(', ');
    const dir = makeProject({
      'models/m.ts': MODELS(Object.values(BODIES).join(', ')),
      'other/m.ts': MODELS(others),
      'kiln.config.ts': "export default { models: 'models' };\n",
    });
    const env = { DATABASE_URL: db.url };
    const k = (...args: string[]) => kiln(args, { cwd: dir, env });
    const knex = db.connect();
    const names = async () => ((await introspect(knex, dialectName)).triggers ?? []).map((t) => t.name);
    try {
      fs.mkdirSync(path.join(dir, 'migrations'));
      let r = await k('db', 'migrate', '-m', 'initial');
      expect(r.stderr).toBe('');
      expect(r.stdout).toContain("Detected added trigger 'account_stamp' on 'account'");
      const [file] = fs.readdirSync(path.join(dir, 'migrations'));
      expect(fs.readFileSync(path.join(dir, 'migrations', file), 'utf8')).toContain('CREATE TRIGGER');
      r = await k('db', 'upgrade');
      expect(r.code).toBe(0);
      for (const sql of HAND_MADE[dialectName]) await knex.raw(sql);
      r = await k('db', 'check');
      expect(r.stdout).toContain("Unmanaged trigger 'legacy' on 'audit': the models do not declare it; kept as it is");
      expect(r.stdout).toContain('No new upgrade operations detected.');
      expect(r.code).toBe(0);
      r = await k('db', 'migrate', '-m', 'nothing');
      expect(r.stdout).toContain('No changes in schema detected.');

      // The same models without this database's body: refused, naming the trigger.
      fs.writeFileSync(path.join(dir, 'kiln.config.ts'), "export default { models: 'other' };\n");
      r = await k('db', 'check');
      expect(r.code).not.toBe(0);
      expect(r.stderr.trim().split('\n')[0]).toBe(`error: trigger 'account_stamp': no body for ${dialectName}`);
      fs.writeFileSync(path.join(dir, 'kiln.config.ts'), "export default { models: 'models' };\n");

      r = await k('db', 'downgrade', 'base');
      expect(r.code).toBe(0);
      expect(await names()).toEqual([]);

      r = await k('initdb');
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(await names()).toEqual(['account_stamp']);
      r = await k('initdb');
      expect(r.code).toBe(0);
      r = await k('initdb', '--drop', '--yes');
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(await names()).toEqual(['account_stamp']);
      await knex('account').insert({ id: 1, name: 'ann' });
      expect(await knex('audit').pluck('account_id')).toEqual([1]);
    } finally {
      await db.cleanup();
      rmProject(dir);
    }
  }, 120_000);
});

/**
 * PostgreSQL compares a trigger's condition by creating it in a transaction it rolls back, which
 * locks the table against writes for that moment: behind a long transaction that writes the
 * table, db check waits 2 s at most and fails naming the table, instead of queueing every writer
 * behind it; once the transaction ends, it runs.
 */
describe.each(testDialects().filter((d) => d.name === 'postgres').map((d) => [d.name, d] as const))('the trigger probe on a busy %s', (_name, dialect) => {
  test('waits 2 s at most for the lock and fails naming the table; runs once the transaction ends', async () => {
    const db = await freshDatabase(dialect);
    const dir = makeProject({
      'models/m.ts': `import { model, trigger, Integer } from 'kiln';
export const Account = model('Account', { id: Integer().primaryKey(), hits: Integer().notNull().default(0) });
export const Guard = trigger('account_guard', { table: Account, timing: 'before', events: ['update'], when: 'NEW.hits < 0', body: "BEGIN RAISE EXCEPTION 'negative'; END" });
`,
      'kiln.config.ts': "export default { models: 'models' };\n",
    });
    const env = { DATABASE_URL: db.url };
    const k = (...args: string[]) => kiln(args, { cwd: dir, env });
    const knex = db.connect();
    try {
      fs.mkdirSync(path.join(dir, 'migrations'));
      expect((await k('db', 'migrate', '-m', 'initial')).code).toBe(0);
      expect((await k('db', 'upgrade')).code).toBe(0);
      await knex('account').insert({ id: 1 });
      const trx = await knex.transaction();
      try {
        await trx('account').where({ id: 1 }).update({ hits: 1 }); // ROW EXCLUSIVE, held until the end
        const started = Date.now();
        const r = await k('db', 'check');
        const took = Date.now() - started;
        expect([r.code, r.stdout, r.stderr.split('\n')[0]]).toEqual([
          1,
          '',
          `error: could not compare the triggers: table "account" stayed locked by another session for 2s (comparing a trigger's condition creates it in a transaction that is rolled back, which needs a short write lock)`,
        ]);
        expect(took).toBeLessThan(20_000);
      } finally {
        await trx.rollback();
      }
      const r = await k('db', 'check');
      expect([r.code, r.stdout.trim(), r.stderr]).toEqual([0, 'No new upgrade operations detected.', '']);
    } finally {
      await db.cleanup();
      rmProject(dir);
    }
  }, 120_000);
});
