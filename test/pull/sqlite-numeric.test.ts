/**
 * SQLite columns declared NUMERIC or DECIMAL (NUMERIC affinity). They were read as Float(), so a
 * baseline declared them `float` (REAL affinity) and a later rebuild of their table, for any
 * change, copied 12345678901234567 into a float column: 1.23456789012346e+16, in silence. Now
 * they read as Custom('numeric(10,2)') in their own spelling: a rebuild and a baseline keep the
 * declared type, so SQLite keeps storing what it stored.
 */
import { expectInitdb, expectNoDrift, withAdoption } from '../helpers/adoption';
import { kiln, ok, writeFile } from '../helpers/cli';
import { testDialects } from '../helpers/dialects';

jest.setTimeout(120000);


const BIG = '12345678901234567';

describe.each(testDialects().filter((d) => d.name === 'sqlite'))('NUMERIC columns written by hand on $name', (dialect) => {
  test('pull says their spelling; a rebuild and a baseline keep the affinity and the stored values', () =>
    withAdoption(dialect, 2, {}, async ({ dir, dbs: [db, second], model }) => {
      const knex = db.connect();
      await knex.raw('CREATE TABLE line (id INTEGER PRIMARY KEY, price NUMERIC(10,2) NOT NULL, amount DECIMAL(12,4), n NUMERIC, qty INTEGER DEFAULT 1)');
      await knex.raw(`INSERT INTO line (price, amount, n) VALUES (${BIG}, '007', 2.5)`);
      const stored = async (k = knex) => (await k.raw('SELECT typeof(price) AS tp, CAST(price AS TEXT) AS p, typeof(amount) AS ta, amount, n FROM line'))[0];
      const before = await stored();
      expect(before).toEqual({ tp: 'integer', p: BIG, ta: 'integer', amount: 7, n: 2.5 });

      ok(await kiln(['db', 'pull'], { cwd: dir, env: { DATABASE_URL: db.url } }));
      const source = model('line.ts');
      expect(source).toContain("price: Custom('numeric(10,2)').notNull(),");
      expect(source).toContain("amount: Custom('decimal(12,4)'),");
      expect(source).toContain("n: Custom('numeric'),");
      await expectNoDrift(dir, db.url);

      // A change that rebuilds the table (SQLite cannot alter a default in place).
      writeFile(dir, 'models/line.ts', source.replace('qty: Integer().default(1),', 'qty: Integer().default(2),'));
      ok(await kiln(['db', 'migrate', '-m', 'qty'], { cwd: dir, env: { DATABASE_URL: db.url } }));
      ok(await kiln(['db', 'upgrade'], { cwd: dir, env: { DATABASE_URL: db.url } }));
      expect(await stored()).toEqual(before);
      const declared = (await knex.raw("SELECT sql FROM sqlite_master WHERE name = 'line'"))[0].sql as string;
      expect(declared).toMatch(/`price` numeric\(10,2\) not null/);

      await expectInitdb(dir, second.url);
      const copy = second.connect();
      await copy.raw(`INSERT INTO line (price, amount, n) VALUES (${BIG}, '007', 2.5)`);
      expect(await stored(copy)).toEqual(before);
    }));
});
