/**
 * Issue 12 items 4 and 6 (standalone sequences) through the library's migrate/upgrade/check/
 * downgrade on PostgreSQL: a sequence created before the table whose column default calls
 * nextval() on it, `db check` clean right after and `db migrate` finds nothing; the sequences
 * of serial and identity columns are not reported; options changed by ALTER SEQUENCE (the
 * current value kept) and back on downgrade; a sequence made by hand is left alone and listed
 * as unmanaged, one the models used to declare is dropped with a warning; downgrade to base
 * leaves no sequence; kiln/online's skipIf sees a sequence. On SQLite a model sequence is refused
 * by name; on MariaDB (when set) it is created, and only a type other than bigint is refused.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Knex } from 'knex';
import { loadConfig, type ResolvedConfig } from '../../src/config/load';
import { check as checkUseCase } from '../../src/app/check';
import { QUIET } from '../../src/app/progress';
import { detectedLines } from '../../src/autogenerate';
import { introspect } from '../../src/introspect';
import { holds } from '../../src/public/online';
import { describeOp } from '../../src/ops/describe';
import type { Sequence } from '../../src/schema/types';
import { makeProject, rmProject } from '../helpers/cli';
import { freshDatabase } from '../helpers/databases';
import { testDialects } from '../helpers/dialects';
import { check, migrate, run } from '../roundtrip/library';

const MODELS = (sequenceOptions: string, extra = '') => `import { model, sequence, Integer, String } from 'kiln';
export const InvoiceNumber = sequence('invoice_number', ${sequenceOptions});
export const Invoice = model('Invoice', {
  id: Integer().primaryKey(),
  number: Integer().notNull().defaultRaw("nextval('invoice_number')"),
  customer: String(50).notNull(),
});
export const Ticket = model('Ticket', { id: Integer().primaryKey().identity(), label: String(20) });
${extra}`;

async function liveSequences(knex: Knex): Promise<Sequence[]> {
  return [...((await introspect(knex, 'postgres')).sequences ?? [])];
}

async function checkLines(config: ResolvedConfig): Promise<string[]> {
  return (await checkUseCase({ config }, QUIET)).lines;
}

for (const dialect of testDialects().filter((d) => d.name === 'postgres')) {
  test('PostgreSQL: standalone sequences round trip; serial and identity sequences are not reported', async () => {
    const db = await freshDatabase(dialect);
    const dir = makeProject({
      'models1/m.ts': MODELS("{ as: 'integer', start: 1000 }"),
      'models2/m.ts': MODELS("{ as: 'integer', start: 1000, increment: 5, maxValue: 999999, cache: 10 }", "export const Other = sequence('batch_no', { increment: -1, cycle: true });\n"),
      'models3/m.ts': MODELS("{ as: 'integer', start: 1000, increment: 5, maxValue: 999999, cache: 10 }"),
    });
    const knex = db.connect();
    try {
      fs.mkdirSync(path.join(dir, 'migrations'));
      const config1 = { ...(await loadConfig({ cwd: dir, env: { DATABASE_URL: db.url } })), models: path.join(dir, 'models1') };
      const config2 = { ...config1, models: path.join(dir, 'models2') };
      const config3 = { ...config1, models: path.join(dir, 'models3') };

      const first = await migrate(config1, 'initial');
      expect(first.map(describeOp)).toEqual(["added sequence 'invoice_number'", "added table 'invoice'", "added table 'ticket'"]);
      const file = fs.readdirSync(config1.migrations).find((f) => f.endsWith('_initial.ts'))!;
      expect(fs.readFileSync(path.join(config1.migrations, file), 'utf8')).toContain(`await knex.raw('CREATE SEQUENCE "invoice_number" AS integer START WITH 1000');`);
      await run(config1, 'up', 'head');
      expect(await check(config1)).toEqual([]);
      expect(await migrate(config1, 'nothing')).toEqual([]);
      // The serial key of 'invoice', the identity of 'ticket' and knex_migrations' own: not reported.
      const before = await liveSequences(knex);
      expect(before).toEqual([{ name: 'invoice_number', as: 'integer', start: '1000', increment: '1', minValue: '1', maxValue: '2147483647', cache: '1', cycle: false }]);
      // What a re-run online step (kiln/online skipIf) asks of the database.
      expect(await holds(knex, { has: 'sequence', name: 'invoice_number' })).toBe(true);
      expect(await holds(knex, { lacks: 'sequence', name: 'batch_no' })).toBe(true);
      expect(await holds(knex, { has: 'sequence', name: 'invoice_id_seq' })).toBe(true);
      await knex('invoice').insert([{ customer: 'ann' }, { customer: 'bob' }]);
      expect(await knex('invoice').select('number').orderBy('id')).toEqual([{ number: 1000 }, { number: 1001 }]);

      // A sequence made by hand, which no model declares: left alone, listed as unmanaged.
      await knex.raw('CREATE SEQUENCE legacy_seq START 7');
      expect(await check(config1)).toEqual([]);
      expect(await checkLines(config1)).toContain("Unmanaged sequence 'legacy_seq': the models do not declare it; kept as it is");

      const changed = await migrate(config2, 'alter');
      expect(changed.map(describeOp)).toEqual([
        "added sequence 'batch_no'",
        "changed sequence 'invoice_number' (increment 1 -> 5, maxValue 2147483647 -> 999999, cache 1 -> 10)",
      ]);
      await run(config2, 'up', 'head');
      expect(await check(config2)).toEqual([]);
      expect(await migrate(config2, 'nothing')).toEqual([]);
      // ALTER SEQUENCE keeps the current value: the next number follows 1001 by the new step.
      await knex('invoice').insert({ customer: 'cat' });
      expect(await knex('invoice').where({ customer: 'cat' }).first('number')).toEqual({ number: 1006 });
      expect(await knex.raw("select nextval('batch_no') as n").then((r: { rows: { n: string }[] }) => r.rows[0].n)).toBe('-1');

      await run(config2, 'down', '-1');
      expect(await liveSequences(knex)).toEqual([...before, expect.objectContaining({ name: 'legacy_seq' })]);
      await run(config2, 'up', 'head');

      // A sequence the models no longer declare is dropped (kiln created it), with a warning; legacy_seq stays.
      const dropped = await migrate(config3, 'drop batch');
      expect(dropped.map(describeOp)).toEqual(["removed sequence 'batch_no'"]);
      expect(detectedLines(dropped)).toContain("  warning: this drops sequence 'batch_no', which the models no longer declare: its current value is lost");
      await run(config3, 'up', 'head');
      expect((await liveSequences(knex)).map((s) => s.name)).toEqual(['invoice_number', 'legacy_seq']);
      expect(await check(config3)).toEqual([]);
      await run(config3, 'down', '-1');
      expect((await liveSequences(knex)).map((s) => s.name)).toEqual(['batch_no', 'invoice_number', 'legacy_seq']);

      await run(config3, 'down', 'base');
      expect((await liveSequences(knex)).map((s) => s.name)).toEqual(['legacy_seq']);
      await run(config3, 'up', 'head');
      expect(await check(config3)).toEqual([]);
    } finally {
      await knex.destroy();
      await db.cleanup();
      rmProject(dir);
    }
  }, 120_000);

  test('PostgreSQL: a sequence and a nextval() default written by hand in SQL check clean against models that declare them', async () => {
    const db = await freshDatabase(dialect);
    const dir = makeProject({ 'models/m.ts': MODELS("{ as: 'integer', start: 1000, cache: 20 }") });
    const knex = db.connect();
    try {
      fs.mkdirSync(path.join(dir, 'migrations'));
      const config = await loadConfig({ cwd: dir, env: { DATABASE_URL: db.url } });
      await knex.raw('CREATE SEQUENCE invoice_number AS integer START WITH 1000 CACHE 20');
      await knex.raw("CREATE TABLE invoice (id serial PRIMARY KEY, number integer NOT NULL DEFAULT nextval('invoice_number'), customer varchar(50) NOT NULL)");
      await knex.raw('CREATE TABLE ticket (id integer GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, label varchar(20))');
      expect(await check(config)).toEqual([]);
      expect(await migrate(config, 'nothing')).toEqual([]);
      await knex.raw('ALTER SEQUENCE invoice_number CACHE 1');
      expect(await check(config)).toEqual(["changed sequence 'invoice_number' (cache 1 -> 20)"]);
    } finally {
      await knex.destroy();
      await db.cleanup();
      rmProject(dir);
    }
  }, 60_000);
}

for (const dialect of testDialects().filter((d) => d.name === 'sqlite')) {
  test(`${dialect.name}: a model sequence is refused by name`, async () => {
    const db = await freshDatabase(dialect);
    const dir = makeProject({ 'models/m.ts': MODELS('{}') });
    try {
      fs.mkdirSync(path.join(dir, 'migrations'));
      const config = await loadConfig({ cwd: dir, env: { DATABASE_URL: db.url } });
      await expect(migrate(config, 'initial')).rejects.toThrow(`sequence 'invoice_number': standalone sequences are supported on PostgreSQL and MariaDB only, not on ${dialect.name}`);
      expect(fs.readdirSync(config.migrations)).toEqual([]);
    } finally {
      await db.cleanup();
      rmProject(dir);
    }
  }, 60_000);
}

// MariaDB has sequences (test/sequences/mariadb-sequences.test.ts): a model's is created, with
// MariaDB's defaults for what it does not say; only a type other than bigint is refused.
for (const dialect of testDialects().filter((d) => d.name === 'mysql')) {
  test('MariaDB: a model sequence is created; one with `as` other than bigint is refused by name', async () => {
    const db = await freshDatabase(dialect);
    const dir = makeProject({ 'models/m.ts': "import { sequence } from 'kiln';\nexport const N = sequence('invoice_number', { start: 1000 });\n" });
    try {
      fs.mkdirSync(path.join(dir, 'migrations'));
      const config = await loadConfig({ cwd: dir, env: { DATABASE_URL: db.url } });
      const first = await migrate(config, 'initial');
      expect(first.map(describeOp)).toEqual(["added sequence 'invoice_number'"]);
      const file = fs.readdirSync(config.migrations).find((f) => f.endsWith('_initial.ts'))!;
      expect(fs.readFileSync(path.join(config.migrations, file), 'utf8')).toContain("await knex.raw('CREATE SEQUENCE `invoice_number` START WITH 1000');");
      fs.rmSync(path.join(config.migrations, file));
      // Another folder: this process has loaded models/m.ts already.
      fs.mkdirSync(path.join(dir, 'models2'));
      fs.writeFileSync(path.join(dir, 'models2/m.ts'), "import { sequence } from 'kiln';\nexport const N = sequence('invoice_number', { as: 'integer' });\n");
      await expect(migrate({ ...config, models: path.join(dir, 'models2') }, 'initial')).rejects.toThrow("sequence 'invoice_number': as 'integer' is not possible on MySQL/MariaDB, whose sequences are always bigint");
      expect(fs.readdirSync(config.migrations)).toEqual([]);
    } finally {
      await db.cleanup();
      rmProject(dir);
    }
  }, 60_000);
}
