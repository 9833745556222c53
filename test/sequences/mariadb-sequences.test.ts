/**
 * MariaDB's standalone sequences (CREATE SEQUENCE, 10.3+) through the real `kiln` binary. They
 * used to be invisible: introspection read only BASE TABLEs, so `db pull` and `db baseline` left
 * a sequence out without a word, and a column `DEFAULT nextval(seq)` then broke a baseline on a
 * fresh database. Now they are managed as PostgreSQL's are, with MariaDB's defaults (cache 1000,
 * bounds a step inside bigint's, no `AS type`, NOCYCLE).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Knex } from 'knex';
import { introspect } from '../../src/introspect';
import { holds } from '../../src/public/online';
import { mariadbSaidOptions, projectMariadbSequence } from '../../src/dialect/mysql/sequences';
import { compileModels } from '../../src/model/compile';
import { sequence } from '../../src/model/sequence';
import { expectNoDrift, withAdoption } from '../helpers/adoption';
import { expectUserError, kiln, ok, writeFile } from '../helpers/cli';
import { testDialects } from '../helpers/dialects';

jest.setTimeout(180000);

const mariadb = testDialects().filter((d) => d.name === 'mysql');

/** The database's sequences as MariaDB itself shows them (SHOW CREATE SEQUENCE), read without kiln. */
async function catalog(knex: Knex): Promise<Record<string, string>> {
  const [rows] = (await knex.raw("SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'SEQUENCE' ORDER BY TABLE_NAME")) as [{ name: string }[]];
  const out: Record<string, string> = {};
  for (const { name } of rows) {
    const [[shown]] = (await knex.raw(`SHOW CREATE SEQUENCE \`${name.replace(/`/g, '``')}\``)) as [Record<string, string>[]];
    out[name] = shown['Create Table'];
  }
  return out;
}

const migrationFiles = (dir: string) => fs.readdirSync(path.join(dir, 'migrations')).sort();

