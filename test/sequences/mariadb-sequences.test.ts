/**
 * MariaDB's standalone sequences (CREATE SEQUENCE, 10.3+) through the real `kiln` binary. They
 * used to be invisible: introspection read only BASE TABLEs, so `db pull` and `db baseline` left
 * a sequence out without a word, and a column `DEFAULT nextval(seq)` then broke a baseline on a
 * fresh database.
 */
import { withAdoption } from '../helpers/adoption';
import { kiln, ok, writeFile } from '../helpers/cli';
import { testDialects } from '../helpers/dialects';

jest.setTimeout(180000);

const mariadb = testDialects().filter((d) => d.name === 'mysql');

describe.each(mariadb)('MariaDB sequences on $name', (dialect) => {
  test('db pull and db baseline name every sequence they leave out; include/exclude apply', () =>
    withAdoption(dialect, 1, {}, async ({ dir, dbs: [db] }) => {
      const knex = db.connect();
      await knex.raw('CREATE SEQUENCE invoice_no START WITH 1000 INCREMENT BY 5 CACHE 10');
      await knex.raw('CREATE SEQUENCE `odd``name` NOCACHE');
      await knex.raw('CREATE SEQUENCE skip_me');
      await knex.raw('CREATE TABLE invoice (id INT PRIMARY KEY, number BIGINT NOT NULL DEFAULT nextval(invoice_no))');
      writeFile(dir, 'kiln.config.ts', "export default { models: 'models', migrations: 'migrations', exclude: ['skip_*'] };\n");
      const env = { DATABASE_URL: db.url };
      const pull = ok(await kiln(['db', 'pull'], { cwd: dir, env }));
      expect(pull.stderr).toContain("sequence 'invoice_no' is not pulled");
      expect(pull.stderr).toContain("sequence 'odd`name' is not pulled");
      expect(pull.stderr).not.toContain('skip_me');
      const baseline = ok(await kiln(['db', 'baseline', '-m', 'base'], { cwd: dir, env }));
      expect(baseline.stderr).toContain("sequence 'invoice_no' is not in the baseline");
      expect(baseline.stderr).toContain("sequence 'odd`name' is not in the baseline");
      expect(baseline.stderr).not.toContain('skip_me');
    }));
});
