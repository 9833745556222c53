/**
 * Issue 12 items 1 and 6 (views) through the library's migrate/upgrade/check/downgrade, on every
 * dialect of this run: views created after the tables they read (and a view on a view), `db
 * check` clean right after, a rename of a column the views use together with a type change
 * PostgreSQL refuses under a view (the views are dropped and created again around them), rows
 * read through the views, downgrade back to exactly the views of before; a view the models do
 * not declare is left alone and listed as unmanaged, one they used to declare is dropped; and
 * views written by hand in SQL, in the database's own spelling, check clean against models
 * that declare them. On PostgreSQL: a materialized view with a unique index (REFRESH
 * CONCURRENTLY works), its indexes changed, and downgrade back to exactly the view of before.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Knex } from 'knex';
import { loadConfig, type ResolvedConfig } from '../../src/config/load';
import { check as checkUseCase } from '../../src/app/check';
import { QUIET } from '../../src/app/progress';
import type { DialectName } from '../../src/dialect/types';
import { introspect } from '../../src/introspect';
import { describeOp } from '../../src/ops/describe';
import { viewKey } from '../../src/schema/view-sql';
import { makeProject, rmProject } from '../helpers/cli';
import { freshDatabase } from '../helpers/databases';
import { testDialects } from '../helpers/dialects';
import { check, migrate, run } from '../roundtrip/library';

const ACCOUNT = (amount: string, nameLength: number) => `import { model, view, Integer, String } from 'kiln';
export const Account = model('Account', {
  id: Integer().primaryKey(),
  name: String(${nameLength}).notNull(),
  ${amount}: Integer().notNull(),
});
`;

const RICH = (amount: string) => `export const Rich = view('rich_account', 'select id, name, ${amount} from account where ${amount} > 1000');\n`;
/** A view on a view, declared before the view it reads (order comes from the text). */
const RICHEST = (amount: string) => `export const Richest = view('richest', "select r.name as who from rich_account r where r.${amount} > 5000");\n`;

const ROWS = [
  { id: 1, name: 'ann', balance: 500 },
  { id: 2, name: 'bob', balance: 2000 },
  { id: 3, name: 'cat', balance: 9000 },
];

/** The views as comparable data: name and comparison key. */
async function liveViews(knex: Knex, dialect: DialectName): Promise<{ name: string; key: string }[]> {
  const schema = await introspect(knex, dialect);
  return (schema.views ?? []).map((v) => ({ name: v.name, key: viewKey(v) }));
}

async function checkLines(config: ResolvedConfig): Promise<string[]> {
  return (await checkUseCase({ config }, QUIET)).lines;
}