describe.each(mariadb)('MariaDB sequences on $name', (dialect) => {
  test('hand-written sequences: pull, no drift, baseline, a fresh database alike, an option changed, upgrade and downgrade', () =>
    withAdoption(dialect, 2, {}, async ({ dir, dbs: [db, fresh], model }) => {
      const knex = db.connect();
      await knex.raw('CREATE SEQUENCE invoice_no START WITH 1000 INCREMENT BY 5 MINVALUE 10 MAXVALUE 99999 CACHE 10 CYCLE');
      await knex.raw("CREATE SEQUENCE `odd``na'me` CACHE 3");
      await knex.raw('CREATE SEQUENCE countdown INCREMENT BY -1');
      await knex.raw('CREATE SEQUENCE plain');
      await knex.raw('CREATE SEQUENCE skip_me');
      await knex.raw('CREATE TABLE invoice (id INT PRIMARY KEY, number BIGINT NOT NULL DEFAULT nextval(invoice_no))');
      writeFile(dir, 'kiln.config.ts', "export default { models: 'models', migrations: 'migrations', exclude: ['skip_*'] };\n");
      const env = { DATABASE_URL: db.url };

      const pull = ok(await kiln(['db', 'pull'], { cwd: dir, env }));
      expect(pull.stderr).toBe('');
      expect(pull.stdout).not.toContain('skip_me');
      // Only what differs from MariaDB's defaults is said; never `as`.
      expect(model('sequences/invoice-no.ts')).toContain("sequence('invoice_no', { increment: 5, minValue: 10, maxValue: 99999, start: 1000, cache: 10, cycle: true });");
      expect(model('sequences/countdown.ts')).toContain("sequence('countdown', { increment: -1 });");
      expect(model('sequences/plain.ts')).toContain("sequence('plain');");
      expect(model('sequences/odd-na-me.ts')).toContain("sequence('odd`na\\'me', { cache: 3 });");
      expect(fs.readdirSync(path.join(dir, 'models', 'sequences')).sort()).toEqual(['countdown.ts', 'invoice-no.ts', 'odd-na-me.ts', 'plain.ts']);
      await expectNoDrift(dir, db.url);

      const baseline = ok(await kiln(['db', 'baseline', '-m', 'base'], { cwd: dir, env }));
      expect(baseline.stderr).toBe('');
      expect(baseline.stdout).toContain('Baseline of 1 table(s) and 4 sequence(s) recorded as applied');
      const [baseFile] = migrationFiles(dir);
      const base = fs.readFileSync(path.join(dir, 'migrations', baseFile), 'utf8');
      expect(base).toContain("await knex.raw('CREATE SEQUENCE `invoice_no` INCREMENT BY 5 MINVALUE 10 MAXVALUE 99999 START WITH 1000 CACHE 10 CYCLE');");
      expect(base).toContain("await knex.raw('CREATE SEQUENCE `plain`');");
      expect(base).toContain("await knex.raw('CREATE SEQUENCE `odd``na\\'me` CACHE 3');");
      // The sequence is created before the table whose default calls it.
      expect(base.indexOf('CREATE SEQUENCE `invoice_no`')).toBeLessThan(base.indexOf("createTable('invoice'"));

      const freshEnv = { DATABASE_URL: fresh.url };
      ok(await kiln(['db', 'upgrade'], { cwd: dir, env: freshEnv }));
      const copy = fresh.connect();
      const expected = await catalog(knex);
      delete expected.skip_me;
      const baseCatalog = await catalog(copy);
      expect(Object.keys(baseCatalog)).toEqual(['countdown', 'invoice_no', "odd`na'me", 'plain']);
      expect(baseCatalog).toEqual(expected);
      await expectNoDrift(dir, fresh.url);
      await copy('invoice').insert([{ id: 1 }, { id: 2 }]);
      expect((await copy('invoice').select('number').orderBy('id')).map((r: { number: number }) => Number(r.number))).toEqual([1000, 1005]);

      // An option changed in the model: ALTER SEQUENCE with the changed options only, never RESTART.
      const file = path.join(dir, 'models', 'sequences', 'invoice-no.ts');
      fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('cache: 10, cycle: true', 'cache: 20'));
      const migrate = ok(await kiln(['db', 'migrate', '-m', 'change'], { cwd: dir, env: freshEnv }));
      expect(migrate.stdout).toContain("Detected changed sequence 'invoice_no' (cache 10 -> 20, cycle true -> false)");
      const changeFile = migrationFiles(dir).find((f) => f.endsWith('_change.ts'))!;
      const change = fs.readFileSync(path.join(dir, 'migrations', changeFile), 'utf8');
      expect(change).toContain("await knex.raw('ALTER SEQUENCE `invoice_no` CACHE 20 NOCYCLE');");
      expect(change).toContain("await knex.raw('ALTER SEQUENCE `invoice_no` CACHE 10 CYCLE');");
      expect(change).not.toMatch(/RESTART/i);
      ok(await kiln(['db', 'upgrade'], { cwd: dir, env: freshEnv }));
      const changed = await catalog(copy);
      expect(changed.invoice_no).toMatch(/ cache 20 nocycle /);
      expect({ ...changed, invoice_no: baseCatalog.invoice_no }).toEqual(baseCatalog);
      await expectNoDrift(dir, fresh.url);
      // The current value stays (the sequence goes on past the rows: no restart at 1000).
      await copy('invoice').insert({ id: 3 });
      expect(Number((await copy('invoice').where({ id: 3 }).first('number')).number)).toBeGreaterThan(1005);

      ok(await kiln(['db', 'downgrade', '-1'], { cwd: dir, env: freshEnv }));
      expect(await catalog(copy)).toEqual(baseCatalog);
    }));

  test("a model's sequence means MariaDB's defaults; MariaDB's NOCACHE reads as cache 1", () =>
    withAdoption(
      dialect,
      1,
      { 'models/m.ts': "import { sequence } from 'kiln';\nexport const Counter = sequence('counter');\nexport const Down = sequence('down', { increment: -2, cache: 1 });\n" },
      async ({ dir, dbs: [db] }) => {
        const env = { DATABASE_URL: db.url };
        ok(await kiln(['db', 'migrate', '-m', 'initial'], { cwd: dir, env }));
        const text = fs.readFileSync(path.join(dir, 'migrations', migrationFiles(dir)[0]), 'utf8');
        expect(text).toContain("await knex.raw('CREATE SEQUENCE `counter`');");
        expect(text).toContain("await knex.raw('CREATE SEQUENCE `down` INCREMENT BY -2 CACHE 1');");
        ok(await kiln(['db', 'upgrade'], { cwd: dir, env }));
        const knex = db.connect();
        const shown = await catalog(knex);
        expect(shown.counter).toMatch(/start with 1 minvalue 1 maxvalue 9223372036854775806 increment by 1 cache 1000 nocycle/);
        expect(shown.down).toMatch(/start with -1 minvalue -9223372036854775807 maxvalue -1 increment by -2 cache 1 nocycle/);
        await expectNoDrift(dir, db.url);
        // NOCACHE (cache_size 0) hands out the values as cache 1 does: no drift against `cache: 1`.
        await knex.raw('ALTER SEQUENCE `down` NOCACHE');
        await expectNoDrift(dir, db.url);
      },
    ));

  test('a sequence the models cannot say (INCREMENT BY 0) is named by db pull and db baseline, and left alone', () =>
    withAdoption(dialect, 1, {}, async ({ dir, dbs: [db] }) => {
      const knex = db.connect();
      await knex.raw('CREATE SEQUENCE zero_step INCREMENT BY 0');
      await knex.raw('CREATE TABLE t (id INT PRIMARY KEY)');
      const env = { DATABASE_URL: db.url };
      const pull = ok(await kiln(['db', 'pull'], { cwd: dir, env }));
      expect(pull.stderr).toContain("warning: sequence 'zero_step' is not pulled ('increment' must not be zero); 'kiln db check' lists it as unmanaged and migrations leave it alone");
      expect(fs.existsSync(path.join(dir, 'models', 'sequences'))).toBe(false);
      const check = ok(await kiln(['db', 'check'], { cwd: dir, env }));
      expect(check.stdout).toContain("Unmanaged sequence 'zero_step': the models do not declare it; kept as it is");
      const baseline = ok(await kiln(['db', 'baseline', '-m', 'base'], { cwd: dir, env }));
      expect(baseline.stderr).toContain("warning: sequence 'zero_step' is not in the baseline: the models do not declare it");
      expect(fs.readFileSync(path.join(dir, 'migrations', migrationFiles(dir)[0]), 'utf8')).not.toContain('SEQUENCE');
    }));

  test("a model's `as` other than bigint is refused with one error line", () =>
    withAdoption(dialect, 1, { 'models/m.ts': "import { sequence } from 'kiln';\nexport const N = sequence('n', { as: 'smallint' });\n" }, async ({ dir, dbs: [db] }) => {
      const r = await kiln(['db', 'migrate', '-m', 'initial'], { cwd: dir, env: { DATABASE_URL: db.url } });
      expectUserError(r, /^error: sequence 'n': as 'smallint' is not possible on MySQL\/MariaDB, whose sequences are always bigint$/);
      expect(migrationFiles(dir)).toEqual([]);
    }));

  // MariaDB drops a sequence a default still calls (PostgreSQL refuses): the upgrade succeeded
  // and every insert relying on the default failed.
  test('a migration dropping a sequence that a column default still calls is refused, naming the column', () =>
    withAdoption(
      dialect,
      1,
      {
        'models/seq.ts': "import { sequence } from 'kiln';\nexport const InvoiceNo = sequence('invoice_no', { start: 100 });\n",
        'models/t.ts': "import { model, Integer, BigInteger } from 'kiln';\nexport const T = model('T', { id: Integer().primaryKey(), n: BigInteger().defaultRaw('NEXT VALUE FOR `invoice_no`') });\n",
      },
      async ({ dir, dbs: [db] }) => {
        const env = { DATABASE_URL: db.url };
        ok(await kiln(['db', 'migrate', '-m', 'initial'], { cwd: dir, env }));
        ok(await kiln(['db', 'upgrade'], { cwd: dir, env }));
        fs.rmSync(path.join(dir, 'models', 'seq.ts'));
        const r = await kiln(['db', 'migrate', '-m', 'drop it'], { cwd: dir, env });
        expectUserError(r, /^error: sequence 'invoice_no' is dropped by this migration, but the default of 't\.n' still calls it/);
        expect(migrationFiles(dir)).toHaveLength(1);
        // Dropped together with the column that calls it: fine.
        writeFile(dir, 'models/t.ts', "import { model, Integer } from 'kiln';\nexport const T = model('T', { id: Integer().primaryKey() });\n");
        ok(await kiln(['db', 'migrate', '-m', 'drop both'], { cwd: dir, env }));
        ok(await kiln(['db', 'upgrade'], { cwd: dir, env }));
        expect(await catalog(db.connect())).toEqual({});
      },
    ));

  // MariaDB's sequences are tables to its catalog: the config's exclude hides them as it hides
  // tables, and a model sequence it hides was created again by every migration.
  test("a model sequence the config's include/exclude leaves out is refused", () =>
    withAdoption(
      dialect,
      1,
      {
        'kiln.config.ts': "export default { models: 'models', migrations: 'migrations', exclude: ['skip_*'] };\n",
        'models/seq.ts': "import { sequence } from 'kiln';\nexport const SkipX = sequence('skip_x');\n",
      },
      async ({ dir, dbs: [db] }) => {
        const r = await kiln(['db', 'migrate', '-m', 'initial'], { cwd: dir, env: { DATABASE_URL: db.url } });
        expectUserError(r, /^error: model sequence 'skip_x' left out by the config's include\/exclude: kiln would never see it in the database$/);
        expect(migrationFiles(dir)).toEqual([]);
      },
    ));

  test('sequences are read in the same number of catalog queries for 2 and 40 of them; kiln/online sees them', () =>
    withAdoption(dialect, 1, {}, async ({ dbs: [db] }) => {
      const knex = db.connect();
      const count = async () => {
        let n = 0;
        const schema = await introspect(knex, 'mysql', { onQuery: () => n++ });
        return { n, sequences: schema.sequences ?? [] };
      };
      await knex.raw('CREATE SEQUENCE a1 START WITH 7');
      await knex.raw('CREATE SEQUENCE `we``ird` MAXVALUE 77');
      const two = await count();
      expect(two.sequences.map((s) => [s.name, s.start, s.maxValue])).toEqual([
        ['a1', '7', '9223372036854775806'],
        ['we`ird', '1', '77'],
      ]);
      for (let i = 0; i < 38; i++) await knex.raw(`CREATE SEQUENCE s${String(i).padStart(2, '0')} INCREMENT BY ${i + 1}`);
      const forty = await count();
      expect(forty.sequences).toHaveLength(40);
      expect(forty.sequences.find((s) => s.name === 's37')?.increment).toBe('38');
      expect(forty.n).toBe(two.n);
      // What a re-run online step (kiln/online skipIf) asks of the database.
      await knex.raw('CREATE TABLE t (id INT PRIMARY KEY)');
      expect(await holds(knex, { has: 'sequence', name: 'we`ird' })).toBe(true);
      expect(await holds(knex, { lacks: 'sequence', name: 'nope' })).toBe(true);
      expect(await holds(knex, { has: 'sequence', name: 't' })).toBe(false);
    }));
});

