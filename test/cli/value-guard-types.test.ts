/**
 * The value guard for issue 11's narrowing changes, through the real binary on the server
 * databases (SQLite keeps every value as it is, and stores these types by storage class): a
 * decimal losing digits after the point, a char getting shorter and an integer becoming a
 * smallint are refused at upgrade time while a row would change, naming the count; with no such
 * row the same migration runs.
 */
import { freshDatabase } from '../helpers/databases';
import { testDialects } from '../helpers/dialects';
import { expectUserError, kiln, makeProject, rmProject, writeFile, type RunResult } from '../helpers/cli';

const CONFIG = "export default { models: 'models' };\n";
const model = (price: string, code: string, n: string) =>
  `import { model, Integer, SmallInteger, Numeric, Char } from 'kiln';\nexport const T = model('T', { id: Integer().primaryKey(), price: ${price}, code: ${code}, n: ${n} }, { tableName: 't' });\n`;

const servers = testDialects().filter((d) => d.name !== 'sqlite');

describe.each(servers.map((d) => [d.name, d] as const))('value guard for issue 11 types on %s', (_name, dialect) => {
  test.each([
    ['decimal scale 2 -> 1', { price: '1.25' }, "Numeric(10, 1)", 'Char(4)', 'Integer()', "'t.price' from decimal(10,2) to decimal(10,1)"],
    ['decimal whole digits 8 -> 3', { price: '12345.5' }, 'Numeric(5, 2)', 'Char(4)', 'Integer()', "'t.price' from decimal(10,2) to decimal(5,2)"],
    ['char 4 -> 2', { code: 'abcd' }, 'Numeric(10, 2)', 'Char(2)', 'Integer()', "'t.code' from char(4) to char(2)"],
    ['integer -> smallint', { n: 40000 }, 'Numeric(10, 2)', 'Char(4)', 'SmallInteger()', "'t.n' from integer to smallint"],
  ])('%s', async (_label, row, price, code, n, named) => {
    const db = await freshDatabase(dialect);
    const dir = makeProject({ 'kiln.config.ts': CONFIG, 'migrations/.keep': '', 'models/m.ts': model('Numeric(10, 2)', 'Char(4)', 'Integer()') });
    const env = { DATABASE_URL: db.url };
    const k = (...args: string[]) => kiln(args, { cwd: dir, env });
    const ok = (r: RunResult) => {
      if (r.code !== 0) throw new Error(`exit ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
      return r;
    };
    try {
      ok(await k('db', 'migrate', '-m', 'init'));
      ok(await k('db', 'upgrade'));
      const knex = db.connect();
      await knex('t').insert({ id: 1, price: '1.00', code: 'ab', n: 1 });
      await knex('t').insert({ id: 2, price: '1.00', code: 'ab', n: 1, ...row });
      writeFile(dir, 'models/m.ts', model(price, code, n));
      ok(await k('db', 'migrate', '-m', 'narrow'));
      const refused = await k('db', 'upgrade');
      expectUserError(refused, new RegExp(`${named.replace(/[().]/g, '\\$&')} would change the stored value of 1 row\\(s\\)`));
      expect((await knex('t').where({ id: 2 }).first()) as Record<string, unknown>).toMatchObject({ id: 2 });
      await knex('t').where({ id: 2 }).delete();
      ok(await k('db', 'upgrade'));
      ok(await k('db', 'check'));
    } finally {
      rmProject(dir);
      await db.cleanup();
    }
  });
});