describe.each(testDialects().map((d) => [d.name, d] as const))('views on %s', (dialectName, dialect) => {
  test('round trip with a column rename and a type change under the views; unmanaged and formerly declared views', async () => {
    const db = await freshDatabase(dialect);
    const dir = makeProject({
      'models1/m.ts': `${ACCOUNT('balance', 50)}${RICHEST('balance')}${RICH('balance')}`,
      'models2/m.ts': `${ACCOUNT('amount', 100)}${RICHEST('amount')}${RICH('amount')}`,
      'models3/m.ts': `${ACCOUNT('amount', 100)}${RICH('amount')}`,
    });
    try {
      fs.mkdirSync(path.join(dir, 'migrations'));
      const config1 = { ...(await loadConfig({ cwd: dir, env: { DATABASE_URL: db.url } })), models: path.join(dir, 'models1') };
      const config2 = { ...config1, models: path.join(dir, 'models2') };
      const config3 = { ...config1, models: path.join(dir, 'models3') };

      const first = await migrate(config1, 'initial');
      expect(first.map(describeOp)).toEqual(["added table 'account'", "added view 'rich_account'", "added view 'richest'"]);
      await run(config1, 'up', 'head');
      expect(await check(config1)).toEqual([]);
      expect(await migrate(config1, 'nothing')).toEqual([]);
      const knex = db.connect();
      await knex('account').insert(ROWS);
      expect(await knex('richest').select('who')).toEqual([{ who: 'cat' }]);
      const before = await liveViews(knex, dialectName);
      expect(before.map((v) => v.name)).toEqual(['rich_account', 'richest']);

      // A view written by hand, which no model declares: left alone, listed as unmanaged.
      await knex.raw('CREATE VIEW legacy AS SELECT id FROM account');
      expect(await check(config1)).toEqual([]);
      expect(await checkLines(config1)).toContain("Unmanaged view 'legacy': the models do not declare it; kept as it is");

      const ops = await migrate(config2, 'rename', ['account.balance=amount']);
      expect(ops.map(describeOp)).toEqual(
        expect.arrayContaining(["renamed column 'account.balance' to 'amount'", "changed view 'rich_account'", "changed view 'richest'"]),
      );
      await run(config2, 'up', 'head');
      expect(await check(config2)).toEqual([]);
      expect(await migrate(config2, 'nothing')).toEqual([]);
      expect(await knex('rich_account').select('name', 'amount').orderBy('id')).toEqual([
        { name: 'bob', amount: 2000 },
        { name: 'cat', amount: 9000 },
      ]);
      expect(await knex('richest').select('who')).toEqual([{ who: 'cat' }]);

      await run(config2, 'down', '-1');
      expect((await liveViews(knex, dialectName)).filter((v) => v.name !== 'legacy')).toEqual(before);
      expect(await knex('richest').select('who')).toEqual([{ who: 'cat' }]);
      expect((await check(config1)).filter((line) => !line.startsWith('pending '))).toEqual([]);
      await run(config2, 'up', 'head');

      // A view the models no longer declare is dropped (kiln created it); 'legacy' stays.
      const dropped = await migrate(config3, 'drop richest');
      expect(dropped.map(describeOp)).toEqual(["removed view 'richest'"]);
      await run(config3, 'up', 'head');
      expect((await liveViews(knex, dialectName)).map((v) => v.name)).toEqual(['legacy', 'rich_account']);
      expect(await check(config3)).toEqual([]);
      await run(config3, 'down', '-1');
      expect((await liveViews(knex, dialectName)).map((v) => v.name)).toEqual(['legacy', 'rich_account', 'richest']);
      // PostgreSQL would refuse to drop 'account' under 'legacy', which kiln leaves alone.
      await knex.raw('DROP VIEW legacy');
      await run(config3, 'down', 'base');
      expect(await liveViews(knex, dialectName)).toEqual([]);
    } finally {
      await db.cleanup();
      rmProject(dir);
    }
  }, 120_000);

  test('a select * view over a table that gains a column: re-created, and check is clean right after', async () => {
    const db = await freshDatabase(dialect);
    const models = (extra: string) => `import { model, view, Integer, String } from 'kiln';
export const Pet = model('Pet', { id: Integer().primaryKey(), name: String(20)${extra} });
export const All = view('all_pets', 'select * from pet');
`;
    const dir = makeProject({ 'models1/m.ts': models(''), 'models2/m.ts': models(', age: Integer()') });
    try {
      fs.mkdirSync(path.join(dir, 'migrations'));
      const config1 = { ...(await loadConfig({ cwd: dir, env: { DATABASE_URL: db.url } })), models: path.join(dir, 'models1') };
      const config2 = { ...config1, models: path.join(dir, 'models2') };
      await migrate(config1, 'initial');
      await run(config1, 'up', 'head');
      expect(await check(config1)).toEqual([]);
      expect((await migrate(config2, 'age')).map(describeOp)).toEqual(["added column 'pet.age'", "re-created view 'all_pets' (it reads what this migration changes)"]);
      await run(config2, 'up', 'head');
      expect(await check(config2)).toEqual([]);
      const knex = db.connect();
      await knex('pet').insert({ id: 1, name: 'rex', age: 3 });
      expect(await knex('all_pets').select('*')).toEqual([{ id: 1, name: 'rex', age: 3 }]);
      await run(config2, 'down', '-1');
      expect(await check(config1)).toEqual([expect.stringMatching(/^pending \d+_age$/)]);
      expect(await knex('all_pets').select('*')).toEqual([{ id: 1, name: 'rex' }]);
    } finally {
      await db.cleanup();
      rmProject(dir);
    }
  }, 60_000);

  test('views written by hand in SQL check clean against models that declare them', async () => {
    const db = await freshDatabase(dialect);
    const q = dialectName === 'mysql' ? '`' : '"';
    const dir = makeProject({
      'models/m.ts': `import { model, view, Integer, String } from 'kiln';
export const Item = model('Item', { id: Integer().primaryKey(), label: String(20), price: Integer() });
export const Cheap = view('cheap', 'select id, label from item where price < 10');
export const Cheapest = view('cheapest', { default: 'select label from cheap where id < 3', sqlite: 'select label from cheap where id < 3' }, { dependsOn: ['cheap'] });
export const Counted = view('counted', "select count(*) as n, 'a b' as tag from item");
`,
    });
    try {
      fs.mkdirSync(path.join(dir, 'migrations'));
      const config = await loadConfig({ cwd: dir, env: { DATABASE_URL: db.url } });
      const knex = db.connect();
      await knex.schema.createTable('item', (t) => {
        t.increments('id');
        t.string('label', 20);
        t.integer('price');
      });
      // Other case, quotes and line breaks than the models'.
      await knex.raw(`CREATE VIEW ${q}cheap${q} AS\n  SELECT ${q}id${q}, ${q}label${q}\n  FROM ${q}item${q}\n  WHERE ${q}price${q} < 10`);
      await knex.raw(`CREATE VIEW cheapest AS SELECT label FROM cheap WHERE id < 3`);
      await knex.raw(`CREATE VIEW counted AS SELECT COUNT(*) AS n, 'a b' AS tag FROM item`);
      expect(await check(config)).toEqual([]);
      expect(await migrate(config, 'nothing')).toEqual([]);
      // A real difference is found.
      await knex.raw('DROP VIEW cheapest');
      await knex.raw('CREATE VIEW cheapest AS SELECT label FROM cheap WHERE id < 4');
      expect(await check(config)).toEqual(["changed view 'cheapest'"]);
    } finally {
      await db.cleanup();
      rmProject(dir);
    }
  }, 60_000);
});