describe("a model's sequence on MariaDB (the projection alone, no server)", () => {
  const projected = (options: Parameters<typeof sequence>[1]) => projectMariadbSequence(compileModels([sequence('s', options)]).sequences![0]);

  test("what the model leaves out is MariaDB's default; what it says is kept, even where it equals PostgreSQL's default", () => {
    expect(projected({})).toEqual({ name: 's', as: 'bigint', start: '1', increment: '1', minValue: '1', maxValue: '9223372036854775806', cache: '1000', cycle: false });
    expect(projected({ increment: -3 })).toEqual({ name: 's', as: 'bigint', start: '-1', increment: '-3', minValue: '-9223372036854775807', maxValue: '-1', cache: '1000', cycle: false });
    expect(projected({ cache: 1, minValue: 5, as: 'bigint' })).toEqual({ name: 's', as: 'bigint', start: '5', increment: '1', minValue: '5', maxValue: '9223372036854775806', cache: '1', cycle: false });
    expect(mariadbSaidOptions(projected({}))).toEqual([]);
    expect(mariadbSaidOptions(projected({ increment: -3 }))).toEqual(['increment']);
    expect(mariadbSaidOptions(projected({ cache: 1, minValue: 5 }))).toEqual(['minValue', 'cache']);
  });

  test.each([
    [{ as: 'integer' }, "as 'integer' is not possible on MySQL/MariaDB, whose sequences are always bigint"],
    [{ maxValue: '9223372036854775807' }, "'maxValue' 9223372036854775807 is out of range for a MariaDB sequence (-9223372036854775807 to 9223372036854775806)"],
    [{ increment: -1, minValue: '-9223372036854775808' }, "'minValue' -9223372036854775808 is out of range for a MariaDB sequence"],
    [{ start: '9223372036854775807' }, "'start' 9223372036854775807 is outside minValue..maxValue (1 to 9223372036854775806)"],
  ])('refused: %j', (options, message) => {
    expect(() => projected(options as never)).toThrow(`sequence 's': ${message}`);
  });
});
