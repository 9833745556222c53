/**
 * Migrations that declare `export const config = { transaction: false }` (Knex's own switch)
 * run outside the run's transaction, under kiln's lock, recorded only after they succeed; a
 * failed or killed one is run again by the next upgrade (PostgreSQL: the INVALID index a failed
 * CREATE INDEX CONCURRENTLY leaves is dropped and rebuilt). Real binary, every database.
 */
import { spawn } from 'node:child_process';
import type { Knex } from 'knex';
import { freshDatabase, type FreshDatabase } from '../helpers/databases';
import { testDialects } from '../helpers/dialects';
import { KILN_BIN, kiln, makeProject, rmProject, writeFile, type RunResult } from '../helpers/cli';

const CONFIG = "export default { models: 'models' };\n";
const mig = (up: string, down: string, noTransaction = false) =>
  `import type { Knex } from 'knex';\n${noTransaction ? 'export const config = { transaction: false };\n' : ''}export async function up(knex: Knex): Promise<void> {\n${up}\n}\nexport async function down(knex: Knex): Promise<void> {\n${down}\n}\n`;

const CREATE = mig(
  "  await knex.schema.createTable('item', (t) => { t.increments('id'); t.string('code', 20); });\n  await knex('item').insert([{ code: 'a' }, { code: 'b' }, { code: 'b' }]);",
  "  await knex.schema.dropTable('item');",
);
const ADD = mig("  await knex.schema.alterTable('item', (t) => { t.integer('qty'); });", "  await knex.schema.alterTable('item', (t) => { t.dropColumn('qty'); });");

/** Per database: a statement that only runs outside a transaction, and its reverse. */
const OUTSIDE: Record<string, { up: string; down: string }> = {
  postgres: {
    up: "  await knex.raw('create index concurrently if not exists item_code_idx on item (code)');",
    down: "  await knex.raw('drop index concurrently if exists item_code_idx');",
  },
  mysql: {
    up: "  await knex.raw('alter table item add index item_code_idx (code), algorithm=inplace, lock=none');",
    down: "  await knex.raw('alter table item drop index item_code_idx');",
  },
  sqlite: {
    // VACUUM is refused inside a transaction.
    up: "  await knex.raw('vacuum');\n  await knex.raw('create index if not exists item_code_idx on item (code)');",
    down: "  await knex.raw('drop index if exists item_code_idx');",
  },
};

