/**
 * Crash safety: `kiln db upgrade` killed with SIGKILL at random moments (seeded, the seed is
 * printed; KILN_CRASH_TRIALS trials per dialect, default 20; KILN_CRASH_SEED to replay) and
 * stopped with SIGINT (Ctrl-C). After each: the schema equals the schema after some prefix of
 * the migrations and the bookkeeping says which, no temporary table, no lock left, no row lost;
 * then a plain `kiln db upgrade` finishes. The set includes SQLite table rebuilds of a parent
 * table with cascade children and of a child table, both holding rows.
 */
import { spawn } from 'node:child_process';
import type { Knex } from 'knex';
import { freshDatabase, type FreshDatabase } from '../helpers/databases';
import { testDialects, type TestDialect } from '../helpers/dialects';
import { KILN_BIN, expectUserError, handMigration, kiln, makeProject, rmProject, writeFile } from '../helpers/cli';
import { emptyStats, inspectDb, prng, reportStats, show, tableNames, type ReliabilityStats } from './helpers';

const TRIALS = Number(process.env.KILN_CRASH_TRIALS ?? 20);
const SIGINT_TRIALS = Number(process.env.KILN_SIGINT_TRIALS ?? 3);
const SEED = Number(process.env.KILN_CRASH_SEED ?? Date.now() % 1_000_000);
const ACCOUNTS = 1500;
const POSTS_PER_ACCOUNT = 3;
const TAGS = 50;

const stats: ReliabilityStats[] = [];
afterAll(() => reportStats(stats));

type Step = [message: string, up: string, down: string];

/** The ten migrations; `sqlite` uses kiln/sqlite's rebuildTable where servers alter in place. */
function migrationSet(dialect: string): Step[] {
  const sqlite = dialect === 'sqlite';
  const rebuildAccount = sqlite
    ? `  await rebuildTable(knex, 'account', {
    columns: (t) => { t.increments('id'); t.string('name', 120); t.string('email', 100); },
    copy: [['id', 'id'], ['name', 'name'], ['email', 'email']],
  });`
    : "  await knex.schema.alterTable('account', (t) => { t.string('name', 120).nullable().alter(); });";
  const rebuildPost = sqlite
    ? `  await rebuildTable(knex, 'post', {
    columns: (t) => { t.increments('id'); t.integer('account_id').unsigned().references('id').inTable('account').onDelete('CASCADE'); t.string('title', 80).notNullable(); t.integer('score').defaultTo(0); },
    indexes: (t) => { t.index(['title'], 'post_title_idx'); },
    copy: [['id', 'id'], ['account_id', 'account_id'], ['title', 'title'], ['score', 'score']],
  });`
    : "  await knex.schema.alterTable('post', (t) => { t.string('title', 80).notNullable().alter(); });";
  return [
    [
      'create account and post',
      `  await knex.schema.createTable('account', (t) => { t.increments('id'); t.string('name', 50).notNullable(); });
  await knex.schema.createTable('post', (t) => { t.increments('id'); t.integer('account_id').unsigned().references('id').inTable('account').onDelete('CASCADE'); t.string('title', 80); });
  for (let i = 0; i < ${ACCOUNTS}; i += 250) {
    await knex('account').insert(Array.from({ length: 250 }, (_, j) => ({ name: 'account ' + (i + j) })));
  }
  for (let i = 0; i < ${ACCOUNTS * POSTS_PER_ACCOUNT}; i += 250) {
    await knex('post').insert(Array.from({ length: 250 }, (_, j) => ({ account_id: ((i + j) % ${ACCOUNTS}) + 1, title: 'post ' + (i + j) })));
  }`,
      "  await knex.schema.dropTable('post');\n  await knex.schema.dropTable('account');",
    ],
    ['add account email', "  await knex.schema.alterTable('account', (t) => { t.string('email', 100); });", "  await knex.schema.alterTable('account', (t) => { t.dropColumn('email'); });"],
    ['index post title', "  await knex.schema.alterTable('post', (t) => { t.index(['title'], 'post_title_idx'); });", "  await knex.schema.alterTable('post', (t) => { t.dropIndex(['title'], 'post_title_idx'); });"],
    ['create tag', "  await knex.schema.createTable('tag', (t) => { t.increments('id'); t.string('label', 30); });", "  await knex.schema.dropTable('tag');"],
    ['widen account name', rebuildAccount, '  // not reverted'],
    ['add post score', "  await knex.schema.alterTable('post', (t) => { t.integer('score').defaultTo(0); });", "  await knex.schema.alterTable('post', (t) => { t.dropColumn('score'); });"],
    ['add tag rows', `  await knex('tag').insert(Array.from({ length: ${TAGS} }, (_, i) => ({ label: 'tag ' + i })));`, "  await knex('tag').del();"],
    ['create audit', "  await knex.schema.createTable('audit', (t) => { t.increments('id'); t.string('what', 200); });", "  await knex.schema.dropTable('audit');"],
    ['require post title', rebuildPost, '  // not reverted'],
    ['add tag color', "  await knex.schema.alterTable('tag', (t) => { t.string('color', 10); });", "  await knex.schema.alterTable('tag', (t) => { t.dropColumn('color'); });"],
  ];
}

