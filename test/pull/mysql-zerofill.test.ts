/**
 * MariaDB's ZEROFILL (`INT(6) UNSIGNED ZEROFILL` order numbers printed as 000042) and UNSIGNED on
 * a decimal or float: display and range attributes kiln's models cannot say. They were dropped in
 * silence: a database made by a baseline had plain columns. Now each is an unmanaged column
 * option (listed by pull and check) whose statement restates the whole column, auto-increment
 * included; a baseline re-creates it, and a generated MODIFY that would lose it is refused.
 */
import { withAdoption } from '../helpers/adoption';
import { expectUserError, kiln, ok, writeFile } from '../helpers/cli';
import { testDialects } from '../helpers/dialects';
import type { Knex } from 'knex';

jest.setTimeout(180000);


const SCHEMA =
  'CREATE TABLE orders (id INT(6) UNSIGNED ZEROFILL NOT NULL AUTO_INCREMENT PRIMARY KEY, code SMALLINT(4) ZEROFILL DEFAULT 7, amount DECIMAL(8,2) UNSIGNED NOT NULL, rate DOUBLE UNSIGNED, n INT)';

async function catalog(knex: Knex): Promise<string[]> {
  const [rows] = await knex.raw(
    "SELECT COLUMN_NAME AS c, COLUMN_TYPE AS t, EXTRA AS e, IS_NULLABLE AS n, COLUMN_DEFAULT AS d FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'orders' ORDER BY ORDINAL_POSITION",
  );
  return (rows as Record<string, unknown>[]).map((r) => [r.c, r.t, r.e, r.n, r.d].join(' | '));
}

describe.each(testDialects().filter((d) => d.name === 'mysql'))('ZEROFILL and unsigned decimals on $name', (dialect) => {
  test('pull and check list them; a baseline re-creates them; a MODIFY that would lose one is refused', () =>
    withAdoption(dialect, 2, {}, async ({ dir, dbs: [db, fresh], model }) => {
      const env = { DATABASE_URL: db.url };
      const knex = db.connect();
      await knex.raw(SCHEMA);
      const pulled = ok(await kiln(['db', 'pull'], { cwd: dir, env }));
      for (const option of ['id ZEROFILL', 'code ZEROFILL', 'amount UNSIGNED', 'rate UNSIGNED']) {
        expect(pulled.stderr).toContain(`column option ${option} is not managed by kiln (kept as it is)`);
      }
      expect(model('orders.ts')).toContain('id: Integer().primaryKey(),');
      expect(model('orders.ts')).toContain('code: SmallInteger().unsigned().default(7),');
      const check = ok(await kiln(['db', 'check'], { cwd: dir, env }));
      expect(check.stdout).toContain("Unmanaged column option 'id ZEROFILL' on 'orders'");
      expect(check.stdout).toContain('No new upgrade operations detected');

      ok(await kiln(['db', 'baseline', '-m', 'base'], { cwd: dir, env }));
      ok(await kiln(['db', 'upgrade'], { cwd: dir, env: { DATABASE_URL: fresh.url } }));
      const copy = fresh.connect();
      expect(await catalog(copy)).toEqual(await catalog(knex));
      await copy('orders').insert({ amount: 1 });
      const [[row]] = await copy.raw('SELECT CAST(id AS CHAR) AS id, CAST(code AS CHAR) AS code FROM orders');
      expect([row.id, row.code]).toEqual(['000001', '0007']);

      // A model change that would MODIFY `code` (knex restates the column without ZEROFILL).
      const source = model('orders.ts').replace('code: SmallInteger().unsigned().default(7),', 'code: SmallInteger().unsigned().default(8),');
      writeFile(dir, 'models/orders.ts', source);
      expectUserError(await kiln(['db', 'migrate', '-m', 'code'], { cwd: dir, env }), /column 'orders\.code' has ZEROFILL, which kiln's models cannot say/);
    }));
});
