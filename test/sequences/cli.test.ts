/**
 * Sequences through the real binary: on PostgreSQL `db migrate` prints the sequence it found and
 * writes CREATE SEQUENCE into the file, `db check` prints a sequence made by hand as unmanaged and
 * exits 0, `db upgrade --plan` reads the statement, `initdb` creates the models' sequence once and
 * `initdb --drop --yes` drops it after its table; on SQLite `db migrate`, `db check` and `initdb`
 * refuse a model sequence with one `error:` line naming it, and write nothing; on MariaDB they
 * refuse this one (`as: 'integer'`: MariaDB's sequences are always bigint) the same way.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { introspect } from '../../src/introspect';
import { kiln, makeProject, rmProject } from '../helpers/cli';
import { freshDatabase } from '../helpers/databases';
import { testDialects } from '../helpers/dialects';

const MODELS = `import { model, sequence, Integer, String } from 'kiln';
export const InvoiceNumber = sequence('invoice_number', { as: 'integer', start: 1000 });
export const Invoice = model('Invoice', {
  id: Integer().primaryKey(),
  number: Integer().notNull().defaultRaw("nextval('invoice_number')"),
  customer: String(50).notNull(),
});
`;

for (const dialect of testDialects()) {
  test(`sequences with the binary on ${dialect.name}`, async () => {
    const db = await freshDatabase(dialect);
    const dir = makeProject({ 'models/m.ts': MODELS, 'kiln.config.ts': "export default { models: 'models' };\n" });
    const env = { DATABASE_URL: db.url };
    const k = (...args: string[]) => kiln(args, { cwd: dir, env });
    try {
      fs.mkdirSync(path.join(dir, 'migrations'));
      if (dialect.name !== 'postgres') {
        for (const args of [['db', 'migrate', '-m', 'initial'], ['db', 'check'], ['initdb']]) {
          const r = await k(...args);
          expect(r.code).not.toBe(0);
          expect(r.stderr.trim().split('\n')).toEqual(
            dialect.name === 'mysql'
              ? [
                  "error: sequence 'invoice_number': as 'integer' is not possible on MySQL/MariaDB, whose sequences are always bigint",
                  "hint: remove 'as' (bound the values with minValue and maxValue instead)",
                ]
              : [
                  `error: sequence 'invoice_number': standalone sequences are supported on PostgreSQL and MariaDB only, not on ${dialect.name}`,
                  'hint: remove the sequence() from the models, or use an auto-increment column',
                ],
          );
        }
        expect(fs.readdirSync(path.join(dir, 'migrations'))).toEqual([]);
        return;
      }
      let r = await k('db', 'migrate', '-m', 'initial');
      expect(r.stderr).toBe('');
      expect(r.stdout).toContain("Detected added sequence 'invoice_number'\nDetected added table 'invoice'");
      const [file] = fs.readdirSync(path.join(dir, 'migrations'));
      const text = fs.readFileSync(path.join(dir, 'migrations', file), 'utf8');
      expect(text).toContain(`await knex.raw('CREATE SEQUENCE "invoice_number" AS integer START WITH 1000');`);
      expect(text).toContain(`await knex.raw('DROP SEQUENCE "invoice_number"');`);
      r = await k('db', 'upgrade', '--plan');
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('CREATE SEQUENCE');
      r = await k('db', 'upgrade');
      expect(r.code).toBe(0);
      const knex = db.connect();
      await knex.raw('CREATE SEQUENCE legacy_seq');
      r = await k('db', 'check');
      expect(r.stdout).toContain("Unmanaged sequence 'legacy_seq': the models do not declare it; kept as it is");
      expect(r.stdout).toContain('No new upgrade operations detected.');
      expect(r.code).toBe(0);
      r = await k('db', 'migrate', '-m', 'nothing');
      expect(r.stdout).toContain('No changes in schema detected.');
      r = await k('db', 'downgrade', 'base');
      expect(r.code).toBe(0);
      const names = async () => ((await introspect(knex, 'postgres')).sequences ?? []).map((s) => s.name);
      expect(await names()).toEqual(['legacy_seq']);

      r = await k('initdb');
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(await names()).toEqual(['invoice_number', 'legacy_seq']);
      await knex('invoice').insert({ customer: 'ann' });
      expect(await knex('invoice').first('number')).toEqual({ number: 1000 });
      r = await k('initdb');
      expect(r.code).toBe(0);
      r = await k('initdb', '--drop', '--yes');
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(await names()).toEqual(['invoice_number', 'legacy_seq']);
      expect(await knex('invoice').count({ n: '*' })).toEqual([{ n: '0' }]);
    } finally {
      await db.cleanup();
      rmProject(dir);
    }
  }, 120_000);
}