function writeSet(dir: string, dialect: string): string[] {
  return migrationSet(dialect).map(([msg, up, down], i) => {
    const name = `202602${String(i + 1).padStart(2, '0')}000000_${msg.replace(/ /g, '_')}.ts`;
    let src = handMigration(msg, up, down);
    if (up.includes('rebuildTable')) src = src.replace("import type { Knex } from 'knex';", "import type { Knex } from 'knex';\nimport { rebuildTable } from 'kiln/sqlite';");
    writeFile(dir, `migrations/${name}`, src);
    return name;
  });
}

/** Rows the data tables must hold after the first `k` migrations. */
function expectedRows(k: number): Record<string, number> {
  const out: Record<string, number> = {};
  if (k >= 1) {
    out.account = ACCOUNTS;
    out.post = ACCOUNTS * POSTS_PER_ACCOUNT;
  }
  if (k >= 7) out.tag = TAGS;
  return out;
}

async function rowsLost(knex: Knex, dialect: TestDialect['name'], k: number): Promise<number> {
  const tables = await tableNames(knex, dialect);
  let lost = 0;
  for (const [table, want] of Object.entries(expectedRows(k))) {
    const have = tables.includes(table) ? Number((await knex(table).count({ n: '*' }))[0].n) : 0;
    lost += Math.max(0, want - have);
  }
  return lost;
}

/**
 * A killed client's statement can still be running on the server (MySQL finishes an ALTER it
 * started): wait until no other session runs a statement on the database before looking at it.
 */
