/**
 * Issue 13 for standalone sequences (PostgreSQL): `kiln db pull` writes the database's
 * sequences made by hand in SQL into models (`sequences/` of the folder), with the options
 * that differ from PostgreSQL's defaults; the sequences of serial and identity columns are not
 * written; right after the pull `db check` is clean and `db migrate` writes nothing, and a
 * baseline made after the pull creates the sequences too (a fresh database upgraded from it
 * reads back as the original, the nextval() default on a standalone sequence included).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { introspect } from '../../src/introspect';
import { tablesLeftOut } from '../../src/runner/bookkeeping';
import { kiln, makeProject, rmProject } from '../helpers/cli';
import { freshDatabase } from '../helpers/databases';
import { testDialects } from '../helpers/dialects';

jest.setTimeout(120000);

for (const dialect of testDialects().filter((d) => d.name === 'postgres')) {
  test('PostgreSQL: hand-made sequences -> model files -> db check clean, db migrate writes nothing, baseline creates them', async () => {
    const db = await freshDatabase(dialect);
    const dir = makeProject({ 'kiln.config.ts': "export default { models: 'models', migrations: 'migrations' };\n" });
    fs.mkdirSync(path.join(dir, 'migrations'));
    const env = { DATABASE_URL: db.url };
    const knex = db.connect();
    try {
      await knex.raw('CREATE SEQUENCE plain_seq');
      await knex.raw('CREATE SEQUENCE invoice_number AS integer START WITH 1000 INCREMENT BY 5 CACHE 10');
      await knex.raw('CREATE SEQUENCE countdown INCREMENT BY -1 MINVALUE -9223372036854775807 CYCLE');
      await knex.raw('CREATE SEQUENCE "Odd Name" AS smallint MAXVALUE 500');
      await knex.raw("CREATE TABLE invoice (id serial PRIMARY KEY, number integer NOT NULL DEFAULT nextval('invoice_number'), customer varchar(50) NOT NULL)");
      await knex.raw('CREATE TABLE ticket (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, label varchar(20))');
      await knex.raw("SELECT nextval('invoice_number')");

      const pulled = await kiln(['db', 'pull'], { cwd: dir, env });
      expect(pulled.stderr).toBe('');
      expect(pulled.code).toBe(0);
      for (const [file, seq] of [['invoice-number', 'invoice_number'], ['countdown', 'countdown'], ['plain-seq', 'plain_seq'], ['odd-name', 'Odd Name']]) {
        expect(pulled.stdout).toContain(`Wrote models/sequences/${file}.ts (sequence '${seq}')`);
      }
      // Only the standalone ones: not invoice_id_seq (serial) nor ticket_id_seq (identity).
      expect(fs.readdirSync(path.join(dir, 'models', 'sequences')).sort()).toEqual(['countdown.ts', 'invoice-number.ts', 'odd-name.ts', 'plain-seq.ts']);
      const read = (f: string) => fs.readFileSync(path.join(dir, 'models', 'sequences', f), 'utf8');
      expect(read('invoice-number.ts')).toContain("export const invoiceNumber = sequence('invoice_number', { as: 'integer', increment: 5, start: 1000, cache: 10 });");
      expect(read('plain-seq.ts')).toContain("export const plainSeq = sequence('plain_seq');");
      expect(read('countdown.ts')).toContain("sequence('countdown', { increment: -1, minValue: '-9223372036854775807', cycle: true });");
      expect(read('odd-name.ts')).toContain("sequence('Odd Name', { as: 'smallint', maxValue: 500 });");
      expect(fs.readFileSync(path.join(dir, 'models', 'invoice.ts'), 'utf8')).toContain("defaultRaw('nextval(\\'invoice_number\\')')");

      const check = await kiln(['db', 'check'], { cwd: dir, env });
      expect(check.stderr).toBe('');
      expect(check.code).toBe(0);
      expect(check.stdout).toContain('No new upgrade operations detected.');
      expect(check.stdout).not.toContain('Unmanaged sequence');
      const migrate = await kiln(['db', 'migrate', '-m', 'nothing'], { cwd: dir, env });
      expect(migrate.code).toBe(0);
      expect(migrate.stdout).toContain('No changes in schema detected.');
      expect(fs.readdirSync(path.join(dir, 'migrations'))).toEqual([]);

      const base = await kiln(['db', 'baseline', '-m', 'baseline'], { cwd: dir, env });
      expect(base.stderr).toBe('');
      expect(base.stdout).toContain('Baseline of 2 table(s) and 4 sequence(s) recorded as applied');
      const fresh = await freshDatabase(dialect);
      const freshKnex = fresh.connect();
      try {
        const up = await kiln(['db', 'upgrade'], { cwd: dir, env: { DATABASE_URL: fresh.url } });
        expect(up.stderr).toBe('');
        const options = { ignoreTables: tablesLeftOut('knex_migrations') };
        const original = await introspect(knex, 'postgres', options);
        expect(original.sequences?.map((s) => s.name)).toEqual(['Odd Name', 'countdown', 'invoice_number', 'plain_seq']);
        expect(await introspect(freshKnex, 'postgres', options)).toEqual(original);
        await freshKnex('invoice').insert({ customer: 'ann' });
        expect(await freshKnex('invoice').first('number')).toEqual({ number: 1000 });
      } finally {
        await freshKnex.destroy();
        await fresh.cleanup();
      }
    } finally {
      await knex.destroy();
      await db.cleanup();
      rmProject(dir);
    }
  });
}