describe.each(testDialects().map((d) => [d.name, d] as const))('migrations without a transaction on %s', (name, dialect) => {
  let dir: string;
  let db: FreshDatabase;
  let knex: Knex;
  let env: Record<string, string>;
  const k = (...args: string[]) => kiln(args, { cwd: dir, env });
  const ok = (r: RunResult) => {
    if (r.code !== 0) throw new Error(`exit ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
    return r;
  };
  const recorded = async () => (await knex('knex_migrations').orderBy('id').select('name')).map((r: { name: string }) => r.name);
  const hasIndex = async (index: string) => {
    if (name === 'postgres') return (await knex.raw('select indisvalid as valid from pg_index i join pg_class c on c.oid = i.indexrelid where c.relname = ?', [index])).rows as { valid: boolean }[];
    if (name === 'mysql') return ((await knex.raw('select 1 as valid from information_schema.STATISTICS where TABLE_SCHEMA = database() and INDEX_NAME = ?', [index])) as [{ valid: number }[]])[0].map(() => ({ valid: true }));
    return ((await knex.raw("select 1 as valid from sqlite_master where type = 'index' and name = ?", [index])) as unknown[]).map(() => ({ valid: true }));
  };

  beforeEach(async () => {
    dir = makeProject({ 'kiln.config.ts': CONFIG, 'models/.keep': '', 'migrations/20260101000000_create.ts': CREATE });
    db = await freshDatabase(dialect);
    knex = db.connect();
    env = { DATABASE_URL: db.url };
  });
  afterEach(async () => {
    await db.cleanup();
    rmProject(dir);
  });

  test('run between transactional migrations, recorded once each, reverted by downgrade', async () => {
    writeFile(dir, 'migrations/20260102000000_index.ts', mig(OUTSIDE[name].up, OUTSIDE[name].down, true));
    writeFile(dir, 'migrations/20260103000000_add.ts', ADD);
    const r = ok(await k('db', 'upgrade'));
    expect(r.stdout).toMatch(/20260101000000_create -> 20260102000000_index[\s\S]*20260102000000_index -> 20260103000000_add/);
    expect(await recorded()).toEqual(['20260101000000_create.ts', '20260102000000_index.ts', '20260103000000_add.ts']);
    expect(await hasIndex('item_code_idx')).toEqual([{ valid: true }]);
    ok(await k('db', 'downgrade', 'base'));
    expect(await recorded()).toEqual([]);
    expect(await knex.schema.hasTable('item')).toBe(false);
    // Knex's lock row is free again (SQLite holds it while such a step runs).
    expect((await knex('knex_migrations_lock').select('is_locked')).map((x: { is_locked: number | boolean }) => Number(x.is_locked))).toEqual([0]);
  });

  test('offline SQL ends the transaction around it', async () => {
    writeFile(dir, 'migrations/20260102000000_index.ts', mig(OUTSIDE[name].up, OUTSIDE[name].down, true));
    const r = ok(await k('db', 'upgrade', '--sql'));
    expect(r.stdout).toMatch(/-- 20260102000000_index runs outside a transaction \(config\.transaction = false\)\nCOMMIT;\n[\s\S]*item_code_idx[\s\S]*\n(BEGIN|START TRANSACTION);\n/);
  });

  if (name === 'postgres') {
    test('a failed CREATE UNIQUE INDEX CONCURRENTLY: not recorded, its INVALID index rebuilt by the next upgrade', async () => {
      writeFile(dir, 'migrations/20260102000000_unique.ts', mig("  await knex.raw('create unique index concurrently item_code_uq on item (code)');", "  await knex.raw('drop index concurrently if exists item_code_uq');", true));
      const failed = await k('db', 'upgrade');
      expect(failed.code).not.toBe(0);
      expect(failed.stderr).toMatch(/^error: migration migrations\/20260102000000_unique\.ts failed: .*could not create unique index.*; it runs without a transaction: its statements before the failure stay applied, it is not recorded/m);
      expect(await recorded()).toEqual(['20260101000000_create.ts']);
      expect(await hasIndex('item_code_uq')).toEqual([{ valid: false }]);
      await knex('item').where({ id: 3 }).del();
      ok(await k('db', 'upgrade'));
      expect(await recorded()).toEqual(['20260101000000_create.ts', '20260102000000_unique.ts']);
      expect(await hasIndex('item_code_uq')).toEqual([{ valid: true }]);
    });

    test('killed in the middle: the session lock dies with the process, the next upgrade finishes', async () => {
      writeFile(
        dir,
        'migrations/20260102000000_slow.ts',
        mig(
          "  await knex.raw('create index concurrently if not exists item_code_idx on item (code)');\n  if (process.env.KILN_TEST_SLOW) await knex.raw('select pg_sleep(60)');",
          "  await knex.raw('drop index concurrently if exists item_code_idx');",
          true,
        ),
      );
      const child = spawn(process.execPath, [KILN_BIN, 'db', 'upgrade'], { cwd: dir, env: { ...process.env, ...env, KILN_TEST_SLOW: '1', CI: 'true' }, stdio: 'ignore' });
      const exited = new Promise((resolve) => child.on('close', resolve));
      for (let i = 0; i < 300; i++) {
        const busy = (await knex.raw("select 1 from pg_stat_activity where query like 'select pg_sleep(60)%'")).rows as unknown[];
        if (busy.length) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      child.kill('SIGKILL');
      await exited;
      await knex.raw("select pg_terminate_backend(pid) from pg_stat_activity where query like 'select pg_sleep(60)%'");
      expect(await recorded()).toEqual(['20260101000000_create.ts']);
      const r = ok(await k('db', 'upgrade'));
      expect(r.stdout).toMatch(/20260101000000_create -> 20260102000000_slow/);
      expect(await recorded()).toEqual(['20260101000000_create.ts', '20260102000000_slow.ts']);
      expect(await hasIndex('item_code_idx')).toEqual([{ valid: true }]);
    });

    test('lint: CONCURRENTLY is fine in such a migration, an error in a transactional one', async () => {
      ok(await k('db', 'upgrade'));
      writeFile(dir, 'migrations/20260102000000_index.ts', mig(OUTSIDE.postgres.up, OUTSIDE.postgres.down, true));
      const clean = JSON.parse((await k('db', 'lint', '--json')).stdout) as { migrations: { statements: { findings: { rule: string }[] }[] }[] };
      expect(clean.migrations[0].statements.flatMap((s) => s.findings.map((f) => f.rule))).not.toContain('concurrently-in-transaction');
      writeFile(dir, 'migrations/20260102000000_index.ts', mig(OUTSIDE.postgres.up, OUTSIDE.postgres.down, false));
      const bad = await k('db', 'lint');
      expect(bad.code).toBe(1);
      expect(bad.stdout).toMatch(/error concurrently-in-transaction/);
    });
  }
});