for (const dialect of testDialects().filter((d) => d.name === 'postgres')) {
  test('PostgreSQL materialized views with their indexes', async () => {
    const db = await freshDatabase(dialect);
    const totals = (unique: boolean, extra = '') => `import { model, view, Integer, String } from 'kiln';
export const Sale = model('Sale', { id: Integer().primaryKey(), region: String(20).notNull(), amount: Integer().notNull() });
export const Totals = view('region_total', 'select region, sum(amount) as total, count(*) as n from sale group by region', {
  materialized: true,
  indexes: [{ columns: ['region'], unique: ${unique} }${extra}],
});
`;
    const dir = makeProject({ 'models1/m.ts': totals(true), 'models2/m.ts': totals(false, ", { columns: ['total', 'n'] }") });
    try {
      fs.mkdirSync(path.join(dir, 'migrations'));
      const config1 = { ...(await loadConfig({ cwd: dir, env: { DATABASE_URL: db.url } })), models: path.join(dir, 'models1') };
      const config2 = { ...config1, models: path.join(dir, 'models2') };
      expect((await migrate(config1, 'initial')).map(describeOp)).toEqual(["added table 'sale'", "added materialized view 'region_total'"]);
      await run(config1, 'up', 'head');
      expect(await check(config1)).toEqual([]);
      expect(await migrate(config1, 'nothing')).toEqual([]);
      const knex = db.connect();
      await knex('sale').insert([
        { id: 1, region: 'north', amount: 5 },
        { id: 2, region: 'north', amount: 7 },
        { id: 3, region: 'south', amount: 1 },
      ]);
      // The unique index is what REFRESH ... CONCURRENTLY needs.
      await knex.raw('REFRESH MATERIALIZED VIEW CONCURRENTLY region_total');
      expect(await knex('region_total').select('region', 'total').orderBy('region')).toEqual([
        { region: 'north', total: '12' },
        { region: 'south', total: '1' },
      ]);
      const before = await introspect(knex, 'postgres');

      expect((await migrate(config2, 'indexes')).map(describeOp)).toEqual(["changed materialized view 'region_total'"]);
      await run(config2, 'up', 'head');
      expect(await check(config2)).toEqual([]);
      const after = (await introspect(knex, 'postgres')).views![0];
      expect(after.indexes).toEqual([
        { name: 'region_total_region_index', columns: ['region'] },
        { name: 'region_total_total_n_index', columns: ['total', 'n'] },
      ]);
      await run(config2, 'down', '-1');
      expect((await introspect(knex, 'postgres')).views).toEqual(before.views);
      await run(config1, 'down', 'base');
      expect((await introspect(knex, 'postgres')).views).toBeUndefined();
    } finally {
      await db.cleanup();
      rmProject(dir);
    }
  }, 60_000);
}
