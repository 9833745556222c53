/**
 * A running upgrade says which migration and statement it is on and for how long (a status
 * line on a terminal, plain lines in a log), and a SQLite table rebuild says how many rows it
 * copied. KILN_PROGRESS_AFTER shortens the wait before the first report (default 10 s in a
 * log, 1 s on a terminal).
 */
import type { Knex } from 'knex';
import { freshDatabase, type FreshDatabase } from '../helpers/databases';
import { testDialects } from '../helpers/dialects';
import { kiln, makeProject, ok, rmProject, writeFile } from '../helpers/cli';
import { kilnInPty } from '../helpers/pty';

const CONFIG = "export default { models: 'models' };\n";
const mig = (up: string, down = '') => `import type { Knex } from 'knex';\nexport async function up(knex: Knex): Promise<void> {\n${up}\n}\nexport async function down(knex: Knex): Promise<void> {\n${down}\n}\n`;
const SLEEP: Record<string, string | null> = { postgres: 'select pg_sleep(2.5)', mysql: 'select sleep(2.5)', sqlite: null };


describe.each(testDialects().map((d) => [d.name, d] as const))('upgrade progress on %s', (name, dialect) => {
  let dir: string;
  let db: FreshDatabase;
  let env: Record<string, string>;
  beforeEach(async () => {
    dir = makeProject({ 'kiln.config.ts': CONFIG, 'models/.keep': '' });
    db = await freshDatabase(dialect);
    env = { DATABASE_URL: db.url, KILN_PROGRESS_AFTER: '0.5' };
  });
  afterEach(async () => {
    await db.cleanup();
    rmProject(dir);
  });

  const sleep = SLEEP[name];
  if (sleep) {
    test('a slow statement is reported in a log, then on a terminal', async () => {
      writeFile(dir, 'migrations/20260101000000_slow.ts', mig(`  await knex.schema.createTable('t', (t) => { t.increments('id'); });\n  await knex.raw('${sleep}');`, "  await knex.schema.dropTable('t');"));
      const r = ok(await kiln(['db', 'upgrade'], { cwd: dir, env }));
      expect(r.stdout).toMatch(new RegExp(`^  20260101000000_slow, statement \\d+ running for \\d\\.\\ds: ${sleep.replace(/[().]/g, '\\$&')}$`, 'm'));
      // Reported once per three waits: a 2.5 s statement with a 0.5 s wait prints at most twice.
      expect((r.stdout.match(/running for/g) ?? []).length).toBeLessThanOrEqual(2);
      ok(await kiln(['db', 'downgrade'], { cwd: dir, env: { DATABASE_URL: db.url } }));
      const tty = await kilnInPty(['db', 'upgrade'], { cwd: dir, env: { DATABASE_URL: db.url } });
      expect(tty.code).toBe(0);
      expect(tty.stdout).toMatch(/20260101000000_slow, statement \d+ running for \d\.\ds: select/);
      expect(tty.stdout).toMatch(/Running upgrade <base> -> 20260101000000_slow/);
    }, 60000);
  }

  test('a fast upgrade prints nothing more than before', async () => {
    writeFile(dir, 'migrations/20260101000000_fast.ts', mig("  await knex.schema.createTable('t', (t) => { t.increments('id'); });", "  await knex.schema.dropTable('t');"));
    const r = ok(await kiln(['db', 'upgrade'], { cwd: dir, env: { DATABASE_URL: db.url } }));
    expect(r.stdout).toBe('Running upgrade <base> -> 20260101000000_fast, fast\n');
    expect(r.stdout).not.toMatch(/running for|copied/);
  });

  if (name === 'sqlite') {
    test('a table rebuild of 120,000 rows says how many it copied, and keeps them all', async () => {
      writeFile(dir, 'migrations/20260101000000_big.ts', mig("  await knex.schema.createTable('big', (t) => { t.increments('id'); t.string('a', 20); t.integer('b'); });", "  await knex.schema.dropTable('big');"));
      ok(await kiln(['db', 'upgrade'], { cwd: dir, env }));
      const knex: Knex = db.connect();
      await knex.raw("with recursive n(i) as (select 1 union all select i + 1 from n where i < 120000) insert into big (a, b) select 'row ' || i, i from n");
      await knex('big').where('id', '<', 1000).del(); // a gap in the rowids
      writeFile(
        dir,
        'migrations/20260102000000_rebuild.ts',
        `import type { Knex } from 'knex';\nimport { rebuildTable } from 'kiln/sqlite';\nexport async function up(knex: Knex): Promise<void> {\n  await rebuildTable(knex, 'big', { columns: (t) => { t.increments('id'); t.string('a', 20).notNullable().defaultTo(''); }, copy: [['id', 'id'], ['a', 'a']] });\n}\nexport async function down(knex: Knex): Promise<void> {}\n`,
      );
      const r = ok(await kiln(['db', 'upgrade'], { cwd: dir, env: { ...env, KILN_PROGRESS_AFTER: '0' } }));
      expect(r.stdout).toMatch(/copied [\d,]+ of 119,001 rows of "big" \(\d+%, /);
      const [{ n, lo, hi }] = (await knex('big').select(knex.raw('count(*) as n, min(id) as lo, max(id) as hi'))) as { n: number; lo: number; hi: number }[];
      expect([Number(n), Number(lo), Number(hi)]).toEqual([119001, 1000, 120000]);
      expect((await knex('big').where({ id: 50000 }).first()) as unknown).toEqual({ id: 50000, a: 'row 50000' });
    }, 120000);
  }
});