async function waitForOtherSessions(knex: Knex, dialect: TestDialect['name']): Promise<void> {
  if (dialect === 'sqlite') return;
  const sql =
    dialect === 'postgres'
      ? "select count(*) as n from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid() and state = 'active'"
      : "select count(*) as n from information_schema.processlist where db = database() and id <> connection_id() and command <> 'Sleep'";
  for (let i = 0; i < 200; i++) {
    const res = await knex.raw(sql);
    const rows = dialect === 'postgres' ? res.rows : res[0];
    if (Number(rows[0].n) === 0) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('a killed process still has a session on the database after 10 s');
}

/** Empties the database (every table, bookkeeping included). */
async function reset(knex: Knex, dialect: TestDialect['name']): Promise<void> {
  if (dialect === 'postgres') {
    await knex.raw('DROP SCHEMA public CASCADE');
    await knex.raw('CREATE SCHEMA public');
    return;
  }
  if (dialect === 'mysql') {
    await knex.raw('SET FOREIGN_KEY_CHECKS = 0');
    for (const t of await tableNames(knex, dialect)) await knex.raw('DROP TABLE ??', [t]);
    await knex.raw('SET FOREIGN_KEY_CHECKS = 1');
    return;
  }
  await knex.raw('PRAGMA foreign_keys = OFF');
  for (const t of await tableNames(knex, dialect)) await knex.raw('DROP TABLE ??', [t]);
  await knex.raw('PRAGMA foreign_keys = ON');
}

interface Killed {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Starts `kiln db upgrade` and sends `signal` after `delayMs` (counted from the first Running line when `afterRunning`). */
function upgradeAndSignal(dir: string, env: Record<string, string>, signal: NodeJS.Signals, delayMs: number, afterRunning: boolean, onWork?: (ms: number) => void): Promise<Killed> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [KILN_BIN, 'db', 'upgrade'], { cwd: dir, env: { ...process.env, DEBUG: '', CI: 'true', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timer: NodeJS.Timeout | undefined;
    let runningAt = 0;
    const arm = () => (timer = setTimeout(() => child.kill(signal), delayMs));
    if (!afterRunning) arm();
    child.stdout.on('data', (d) => {
      stdout += d;
      if (!runningAt && stdout.includes('Running upgrade')) runningAt = Date.now();
      if (afterRunning && !timer && runningAt) arm();
    });
    child.stderr.on('data', (d) => (stderr += d));
    const guard = setTimeout(() => child.kill('SIGKILL'), 60000);
    child.on('error', reject);
    child.on('close', (code, sig) => {
      clearTimeout(guard);
      if (timer) clearTimeout(timer);
      if (runningAt) onWork?.(Date.now() - runningAt);
      resolve({ code, signal: sig, stdout, stderr });
    });
  });
}

describe.each(testDialects().map((d) => [d.name, d] as const))('crash safety on %s', (name, dialect) => {
  let dir: string;
  let db: FreshDatabase;
  let env: Record<string, string>;
  let names: string[];
  let knex: Knex;
  /** schemas[k]: the introspected schema after the first k migrations. */
  const schemas: string[] = [];
  let mysqlPartials = 0;
  let fullMs = 0;
  /** From the first Running line to the exit. */
  let workMs = 0;

  beforeAll(async () => {
    dir = makeProject({ 'kiln.config.ts': 'export default {};\n' });
    names = writeSet(dir, name);
    db = await freshDatabase(dialect);
    env = { DATABASE_URL: db.url };
    knex = db.connect();
    schemas.push((await inspectDb(knex, name)).schema);
    for (const n of names) {
      const r = await kiln(['db', 'upgrade', n.replace(/\.ts$/, '')], { cwd: dir, env });
      if (r.code !== 0) throw new Error(show(r));
      schemas.push((await inspectDb(knex, name)).schema);
    }
    await reset(knex, name);
    const t0 = Date.now();
    const r = await upgradeAndSignal(dir, env, 'SIGKILL', 120000, false, (ms) => (workMs = ms));
    if (r.code !== 0) throw new Error(`${r.stdout}\n${r.stderr}`);
    fullMs = Date.now() - t0;
  }, 180000);
  afterAll(async () => {
    await db?.cleanup();
    if (dir && !process.env.KILN_KEEP_DIRS) rmProject(dir);
    else if (dir) process.stdout.write(`[kiln crash] kept ${dir}\n`);
  });

  /** Checks the database after an interrupted run; returns the prefix it is at. */
  async function checkBoundary(s: ReliabilityStats, what: string): Promise<number> {
    const state = await inspectDb(knex, name);
    const k = state.applied.length;
    s.doubleApplied += state.duplicates;
    s.locksLeft += state.locked;
    s.tempTablesLeft += state.tempTables.length;
    s.rowsLost += await rowsLost(knex, name, k);
    const problems: string[] = [];
    if (state.applied.join() !== names.slice(0, k).join()) problems.push(`bookkeeping is not a prefix: ${state.applied.join(', ')}`);
    if (state.schema !== schemas[k]) {
      const other = schemas.indexOf(state.schema);
      problems.push(other >= 0 ? `schema is that after ${other} migrations but ${k} are recorded` : `schema is after no prefix of the migrations (${k} recorded)`);
    }
    if (state.duplicates) problems.push('a migration recorded twice');
    if (state.locked) problems.push('knex_migrations_lock left locked');
    if (state.tempTables.length) problems.push(`temporary tables left: ${state.tempTables.join(', ')}`);
    if (problems.length) throw new Error(`${what}: ${problems.join('; ')}`);
    return k;
  }

  /**
   * MySQL commits each DDL statement at once, so a SIGKILL inside a multi-statement migration
   * leaves it half applied, and nothing can roll that back (Ctrl-C, which kiln handles, stops at
   * a boundary there). Such a state is counted apart; what must still hold: no lock, no temp
   * table, no row lost, nothing recorded twice, and the next upgrade fails with one clear line
   * saying what is wrong (not a stack trace). Returns true when the state was such a case.
   */
  async function mysqlPartial(s: ReliabilityStats, what: string): Promise<boolean> {
    const state = await inspectDb(knex, name);
    const k = state.applied.length;
    if (state.schema === schemas[k]) return false;
    s.doubleApplied += state.duplicates;
    s.locksLeft += state.locked;
    s.tempTablesLeft += state.tempTables.length;
    s.rowsLost += await rowsLost(knex, name, k);
    mysqlPartials++;
    if (state.duplicates || state.locked || state.tempTables.length) throw new Error(`${what}: lock, temp table or double record left`);
    const r = await kiln(['db', 'upgrade'], { cwd: dir, env });
    if (r.code === 0) {
      // The half-applied migration happened to be re-runnable (e.g. a lone ALTER that committed
      // before its record): then the database must now be at head like any other trial.
      if ((await checkBoundary(s, `${what}, re-run after a half-applied MySQL migration`)) !== names.length) throw new Error(`${what}: not at head`);
      return true;
    }
    expectUserError(r, /^error: migration .* failed: /);
    if (!/hint: MySQL cannot roll back DDL|already exists|Duplicate/.test(r.stderr)) throw new Error(`${what}: unclear message after a partial MySQL migration\n${r.stderr}`);
    return true;
  }

  async function finish(s: ReliabilityStats, what: string): Promise<void> {
    const r = await kiln(['db', 'upgrade'], { cwd: dir, env });
    if (r.code !== 0) throw new Error(`${what}: the next upgrade failed\n${show(r)}`);
    const k = await checkBoundary(s, `${what}, after the next upgrade`);
    if (k !== names.length) throw new Error(`${what}: the next upgrade stopped at ${k}`);
  }

  /** Puts the database at a random prefix (0..5) with a normal run. */
  async function start(rand: () => number): Promise<number> {
    await reset(knex, name);
    const p = Math.floor(rand() * 6);
    if (p > 0) {
      const r = await kiln(['db', 'upgrade', names[p - 1].replace(/\.ts$/, '')], { cwd: dir, env });
      if (r.code !== 0) throw new Error(show(r));
    }
    return p;
  }

  test(`SIGKILL at random moments (${TRIALS} trials, seed ${SEED})`, async () => {
    process.stdout.write(`\n[kiln crash] ${name}: seed ${SEED} (replay with KILN_CRASH_SEED=${SEED}), ${TRIALS} trials, full run ${fullMs} ms (${workMs} ms after the first Running line)\n`);
    const s = emptyStats('SIGKILL upgrade', name);
    stats.push(s);
    const rand = prng(SEED);
    const failures: string[] = [];
    const landed: Record<string, number> = {};
    for (let i = 0; i < TRIALS; i++) {
      const from = await start(rand);
      const afterRunning = rand() < 0.6;
      const delay = Math.floor(rand() * (afterRunning ? Math.max(20, workMs) : fullMs));
      const what = `trial ${i} (from ${from}, SIGKILL ${delay} ms after ${afterRunning ? 'the first Running line' : 'start'})`;
      s.trials++;
      try {
        const r = await upgradeAndSignal(dir, env, 'SIGKILL', delay, afterRunning);
        await waitForOtherSessions(knex, name);
        if (name === 'mysql' && (await mysqlPartial(s, what))) {
          landed['MySQL: killed inside a migration (DDL cannot be rolled back)'] = (landed['MySQL: killed inside a migration (DDL cannot be rolled back)'] ?? 0) + 1;
          continue;
        }
        const k = await checkBoundary(s, what);
        const key = r.signal ? `killed at ${k}` : `finished (${k})`;
        landed[key] = (landed[key] ?? 0) + 1;
        await finish(s, what);
      } catch (e) {
        s.failures++;
        failures.push((e as Error).message);
      }
    }
    process.stdout.write(`[kiln crash] ${name}: ${JSON.stringify(landed)}\n`);
    if (mysqlPartials) {
      process.stdout.write(
        `\n!!! [kiln crash] mysql: ${mysqlPartials} of ${TRIALS} SIGKILLs landed inside a migration and left it half applied: MySQL cannot roll back DDL.\n` +
          '!!! Each was reported by the next upgrade in one line; none lost a row, left a lock or a temp table, or recorded twice.\n',
      );
      s.suite = `SIGKILL upgrade (${mysqlPartials} half-applied: MySQL DDL)`;
    }
    expect(failures).toEqual([]);
    expect(s).toMatchObject({ rowsLost: 0, locksLeft: 0, tempTablesLeft: 0, doubleApplied: 0 });
  }, 600000);

  test(`SIGINT (Ctrl-C) stops cleanly (${SIGINT_TRIALS} trials)`, async () => {
    const s = emptyStats('SIGINT upgrade', name);
    stats.push(s);
    const rand = prng(SEED + 1);
    const failures: string[] = [];
    for (let i = 0; i < SIGINT_TRIALS; i++) {
      const from = await start(rand);
      const delay = Math.floor(rand() * Math.max(20, workMs * 0.8));
      const what = `SIGINT trial ${i} (from ${from}, ${delay} ms after the first Running line)`;
      s.trials++;
      try {
        const r = await upgradeAndSignal(dir, env, 'SIGINT', delay, true);
        const k = await checkBoundary(s, what);
        if (r.code === 130) {
          const lines = r.stderr.trim().split('\n');
          const expected =
            name === 'mysql'
              ? /^error: interrupted \(Ctrl-C\): stopped after migration .*MySQL cannot roll back DDL; the database is at /
              : /^error: interrupted \(Ctrl-C\): stopped between statements (in|after) migration .*; the run was rolled back, nothing was changed$/;
          if (!expected.test(lines[0])) throw new Error(`${what}: unexpected message\n${r.stderr}`);
          if (lines.slice(1).some((l) => !/^hint: /.test(l))) throw new Error(`${what}: more than one line\n${r.stderr}`);
          if (name !== 'mysql' && k !== from) throw new Error(`${what}: interrupted run was not rolled back (at ${k}, started at ${from})`);
        } else if (r.signal === 'SIGINT') {
          // The signal came as Node tore the process down after the run ended (its handlers
          // are gone by then): the run's own outcome stands, checked above and below.
        } else if (r.code !== 0) {
          throw new Error(`${what}: exit ${r.code} signal ${r.signal}\n${r.stderr}`);
        }
        await finish(s, what);
      } catch (e) {
        s.failures++;
        failures.push((e as Error).message);
      }
    }
    expect(failures).toEqual([]);
  }, 300000);
});
