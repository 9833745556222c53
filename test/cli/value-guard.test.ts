/**
 * A generated migration never changes stored values in silence (issue "Trust", item 2), through
 * the real binary on every dialect: a narrowed string and a float becoming an integer are
 * refused at upgrade time, before anything runs, naming table, column and row count, unless the
 * file opts in (allowValueChanges: true); `db migrate` warns with the current count; a NOT NULL
 * column without a default is flagged in the file and on the terminal, in up and in down.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Knex } from 'knex';
import { freshDatabase, type FreshDatabase } from '../helpers/databases';
import { testDialects } from '../helpers/dialects';
import { expectUserError, kiln, makeProject, rmProject, writeFile, type RunResult } from '../helpers/cli';

const CONFIG = "export default { models: 'models' };\n";
const HEAD = "import { table, Integer, String, Float } from 'kiln';\n";
const LONG = 'x'.repeat(30);

describe.each(testDialects().map((d) => [d.name, d] as const))('value guard on %s', (name, dialect) => {
  let dir: string;
  let db: FreshDatabase;
  let knex: Knex;
  let env: Record<string, string>;

  beforeEach(async () => {
    dir = makeProject({ 'kiln.config.ts': CONFIG, 'migrations/.keep': '' });
    db = await freshDatabase(dialect);
    knex = db.connect();
    env = { DATABASE_URL: db.url };
  });
  afterEach(async () => {
    await db.cleanup();
    rmProject(dir);
  });

  const k = (...args: string[]) => kiln(args, { cwd: dir, env });
  const ok = (r: RunResult) => {
    if (r.code !== 0) throw new Error(`exit ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
    return r;
  };
  const models = (body: string) => writeFile(dir, 'models/m.ts', HEAD + body);
  const migrationFile = (slug: string) => {
    const f = fs.readdirSync(path.join(dir, 'migrations')).find((n) => n.endsWith(`_${slug}.ts`));
    if (!f) throw new Error(`no migration ${slug}`);
    return path.join(dir, 'migrations', f);
  };
  const rows = async () =>
    (await knex('post').orderBy('id').select('title', 'score')).map((r: { title: string; score: number | string }) => [r.title, Number(r.score)]);

  test('narrowing a string and rounding a float are refused unless the file opts in', async () => {
    models("export const T = table('post', { id: Integer().primaryKey(), title: String(200), score: Float() });\n");
    ok(await k('db', 'migrate', '-m', 'one'));
    ok(await k('db', 'upgrade'));
    await knex('post').insert([{ title: LONG, score: 2.5 }, { title: 'short', score: 3 }]);
    models("export const T = table('post', { id: Integer().primaryKey(), title: String(20), score: Integer() });\n");
    const migrate = ok(await k('db', 'migrate', '-m', 'two'));
    const file = migrationFile('two');
    const source = fs.readFileSync(file, 'utf8');
    expect(source).toContain("import { guardValues } from 'kiln/guard';");
    expect(source).toContain("await guardValues(knex, { table: 'post', column: 'title', from: { type: 'string', length: 200 }, to: { type: 'string', length: 20 }, allowValueChanges: false });");
    expect(source).toContain("column: 'score', from: { type: 'float' }, to: { type: 'integer' }, allowValueChanges: false });");

    if (name === 'sqlite') {
      // SQLite enforces no length and keeps 2.5 as a REAL in an INTEGER column: no value changes.
      expect(migrate.stderr).not.toContain('would change');
      ok(await k('db', 'upgrade'));
      expect(await rows()).toEqual([[LONG, 2.5], ['short', 3]]);
      ok(await k('db', 'check'));
      return;
    }
    expect(migrate.stderr).toContain("'post.title': 1 stored value(s) would change");
    expect(migrate.stderr).toContain("'post.score': 1 stored value(s) would change");
    const refused = await k('db', 'upgrade');
    expectUserError(refused, /changing 'post\.title' from string\(200\) to string\(20\) would change the stored value of 1 row\(s\); nothing was changed/);
    expect(refused.stderr).not.toMatch(/stay applied/);
    expect(await rows()).toEqual([[LONG, 2.5], ['short', 3]]);
    expect((await k('db', 'current')).stdout).toMatch(/_one/);

    fs.writeFileSync(file, source.replace(/allowValueChanges: false/g, 'allowValueChanges: true'));
    ok(await k('db', 'upgrade'));
    const after = await rows();
    expect(after[0][0]).toHaveLength(20);
    expect(after[1]).toEqual(['short', 3]);
    ok(await k('db', 'check'));
  });

  test('the guard counts nothing when every value fits', async () => {
    models("export const T = table('post', { id: Integer().primaryKey(), title: String(200), score: Float() });\n");
    ok(await k('db', 'migrate', '-m', 'one'));
    ok(await k('db', 'upgrade'));
    await knex('post').insert([{ title: 'short', score: 3 }]);
    models("export const T = table('post', { id: Integer().primaryKey(), title: String(20), score: Integer() });\n");
    expect(ok(await k('db', 'migrate', '-m', 'two')).stderr).not.toContain('would change');
    ok(await k('db', 'upgrade'));
    expect(await rows()).toEqual([['short', 3]]);
    ok(await k('db', 'check'));
  });

  test('a NOT NULL column without a default is flagged in up and on the terminal', async () => {
    models("export const T = table('post', { id: Integer().primaryKey(), title: String(20) });\n");
    ok(await k('db', 'migrate', '-m', 'one'));
    ok(await k('db', 'upgrade'));
    await knex('post').insert([{ title: 'a' }, { title: 'b' }]);
    models("export const T = table('post', { id: Integer().primaryKey(), title: String(20), extra: String(10).notNull() });\n");
    const r = ok(await k('db', 'migrate', '-m', 'two'));
    expect(r.stdout + r.stderr).toContain("adds NOT NULL column 'post.extra' with no default");
    expect(r.stderr).toContain("'post.extra' is NOT NULL with no default and 'post' has 2 row(s)");
    const up = fs.readFileSync(migrationFile('two'), 'utf8').split('export async function down')[0];
    expect(up).toMatch(/\/\/ kiln: (adds NOT NULL column 'post\.extra' with no default|new column 'extra' is NOT NULL with no default)/);

  });

  test("down() re-adding a NOT NULL column without a default is flagged", async () => {
    models("export const T = table('post', { id: Integer().primaryKey(), extra: String(10).notNull() });\n");
    ok(await k('db', 'migrate', '-m', 'one'));
    ok(await k('db', 'upgrade'));
    models("export const T = table('post', { id: Integer().primaryKey() });\n");
    ok(await k('db', 'migrate', '-m', 'drop'));
    const down = fs.readFileSync(migrationFile('drop'), 'utf8').split('export async function down')[1];
    expect(down).toMatch(/\/\/ kiln: adds NOT NULL column 'post\.extra' with no default|\/\/ kiln: new column 'extra' is NOT NULL with no default/);
  });
});

describe.each(testDialects().map((d) => [d.name, d] as const))('value guard on other types, %s', (name, dialect) => {
  let dir: string;
  let db: FreshDatabase;
  let knex: Knex;

  beforeEach(async () => {
    dir = makeProject({ 'kiln.config.ts': CONFIG, 'migrations/.keep': '' });
    db = await freshDatabase(dialect);
    knex = db.connect();
  });
  afterEach(async () => {
    await db.cleanup();
    rmProject(dir);
  });

  // PostgreSQL's USING casts cut a float's or a boolean's text to string(n) and drop a
  // datetime's time of day; MariaDB drops the time of day too. All exited 0 before.
  test('a datetime becoming a date, a float or boolean becoming a short string, a number becoming a boolean are guarded', async () => {
    const k = (...args: string[]) => kiln(args, { cwd: dir, env: { DATABASE_URL: db.url } });
    const head = "import { table, Integer, String, Float, Boolean, DateTime, Date } from 'kiln';\n";
    writeFile(dir, 'models/m.ts', head + "export const T = table('ev', { id: Integer().primaryKey(), at: DateTime(), f: Float(), b: Boolean(), n: Integer() });\n");
    expect((await k('db', 'migrate', '-m', 'one')).code).toBe(0);
    expect((await k('db', 'upgrade')).code).toBe(0);
    // n: PostgreSQL casts 5 to true; MariaDB's tinyint(1) keeps 5.
    await knex('ev').insert({ at: new globalThis.Date('2020-01-02T13:45:00Z'), f: 123456.75, b: true, n: 5 });
    const before = await knex('ev').select();
    writeFile(dir, 'models/m.ts', head + "export const T = table('ev', { id: Integer().primaryKey(), at: Date(), f: String(3), b: String(1), n: Boolean() });\n");
    const migrate = await k('db', 'migrate', '-m', 'two');
    expect(migrate.code).toBe(0);
    const dirFiles = fs.readdirSync(path.join(dir, 'migrations')).filter((f) => f.endsWith('_two.ts'));
    const source = fs.readFileSync(path.join(dir, 'migrations', dirFiles[0]), 'utf8');
    for (const c of ['at', 'f', 'b', 'n']) expect(source).toContain(`await guardValues(knex, { table: 'ev', column: '${c}'`);
    const upgrade = await k('db', 'upgrade');
    if (name === 'sqlite') {
      expect(upgrade.code).toBe(0);
      return;
    }
    expect(migrate.stderr).toContain("'ev.at': 1 stored value(s) would change");
    expect(migrate.stderr).toContain("'ev.f': 1 stored value(s) would change");
    if (name === 'postgres') expect(migrate.stderr).toContain("'ev.b': 1 stored value(s) would change");
    if (name === 'postgres') expect(migrate.stderr).toContain("'ev.n': 1 stored value(s) would change");
    // (MySQL's warning that the type change copies the table names it: not a value warning.)
    else expect(migrate.stderr).not.toMatch(/'ev\.n': /);
    expectUserError(upgrade, /changing 'ev\.at' from datetime to date would change the stored value of 1 row\(s\); nothing was changed/);
    expect(await knex('ev').select()).toEqual(before);
  });

  const k = (...args: string[]) => kiln(args, { cwd: dir, env: { DATABASE_URL: db.url } });
  const ok = (r: RunResult) => {
    if (r.code !== 0) throw new Error(`exit ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
    return r;
  };
  const migrationFile = (slug: string) => path.join(dir, 'migrations', fs.readdirSync(path.join(dir, 'migrations')).find((n) => n.endsWith(`_${slug}.ts`)) ?? '');

  test('a bigint or a decimal becoming a float rounds what a double cannot hold: counted and refused', async () => {
    writeFile(dir, 'models/m.ts', "import { table, Integer, BigInteger, Numeric, Float } from 'kiln';\nexport const T = table('num', { id: Integer().primaryKey(), big: BigInteger(), fine: Numeric(30, 10) });\n");
    ok(await k('db', 'migrate', '-m', 'one'));
    ok(await k('db', 'upgrade'));
    // 1234567890123456 is exact in a double: not counted (a cast to numeric of the double keeps 15 digits only).
    await knex('num').insert([{ big: '12345678901234567', fine: '12345678901234567890.1234567891' }, { big: 3, fine: 2.5 }, { big: '1234567890123456', fine: 0.1 }]);
    const before = await knex('num').orderBy('id').select('big');
    writeFile(dir, 'models/m.ts', "import { table, Integer, BigInteger, Numeric, Float } from 'kiln';\nexport const T = table('num', { id: Integer().primaryKey(), big: Float(), fine: Float() });\n");
    ok(await k('db', 'migrate', '-m', 'two'));
    const source = fs.readFileSync(migrationFile('two'), 'utf8');
    expect(source).toContain("column: 'big', from: { type: 'bigint' }, to: { type: 'float' }, allowValueChanges: false });");
    // SQLite: kiln's Numeric is already a float there, so 'fine' does not change.
    if (name !== 'sqlite') expect(source).toContain("column: 'fine', from: { type: 'decimal', precision: 30, scale: 10 }, to: { type: 'float' }, allowValueChanges: false });");
    const refused = await k('db', 'upgrade');
    expectUserError(refused, /changing 'num\.big' from bigint to float would change the stored value of 1 row\(s\); nothing was changed/);
    expect(await knex('num').orderBy('id').select('big')).toEqual(before);
    fs.writeFileSync(migrationFile('two'), source.replace(/allowValueChanges: false/g, 'allowValueChanges: true'));
    ok(await k('db', 'upgrade'));
    expect((await knex('num').orderBy('id').select('big')).map((r: { big: number }) => Number(r.big))).toEqual([12345678901234568, 3, 1234567890123456]);
  });

  test('a double becoming a real rounds 0.1: counted and refused', async () => {
    writeFile(dir, 'models/m.ts', "import { table, Integer, Float, Real } from 'kiln';\nexport const T = table('num', { id: Integer().primaryKey(), f: Float() });\n");
    ok(await k('db', 'migrate', '-m', 'one'));
    ok(await k('db', 'upgrade'));
    await knex('num').insert([{ f: 0.1 }, { f: 0.5 }]);
    writeFile(dir, 'models/m.ts', "import { table, Integer, Float, Real } from 'kiln';\nexport const T = table('num', { id: Integer().primaryKey(), f: Real() });\n");
    ok(await k('db', 'migrate', '-m', 'two'));
    const upgrade = await k('db', 'upgrade');
    // SQLite's real is its double: nothing changes there.
    if (name === 'sqlite') expect(upgrade.code).toBe(0);
    else expectUserError(upgrade, /changing 'num\.f' from float to real would change the stored value of 1 row\(s\); nothing was changed/);
  });

  if (name === 'sqlite') {
    test("a hand-written NUMERIC column rebuilt as a Float: its integers past 2^53 are counted, not rounded in silence", async () => {
      await knex.raw('CREATE TABLE amount (id integer PRIMARY KEY, n numeric)');
      await knex('amount').insert([{ id: 1, n: 0 }, { id: 2, n: 7 }]);
      await knex.raw("UPDATE amount SET n = '12345678901234567' WHERE id = 1");
      writeFile(dir, 'models/m.ts', "import { table, Integer, Float } from 'kiln';\nexport const T = table('amount', { id: Integer().primaryKey(), n: Float() });\n");
      ok(await k('db', 'migrate', '-m', 'float'));
      expectUserError(await k('db', 'upgrade'), /changing 'amount\.n' from custom to float would change the stored value of 1 row\(s\); nothing was changed/);
      expect((await knex.raw("SELECT CAST(n AS TEXT) AS n, typeof(n) AS t FROM amount WHERE id = 1"))[0]).toEqual({ n: '12345678901234567', t: 'integer' });
    });
  }
});
