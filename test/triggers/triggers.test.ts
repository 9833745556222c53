/**
 * Issue 12 items 2 and 6 (triggers) through the library's migrate/upgrade/check/downgrade, on
 * every dialect of this run: a trigger per dialect body (PostgreSQL: its function too) created
 * after its tables, `db check` clean right after, rows written by the trigger; a rename of a
 * column that a view and a trigger use (the trigger's new body differs: dropped before the
 * rename, created after, SQLite's rebuild never doubling it); downgrade back to exactly the
 * triggers of before, rows kept; on SQLite and PostgreSQL a trigger with `UPDATE OF` and `WHEN`
 * (PostgreSQL reprints the condition: no diff right after upgrade); a trigger the models do not
 * declare is left alone and listed as unmanaged, one they used to declare is dropped.
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
import { triggerKey } from '../../src/schema/trigger-sql';
import { makeProject, rmProject } from '../helpers/cli';
import { freshDatabase } from '../helpers/databases';
import { testDialects } from '../helpers/dialects';
import { check, migrate, run } from '../roundtrip/library';

const TABLES = (amount: string, name = 'String(50).notNull()') => `import { model, trigger, view, Integer, String } from 'kiln';
export const Account = model('Account', {
  id: Integer().primaryKey(),
  name: ${name},
  ${amount}: Integer().notNull(),
});
export const Audit = model('Audit', {
  id: Integer().primaryKey(),
  account_id: Integer().notNull(),
  amount: Integer().notNull(),
});
export const Rich = view('rich_account', 'select id, name, ${amount} from account where ${amount} > 1000');
`;

/** After each insert into account, a row in audit (every dialect). */
const AUDIT = (amount: string) => `export const AccountAudit = trigger('account_audit', {
  table: 'account',
  timing: 'after',
  events: ['insert'],
  body: {
    sqlite: 'INSERT INTO audit (account_id, amount) VALUES (NEW.id, NEW.${amount});',
    postgres: 'BEGIN\\n  INSERT INTO audit (account_id, amount) VALUES (NEW.id, NEW.${amount});\\n  RETURN NEW;\\nEND;',
    mysql: 'INSERT INTO audit (account_id, amount) VALUES (NEW.id, NEW.${amount})',
  },
});
`;

/** After an update of the amount that changes it (SQLite and PostgreSQL: UPDATE OF and WHEN). */
const CHANGED = (amount: string) => `export const AccountChanged = trigger('account_changed', {
  table: Account,
  timing: 'after',
  events: ['update'],
  of: ['${amount}'],
  when: { sqlite: 'NEW.${amount} <> OLD.${amount}', postgres: "NEW.${amount} IS DISTINCT FROM OLD.${amount} AND NEW.name <> 'zzz'" },
  body: {
    sqlite: 'INSERT INTO audit (account_id, amount) VALUES (NEW.id, NEW.${amount} - OLD.${amount});',
    postgres: 'BEGIN INSERT INTO audit (account_id, amount) VALUES (NEW.id, NEW.${amount} - OLD.${amount}); RETURN NULL; END',
  },
  dialects: ['sqlite', 'postgres'],
});
`;

async function liveTriggers(knex: Knex, dialect: DialectName): Promise<{ name: string; key: string }[]> {
  const schema = await introspect(knex, dialect);
  return (schema.triggers ?? []).map((t) => ({ name: t.name, key: triggerKey(t) }));
}

async function checkLines(config: ResolvedConfig): Promise<string[]> {
  return (await checkUseCase({ config }, QUIET)).lines;
}

const audits = (knex: Knex) => knex('audit').select('account_id', 'amount').orderBy('id');

