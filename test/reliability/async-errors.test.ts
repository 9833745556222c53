/**
 * User code that fails outside the promise kiln awaits (`setTimeout(() => { throw ... })`, a
 * query that is not awaited) ends in one `error:` line naming the file and exit 1, not Node's
 * crash dump; the migration's transaction is rolled back. And one SIGTERM (or Ctrl-C) ends a
 * process whose run is over but that something keeps open (it was swallowed before).
 * SQLite: what is tested is kiln's process handling, the same on every dialect.
 */
import { spawn } from 'node:child_process';
import { freshDatabase, type FreshDatabase } from '../helpers/databases';
import { testDialects } from '../helpers/dialects';
import { expectUserError, handMigration, kiln, KILN_BIN, makeProject, rmProject, writeFile, type RunResult } from '../helpers/cli';
import { inspectDb, show, tableNames } from './helpers';

const M1 = '20260501000000_box.ts';
const ASYNC = /error thrown outside the awaited code \(a callback or a promise that is not awaited\)/;
const sqlite = testDialects().find((d) => d.name === 'sqlite')!;

describe('asynchronous throws and signals after the run (sqlite)', () => {
  let dir: string;
  let db: FreshDatabase;
  let env: Record<string, string>;

  beforeEach(async () => {
    dir = makeProject({ 'kiln.config.ts': 'export default {};\n' });
    db = await freshDatabase(sqlite);
    env = { DATABASE_URL: db.url };
  });
  afterEach(async () => {
    await db.cleanup();
    rmProject(dir);
  });

  const k = (...args: string[]) => kiln(args, { cwd: dir, env });
  const noCrashDump = (r: RunResult) => expect(r.stderr).not.toMatch(/Node\.js v\d|^\s+at /m);

  test('a migration that throws in a timer: one error line naming the file, exit 1, rolled back', async () => {
    const up = "  await knex.schema.createTable('box', (t) => { t.increments('id'); });\n  setTimeout(() => { throw new Error('boom in a timer'); }, 10);\n  await new Promise((r) => setTimeout(r, 2000));";
    writeFile(dir, `migrations/${M1}`, handMigration('box', up, "  await knex.schema.dropTable('box');"));
    const r = await k('db', 'upgrade');
    expect(r.code).toBe(1);
    expectUserError(r, new RegExp(`^error: migrations/${M1}:\\d+: ${ASYNC.source}: boom in a timer$`));
    noCrashDump(r);
    const knex = db.connect();
    expect((await inspectDb(knex, 'sqlite')).applied).toEqual([]);
    expect(await tableNames(knex, 'sqlite')).not.toContain('box');
    // Fixed, it applies.
    writeFile(dir, `migrations/${M1}`, handMigration('box', "  await knex.schema.createTable('box', (t) => { t.increments('id'); });", "  await knex.schema.dropTable('box');"));
    const ok = await k('db', 'upgrade');
    expect(ok.code === 0 ? '' : show(ok)).toBe('');
  });

  test('a migration that does not await a failing query: one error line, exit 1', async () => {
    const up = "  await knex.schema.createTable('box', (t) => { t.increments('id'); });\n  void knex.raw('select * from no_such_table').then();\n  await new Promise((r) => setTimeout(r, 2000));";
    writeFile(dir, `migrations/${M1}`, handMigration('box', up, "  await knex.schema.dropTable('box');"));
    const r = await k('db', 'upgrade');
    expect(r.code).toBe(1);
    expectUserError(r, new RegExp(`^error: .*${ASYNC.source}: .*no such table: no_such_table`));
    noCrashDump(r);
    expect((await inspectDb(db.connect(), 'sqlite')).applied).toEqual([]);
  });

  test('a seed and a model that throw in a timer: one error line naming the file, exit 1', async () => {
    writeFile(dir, `migrations/${M1}`, handMigration('box', "  await knex.schema.createTable('box', (t) => { t.increments('id'); });", "  await knex.schema.dropTable('box');"));
    expect((await k('db', 'upgrade')).code).toBe(0);
    writeFile(dir, 'seeds/01_box.ts', "export async function seed(knex: any) {\n  setTimeout(() => { throw new Error('seed boom'); }, 10);\n  await new Promise((r) => setTimeout(r, 2000));\n}\n");
    const seed = await k('db', 'seed');
    expectUserError(seed, new RegExp(`^error: seeds/01_box.ts:2: ${ASYNC.source}: seed boom$`));
    noCrashDump(seed);
    writeFile(dir, 'models/box.ts', "setTimeout(() => { throw new Error('model boom'); }, 0);\nexport {};\n");
    const check = await kiln(['db', 'check'], { cwd: dir, env: { ...env, KILN_NO_FAST_PATH: '1' } });
    expectUserError(check, new RegExp(`^error: models/box.ts:1: ${ASYNC.source}: model boom$`));
    noCrashDump(check);
  });

  test('one SIGTERM ends a migration that never reaches its next statement: rolled back', async () => {
    writeFile(dir, `migrations/${M1}`, handMigration('box', "  await knex.schema.createTable('box', (t) => { t.increments('id'); });\n  console.log('created');\n  await new Promise(() => undefined);", "  await knex.schema.dropTable('box');"));
    const child = spawn(process.execPath, [KILN_BIN, 'db', 'upgrade'], { cwd: dir, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    const deadline = Date.now() + 20000;
    while (!stdout.includes('created') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const started = Date.now();
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 15000);
    const code = await exited;
    clearTimeout(killer);
    expect(Date.now() - started).toBeLessThan(10000);
    const r = { code: code ?? -1, stdout, stderr };
    expect(r.code).toBe(143);
    expectUserError(r, /^error: interrupted \(SIGTERM\): the migration did not stop within 5 s: exiting now; the database rolls the open transaction back$/);
    const knex = db.connect();
    expect(await tableNames(knex, 'sqlite')).not.toContain('box');
    expect((await inspectDb(knex, 'sqlite')).applied).toEqual([]);
  }, 40000);

  test.each(['SIGTERM', 'SIGINT'] as const)('one %s ends a process that a migration keeps open after the run', async (signal) => {
    writeFile(dir, `migrations/${M1}`, handMigration('box', "  await knex.schema.createTable('box', (t) => { t.increments('id'); });\n  setInterval(() => undefined, 1000);", "  await knex.schema.dropTable('box');"));
    const child = spawn(process.execPath, [KILN_BIN, 'db', 'upgrade'], { cwd: dir, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    // The run is over (committed) once its migration is recorded.
    const knex = db.connect();
    const deadline = Date.now() + 20000;
    while (Date.now() < deadline) {
      const tables = await tableNames(knex, 'sqlite');
      if (tables.includes('knex_migrations') && (await inspectDb(knex, 'sqlite')).applied.length === 1) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    await new Promise((r) => setTimeout(r, 300));
    child.kill(signal);
    const killer = setTimeout(() => child.kill('SIGKILL'), 6000);
    const code = await exited;
    clearTimeout(killer);
    const r = { code: code ?? -1, stdout, stderr };
    expect(r.code).toBe(signal === 'SIGTERM' ? 143 : 130);
    expect(stdout).toContain('Running upgrade <base> -> 20260501000000_box');
    expectUserError(r, /^error: interrupted \((SIGTERM|Ctrl-C)\) after the run ended: exiting$/);
    expect((await inspectDb(knex, 'sqlite')).applied).toEqual([M1]);
  }, 40000);
});
