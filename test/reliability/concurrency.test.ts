/**
 * Concurrency: eight `kiln db upgrade` processes started together against one database all
 * exit 0, every migration is recorded once, and a process that waits longer than the lock
 * timeout fails with the LOCKED message. On every dialect of the run.
 */
import { freshDatabase, type FreshDatabase } from '../helpers/databases';
import { testDialects } from '../helpers/dialects';
import { expectUserError, handMigration, kiln, makeProject, rmProject, writeFile } from '../helpers/cli';
import { emptyStats, inspectDb, reportStats, show, writeTenMigrations, type ReliabilityStats } from './helpers';

const PROCESSES = 8;
const stats: ReliabilityStats[] = [];
afterAll(() => reportStats(stats));

describe.each(testDialects().map((d) => [d.name, d] as const))('concurrency on %s', (name, dialect) => {
  let dir: string;
  let db: FreshDatabase;
  let env: Record<string, string>;

  beforeEach(async () => {
    dir = makeProject({ 'kiln.config.ts': 'export default {};\n' });
    db = await freshDatabase(dialect);
    env = { DATABASE_URL: db.url };
  });
  afterEach(async () => {
    await db.cleanup();
    rmProject(dir);
  });

  test(`${PROCESSES} upgrades started together: all exit 0, each migration recorded once`, async () => {
    const s = emptyStats('concurrent upgrade', name);
    stats.push(s);
    const { names } = writeTenMigrations((rel, c) => writeFile(dir, rel, c), handMigration);
    const results = await Promise.all(Array.from({ length: PROCESSES }, () => kiln(['db', 'upgrade'], { cwd: dir, env, timeoutMs: 120000 })));
    s.trials = PROCESSES;
    s.failures = results.filter((r) => r.code !== 0).length;
    const state = await inspectDb(db.connect(), dialect.name);
    s.doubleApplied = state.duplicates;
    s.locksLeft = state.locked;
    s.tempTablesLeft = state.tempTables.length;
    const k = db.connect();
    s.rowsLost = Math.max(0, 20 - Number((await k('team').count({ n: '*' }))[0].n)) + Math.max(0, 40 - Number((await k('player').count({ n: '*' }))[0].n));
    for (const r of results) expect(r.code === 0 ? '' : show(r)).toBe('');
    expect(state.applied).toEqual(names);
    // Exactly one process ran the migrations; the others found nothing to do.
    const ran = results.filter((r) => r.stdout.includes('Running upgrade'));
    expect(ran).toHaveLength(1);
    expect(ran[0].stdout.match(/Running upgrade/g)).toHaveLength(names.length);
    expect(results.filter((r) => /Nothing to upgrade/.test(r.stdout))).toHaveLength(PROCESSES - 1);
    expect(s).toMatchObject({ failures: 0, rowsLost: 0, locksLeft: 0, tempTablesLeft: 0, doubleApplied: 0 });
  }, 180000);

  test('a process that waits longer than KILN_LOCK_TIMEOUT fails with the LOCKED message', async () => {
    const s = emptyStats('lock timeout', name);
    stats.push(s);
    writeFile(dir, 'migrations/20260101000000_slow.ts', handMigration('slow', "  await knex.schema.createTable('slow', (t) => { t.increments('id'); });\n  await new Promise((r) => setTimeout(r, 4000));", "  await knex.schema.dropTable('slow');"));
    const holder = kiln(['db', 'upgrade'], { cwd: dir, env, timeoutMs: 60000 });
    // Wait until the holder is inside its run (it prints the Running line once it holds the lock).
    await new Promise((r) => setTimeout(r, 2000));
    const started = Date.now();
    const waiter = await kiln(['db', 'upgrade'], { cwd: dir, env: { ...env, KILN_LOCK_TIMEOUT: '1' } });
    const waited = Date.now() - started;
    const first = await holder;
    s.trials = 2;
    s.failures = first.code === 0 ? 0 : 1;
    expect(first.code === 0 ? '' : show(first)).toBe('');
    expectUserError(waiter, /another process is migrating this database; gave up waiting after 1 s/);
    expect(waiter.stderr).toMatch(/hint: .*KILN_LOCK_TIMEOUT/);
    expect(waited).toBeLessThan(4000);
    // The waiter changed nothing; the holder's run is recorded once; no lock is left.
    const state = await inspectDb(db.connect(), dialect.name);
    s.locksLeft = state.locked;
    s.doubleApplied = state.duplicates;
    expect(state.applied).toEqual(['20260101000000_slow.ts']);
    expect(state.locked).toBe(0);
    // After the holder finished, a second waiter has nothing to do and exits 0.
    const again = await kiln(['db', 'upgrade'], { cwd: dir, env: { ...env, KILN_LOCK_TIMEOUT: '1' } });
    expect(again.code).toBe(0);
  }, 120000);
});
