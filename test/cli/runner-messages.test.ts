/**
 * What the runner tells the user in the cases that used to be silent or misleading: a second
 * `db upgrade` waiting on the lock says so; `db unlock` says when nothing was locked;
 * `db downgrade` at base says it is already there; a migration's own JavaScript error does not
 * name the last (successful) SQL statement as the one that failed; `db history` and `db check`
 * warn about an edited applied migration as `db current` does.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { freshDatabase, type FreshDatabase } from '../helpers/databases';
import { testDialects } from '../helpers/dialects';
import { copyExample, expectUserError, handMigration, kiln, makeProject, rmProject, writeFile } from '../helpers/cli';
import { show } from '../reliability/helpers';

const WAITING = 'waiting for the migration lock held by another kiln/knex process...';
const EDITED = /^warning: applied migration migrations\/\S+ changed since it was applied: the database does not run the edit/m;

describe.each(testDialects().map((d) => [d.name, d] as const))('runner messages on %s', (name, dialect) => {
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

  const k = (...args: string[]) => kiln(args, { cwd: dir, env });

  test('an upgrade waiting on the lock says so after a second, then finds nothing to do', async () => {
    // The migration says when it runs (the holder has the lock), then holds it until the test
    // has seen every waiter say it waits (so a slow start of a waiter cannot miss the lock).
    const up = "  await knex.schema.createTable('slow', (t) => { t.increments('id'); });\n  const fs = require('node:fs');\n  fs.writeFileSync('inside', '');\n  const until = Date.now() + 40000;\n  while (!fs.existsSync('release') && Date.now() < until) await new Promise((r) => setTimeout(r, 50));";
    writeFile(dir, 'migrations/20260601000000_slow.ts', handMigration('slow', up, "  await knex.schema.dropTable('slow');"));
    const holder = k('db', 'upgrade');
    const deadline = Date.now() + 20000;
    while (!fs.existsSync(path.join(dir, 'inside')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const waitEnv = { ...env, KILN_LOCK_TIMEOUT: '30' };
    // SQLite: through the fast path (src/cli/fast.ts) and through the runner.
    const envs = [waitEnv, ...(name === 'sqlite' ? [{ ...waitEnv, KILN_NO_FAST_PATH: '1' }] : [])];
    const seen = envs.map(() => '');
    const waiting = envs.map((e, i) => kiln(['db', 'upgrade'], { cwd: dir, env: e, onStderr: (c) => (seen[i] += c) }));
    const seenBy = Date.now() + 30000;
    while (!seen.every((s) => s.includes(WAITING)) && Date.now() < seenBy) await new Promise((r) => setTimeout(r, 50));
    fs.writeFileSync(path.join(dir, 'release'), '');
    const waiters = await Promise.all(waiting);
    const first = await holder;
    expect(first.code === 0 ? '' : show(first)).toBe('');
    expect(first.stderr).toBe('');
    for (const w of waiters) {
      expect(w.code === 0 ? '' : show(w)).toBe('');
      expect(w.stderr).toBe(`${WAITING}\n`);
      expect(w.stdout).toBe('Nothing to upgrade: database is at 20260601000000_slow (head).\n');
    }
  }, 60000);

  test('db unlock says whether there was a lock to clear', async () => {
    expect((await k('db', 'unlock')).stdout).toBe('No lock table: nothing to clear.\n');
    writeFile(dir, 'migrations/20260601000000_box.ts', handMigration('box', "  await knex.schema.createTable('box', (t) => { t.increments('id'); });", "  await knex.schema.dropTable('box');"));
    expect((await k('db', 'upgrade')).code).toBe(0);
    const notLocked = await k('db', 'unlock');
    expect(notLocked.code === 0 ? '' : show(notLocked)).toBe('');
    expect(notLocked.stdout).toBe('Not locked: nothing to clear.\n');
    await db.connect()('knex_migrations_lock').update({ is_locked: 1 });
    expect((await k('db', 'unlock')).stdout).toBe('Lock cleared.\n');
    expect((await k('db', 'unlock')).stdout).toBe('Not locked: nothing to clear.\n');
  });

  // The rest is dialect-free (messages and planning): SQLite only.
  if (name !== 'sqlite') return;

  test('db downgrade at base says the database is already at base', async () => {
    writeFile(dir, 'migrations/20260601000000_box.ts', handMigration('box', "  await knex.schema.createTable('box', (t) => { t.increments('id'); });", "  await knex.schema.dropTable('box');"));
    const r = await k('db', 'downgrade');
    expectUserError(r, /^error: cannot downgrade by -1: the database is already at base \(no migration applied\)$/);
    const base = await k('db', 'downgrade', 'base');
    expect(base.code === 0 ? '' : show(base)).toBe('');
    expect(base.stdout).toBe('Nothing to downgrade: database is already at base.\n');
  });

  test("a migration's own JavaScript error names no SQL statement; a SQL error still does", async () => {
    const file = 'migrations/20260601000000_box.ts';
    writeFile(dir, file, handMigration('box', "  await knex.schema.createTable('box', (t) => { t.increments('id'); });\n  await knex('box').insert({});\n  throw new Error('my own check failed');", "  await knex.schema.dropTable('box');"));
    const r = await k('db', 'upgrade');
    expectUserError(r, new RegExp(`^error: migration ${file} failed: my own check failed$`));
    // A statement that fails after the error of one the migration caught names the failed one.
    writeFile(dir, file, handMigration('box', "  await knex.schema.createTable('box', (t) => { t.increments('id'); });\n  await knex.raw('select * from no_such_table').catch(() => undefined);\n  await knex('box').insert({});\n  throw new Error('after a caught SQL error');", "  await knex.schema.dropTable('box');"));
    const caught = await k('db', 'upgrade');
    expectUserError(caught, /^error: migration \S+ failed: after a caught SQL error \(statement: select \* from no_such_table\)$/);
    writeFile(dir, file, handMigration('box', "  await knex.schema.createTable('box', (t) => { t.increments('id'); });\n  await knex.raw('update no_such_table set x = 1');", "  await knex.schema.dropTable('box');"));
    const sql = await k('db', 'upgrade');
    expectUserError(sql, /^error: migration \S+ failed: SQLITE_ERROR: no such table: no_such_table \(statement: update no_such_table set x = 1\)$/);
  });

  test('db history and db check warn about an edited applied migration, as db current does', async () => {
    rmProject(dir);
    dir = copyExample();
    expect((await k('db', 'upgrade')).code).toBe(0);
    const clean = await k('db', 'history');
    expect(clean.stderr).toBe('');
    const first = fs.readdirSync(path.join(dir, 'migrations')).filter((f) => f.endsWith('.ts')).sort()[0];
    fs.appendFileSync(path.join(dir, 'migrations', first), '\n// edited after it was applied\n');
    for (const args of [['db', 'current'], ['db', 'history'], ['db', 'check']]) {
      for (const fast of [undefined, '1']) {
        const r = await kiln(args, { cwd: dir, env: { ...env, KILN_NO_FAST_PATH: fast } });
        expect(r.code === 0 ? '' : show(r)).toBe('');
        expect(r.stderr).toMatch(EDITED);
        expect(r.stderr).toContain(first);
      }
    }
  }, 60000);
});
