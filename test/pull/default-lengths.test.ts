/**
 * Defaults and column lengths in hand-written schemas. PostgreSQL and SQLite store a default
 * longer than its VARCHAR/CHAR (PostgreSQL checks it only when a row takes it; SQLite never),
 * and the model compiler refused it, so `db pull` of such a database failed; it also counted a
 * default's length in UTF-16 units, refusing `String(2).default('😀😀')`. MySQL/MariaDB refuse
 * such a column themselves: the refusal lives in their projection now, counting characters. And
 * MySQL/MariaDB pad a BINARY(n) default with zero bytes, so `Binary(4).default('ab')` showed
 * drift after every initdb: their projection pads it too.
 */
import * as fs from 'node:fs';
import { expectInitdb, expectNoDrift, withAdoption } from '../helpers/adoption';
import { expectUserError, kiln, ok } from '../helpers/cli';
import { testDialects } from '../helpers/dialects';

jest.setTimeout(180000);


const LONG_DEFAULTS: Record<string, string> = {
  sqlite: "CREATE TABLE t2 (id INTEGER PRIMARY KEY, name VARCHAR(3) DEFAULT 'toolong', e VARCHAR(2) DEFAULT '😀😀')",
  postgres: "CREATE TABLE t2 (id serial PRIMARY KEY, name varchar(3) DEFAULT 'toolong', c char(2) DEFAULT 'abc', e varchar(2) DEFAULT '😀😀')",
};

describe.each(testDialects().filter((d) => d.name !== 'mysql'))('a default longer than its column on $name', (dialect) => {
  test('pulls, checks clean and rebuilds with the same default', () =>
    withAdoption(dialect, 2, {}, async ({ dir, dbs: [db, second], model }) => {
      await db.connect().raw(LONG_DEFAULTS[dialect.name]);
      ok(await kiln(['db', 'pull'], { cwd: dir, env: { DATABASE_URL: db.url } }));
      expect(model('t2.ts')).toContain("name: String(3).default('toolong'),");
      expect(model('t2.ts')).toContain("e: String(2).default('😀😀'),");
      await expectNoDrift(dir, db.url);
      await expectInitdb(dir, second.url);
      await expectNoDrift(dir, second.url);
    }));
});

describe.each(testDialects().filter((d) => d.name === 'mysql'))('defaults and lengths on $name', (dialect) => {
  test('a too-long default is refused with one error line; an emoji default that fits is not', () =>
    withAdoption(
      dialect,
      1,
      { 'models/t.ts': "import { table, Integer, String } from 'kiln';\nexport const T = table('t', { id: Integer().primaryKey(), name: String(3).default('toolong') });\n" },
      async ({ dir, dbs: [db] }) => {
        expectUserError(await kiln(['db', 'check'], { cwd: dir, env: { DATABASE_URL: db.url } }), /table 't' column 'name': MySQL\/MariaDB refuse a default longer than the column \(7 characters for 3\)/);
      },
    ));

  test("BIT(n) defaults (b'101') pull as expressions and rebuild", () =>
    withAdoption(dialect, 2, {}, async ({ dir, dbs: [db, second], model }) => {
      await db.connect().raw("CREATE TABLE flags (id INT PRIMARY KEY, bits BIT(8) NOT NULL DEFAULT b'00000101', flag BIT(1) DEFAULT b'1')");
      ok(await kiln(['db', 'pull'], { cwd: dir, env: { DATABASE_URL: db.url } }));
      expect(model('flags.ts')).toContain("bits: Custom('bit(8)').notNull().defaultRaw('b\\'101\\''),");
      expect(model('flags.ts')).toContain('flag: Boolean().default(true),');
      await expectNoDrift(dir, db.url);
      await expectInitdb(dir, second.url);
      await second.connect()('flags').insert({ id: 1 });
      const [[row]] = await second.connect().raw('SELECT bits + 0 AS bits, flag + 0 AS flag FROM flags');
      expect([Number(row.bits), Number(row.flag)]).toEqual([5, 1]);
    }));

  test("a sequence default names the sequence bare, not with this database's name", () =>
    withAdoption(dialect, 1, {}, async ({ dir, dbs: [db], model }) => {
      const knex = db.connect();
      await knex.raw('CREATE SEQUENCE invoice_seq START WITH 100');
      const [[{ name }]] = await knex.raw('SELECT DATABASE() AS name');
      // A string default that holds this database's qualified name is a string: kept as it is.
      await knex.raw(`CREATE TABLE price_hist (id BIGINT NOT NULL DEFAULT nextval(invoice_seq) PRIMARY KEY, note VARCHAR(60) DEFAULT '\`${name}\`.x')`);
      ok(await kiln(['db', 'pull'], { cwd: dir, env: { DATABASE_URL: db.url } }));
      // Qualified (as MariaDB prints it), a database built elsewhere would take this one's numbers.
      expect(model('price-hist.ts')).toContain("defaultRaw('nextval(`invoice_seq`)')");
      expect(model('price-hist.ts')).toContain(`note: String(60).default('\`${name}\`.x'),`);
      await expectNoDrift(dir, db.url);
    }));

  test('BINARY(n) defaults: hand-written ones pull and check clean; a model saying one checks clean after initdb', () =>
    withAdoption(
      dialect,
      2,
      {},
      async ({ dir, dbs: [db, second], model }) => {
        const knex = db.connect();
        await knex.raw("CREATE TABLE bin (id INT PRIMARY KEY, a BINARY(4) DEFAULT 'ab', b VARBINARY(4) DEFAULT 'ab', e VARCHAR(2) DEFAULT '😀😀')");
        ok(await kiln(['db', 'pull'], { cwd: dir, env: { DATABASE_URL: db.url } }));
        expect(model('bin.ts')).toContain("a: Binary(4).default('ab\\u0000\\u0000'),");
        await expectNoDrift(dir, db.url);
        await expectInitdb(dir, second.url);
        await expectNoDrift(dir, second.url);
        // The model as a person writes it: the padding is the database's.
        const file = `${dir}/models/bin.ts`;
        fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace("default('ab\\u0000\\u0000')", "default('ab')"));
        await expectNoDrift(dir, second.url);
        await second.connect()('bin').insert({ id: 1 });
        const [row] = await second.connect()('bin').select('a', 'b');
        expect([row.a.toString('hex'), row.b.toString('hex')]).toEqual(['61620000', '6162']);
      },
    ));
});