describe.each(testDialects().map((d) => [d.name, d] as const))('triggers on %s', (dialectName, dialect) => {
  const conditional = dialectName !== 'mysql';
  test('round trip with a column rename under a view and a trigger; unmanaged and formerly declared triggers', async () => {
    const db = await freshDatabase(dialect);
    const dir = makeProject({
      'models1/m.ts': `${TABLES('balance')}${AUDIT('balance')}${CHANGED('balance')}`,
      // the rename, and on SQLite a rebuild of the table too (name becomes nullable)
      'models2/m.ts': `${TABLES('amount', 'String(50)')}${AUDIT('amount')}${CHANGED('amount')}`,
      // a type change under an unchanged trigger (SQLite: a rebuild, which keeps it once)
      'models3/m.ts': `${TABLES('amount', 'String(80)')}${AUDIT('amount')}`,
    });
    const knex = db.connect();
    try {
      fs.mkdirSync(path.join(dir, 'migrations'));
      const config1 = { ...(await loadConfig({ cwd: dir, env: { DATABASE_URL: db.url } })), models: path.join(dir, 'models1') };
      const config2 = { ...config1, models: path.join(dir, 'models2') };
      const config3 = { ...config1, models: path.join(dir, 'models3') };

      const first = await migrate(config1, 'initial');
      expect(first.map(describeOp)).toEqual([
        "added table 'account'",
        "added table 'audit'",
        "added trigger 'account_audit' on 'account'",
        ...(conditional ? ["added trigger 'account_changed' on 'account'"] : []),
        "added view 'rich_account'",
      ]);
      await run(config1, 'up', 'head');
      expect(await check(config1)).toEqual([]);
      expect(await migrate(config1, 'nothing')).toEqual([]);
      await knex('account').insert([
        { id: 1, name: 'ann', balance: 500 },
        { id: 2, name: 'bob', balance: 2000 },
      ]);
      await knex('account').where({ id: 2 }).update({ balance: 2500 });
      await knex('account').where({ id: 2 }).update({ balance: 2500 });
      const rows = [
        { account_id: 1, amount: 500 },
        { account_id: 2, amount: 2000 },
        ...(conditional ? [{ account_id: 2, amount: 500 }] : []),
      ];
      expect(await audits(knex)).toEqual(rows);
      const before = await liveTriggers(knex, dialectName);
      expect(before.map((t) => t.name)).toEqual(conditional ? ['account_audit', 'account_changed'] : ['account_audit']);

      // A trigger written by hand, which no model declares: left alone, listed as unmanaged.
      const legacy = {
        sqlite: "CREATE TRIGGER legacy AFTER DELETE ON audit BEGIN SELECT 1; END",
        postgres: "CREATE FUNCTION legacy_fn() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN OLD; END$$; CREATE TRIGGER legacy AFTER DELETE ON audit FOR EACH ROW EXECUTE FUNCTION legacy_fn()",
        mysql: 'CREATE TRIGGER legacy AFTER DELETE ON audit FOR EACH ROW SET @kiln_legacy = 1',
      }[dialectName];
      await knex.raw(legacy);
      expect(await check(config1)).toEqual([]);
      expect(await checkLines(config1)).toContain("Unmanaged trigger 'legacy' on 'audit': the models do not declare it; kept as it is");

      const ops = await migrate(config2, 'rename', ['account.balance=amount']);
      expect(ops.map(describeOp)).toEqual(
        expect.arrayContaining([
          "renamed column 'account.balance' to 'amount'",
          "changed view 'rich_account'",
          "changed trigger 'account_audit' on 'account'",
          ...(conditional ? ["changed trigger 'account_changed' on 'account'"] : []),
        ]),
      );
      await run(config2, 'up', 'head');
      expect(await check(config2)).toEqual([]);
      expect(await migrate(config2, 'nothing')).toEqual([]);
      expect((await liveTriggers(knex, dialectName)).map((t) => t.name)).toEqual(conditional ? ['account_audit', 'account_changed', 'legacy'] : ['account_audit', 'legacy']);
      await knex('account').insert({ id: 3, name: 'cat', amount: 9000 });
      await knex('account').where({ id: 3 }).update({ amount: 9100 });
      const rows2 = [...rows, { account_id: 3, amount: 9000 }, ...(conditional ? [{ account_id: 3, amount: 100 }] : [])];
      expect(await audits(knex)).toEqual(rows2);
      expect(await knex('rich_account').select('name', 'amount').orderBy('id')).toEqual([
        { name: 'bob', amount: 2500 },
        { name: 'cat', amount: 9100 },
      ]);

      await run(config2, 'down', '-1');
      expect((await liveTriggers(knex, dialectName)).filter((t) => t.name !== 'legacy')).toEqual(before);
      expect((await check(config1)).filter((line) => !line.startsWith('pending '))).toEqual([]);
      await knex('account').insert({ id: 4, name: 'dan', balance: 7 });
      expect(await audits(knex)).toEqual([...rows2, { account_id: 4, amount: 7 }]);
      await run(config2, 'up', 'head');

      // A trigger the models no longer declare is dropped (kiln created it); 'legacy' stays.
      const dropped = await migrate(config3, 'drop account_changed');
      expect(dropped.map(describeOp)).toEqual(
        expect.arrayContaining([expect.stringMatching(/^changed column 'account.name'/), ...(conditional ? ["removed trigger 'account_changed' on 'account'"] : [])]),
      );
      expect(dropped.map(describeOp)).not.toContainEqual(expect.stringContaining("'account_audit'"));
      const after = await liveTriggers(knex, dialectName);
      await run(config3, 'up', 'head');
      expect((await liveTriggers(knex, dialectName)).map((t) => t.name)).toEqual(['account_audit', 'legacy']);
      expect(await check(config3)).toEqual([]);
      // the unchanged trigger fires once, as before
      await knex('account').insert({ id: 5, name: 'eve', amount: 1 });
      expect((await audits(knex)).filter((r) => r.account_id === 5)).toEqual([{ account_id: 5, amount: 1 }]);
      await knex('account').where({ id: 5 }).delete();
      await run(config3, 'down', '-1');
      expect(await liveTriggers(knex, dialectName)).toEqual(after);
      await run(config3, 'down', 'base');
      expect((await liveTriggers(knex, dialectName)).map((t) => t.name)).toEqual([]);
    } finally {
      await db.cleanup();
      rmProject(dir);
    }
  }, 120_000);
});
