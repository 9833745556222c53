/**
 * The Flask-Migrate lifecycle through the real binary, on every dialect of this run:
 * init, revision, upgrade, current, history, downgrade, downgrade base, stamp head, and every
 * target form.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import knexFactory from 'knex';
import { knexConfigFor } from '../../src/config/knex-config';
import { parseDatabaseUrl } from '../../src/config/url';
import { freshDatabase } from '../helpers/databases';
import { testDialects } from '../helpers/dialects';
import { copyExample, expectUserError, handMigration, kiln, makeProject, rmProject, writeFile } from '../helpers/cli';

const CONFIG = "export default { models: 'models' };\n";

function threeMigrations(dir: string): void {
  writeFile(dir, 'migrations/20260101000000_create_note.ts', handMigration('create note', "  await knex.schema.createTable('note', (t) => { t.increments('id'); t.text('body'); });", "  await knex.schema.dropTable('note');"));
  writeFile(dir, 'migrations/20260102000000_add_author.ts', handMigration('add author', "  await knex.schema.createTable('author', (t) => { t.increments('id'); t.string('name', 70); });", "  await knex.schema.dropTable('author');"));
  writeFile(dir, 'migrations/20260103000000_add_phone.ts', handMigration('add phone', "  await knex.schema.alterTable('author', (t) => { t.string('phone', 20); });", "  await knex.schema.alterTable('author', (t) => { t.dropColumn('phone'); });"));
}

describe.each(testDialects().map((d) => [d.name, d] as const))('lifecycle on %s', (_name, dialect) => {
  let dir: string;
  let env: Record<string, string>;
  let cleanup: () => Promise<void>;

  beforeEach(async () => {
    dir = makeProject({ 'kiln.config.ts': CONFIG });
    const db = await freshDatabase(dialect);
    cleanup = db.cleanup;
    env = { DATABASE_URL: db.url };
  });
  afterEach(async () => {
    await cleanup();
    rmProject(dir);
  });

  const k = (...args: string[]) => kiln(args, { cwd: dir, env });

  test('init, revision, upgrade, current, history, downgrade, base, stamp', async () => {
    fs.unlinkSync(path.join(dir, 'kiln.config.ts'));
    let r = await k('db', 'init');
    expect(r.code).toBe(0);
    expect(fs.existsSync(path.join(dir, 'migrations'))).toBe(true);
    expect(fs.existsSync(path.join(dir, 'kiln.config.ts'))).toBe(true);

    r = await k('db', 'revision', '-m', 'first step');
    expect(r.code).toBe(0);
    const files = fs.readdirSync(path.join(dir, 'migrations')).filter((f) => f.endsWith('.ts'));
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^\d{14}_first_step\.ts$/);
    const id = files[0].replace(/\.ts$/, '');

    r = await k('db', 'current');
    expect(r.stdout.trim()).toBe('<base>');

    r = await k('db', 'upgrade');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Running upgrade <base> -> ${id}, first step`);

    r = await k('db', 'current');
    expect(r.stdout.trim()).toBe(`${id} (head)`);

    r = await k('db', 'history');
    expect(r.stdout).toContain(`<base> -> ${id} (head, current), first step`);

    r = await k('db', 'downgrade');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Running downgrade ${id} -> <base>, first step`);
    expect((await k('db', 'current')).stdout.trim()).toBe('<base>');

    r = await k('db', 'downgrade', 'base');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Nothing to downgrade');

    r = await k('db', 'stamp', 'head');
    expect(r.code).toBe(0);
    expect((await k('db', 'current')).stdout.trim()).toBe(`${id} (head)`);
  });

  test('every target form', async () => {
    threeMigrations(dir);
    let r = await k('db', 'upgrade', '+1');
    expect(r.stdout.trim()).toBe('Running upgrade <base> -> 20260101000000_create_note, create note');
    r = await k('db', 'upgrade', '20260102');
    expect(r.stdout.trim()).toBe('Running upgrade 20260101000000_create_note -> 20260102000000_add_author, add author');
    r = await k('db', 'upgrade', 'head');
    expect(r.stdout.trim()).toBe('Running upgrade 20260102000000_add_author -> 20260103000000_add_phone, add phone');
    r = await k('db', 'downgrade', '-2');
    expect(r.stdout.trim().split('\n')).toEqual([
      'Running downgrade 20260103000000_add_phone -> 20260102000000_add_author, add phone',
      'Running downgrade 20260102000000_add_author -> 20260101000000_create_note, add author',
    ]);
    r = await k('db', 'upgrade', '20260103000000_add_phone.ts');
    expect(r.code).toBe(0);
    r = await k('db', 'downgrade', '20260101000000_create_note');
    expect(r.stdout.trim().split('\n')).toHaveLength(2);
    expect((await k('db', 'current')).stdout.trim()).toBe('20260101000000_create_note');
    r = await k('db', 'stamp', '+1');
    expect((await k('db', 'current')).stdout.trim()).toBe('20260102000000_add_author');
    r = await k('db', 'stamp', '-1');
    expect((await k('db', 'current')).stdout.trim()).toBe('20260101000000_create_note');
    r = await k('db', 'stamp', 'base');
    expect((await k('db', 'current')).stdout.trim()).toBe('<base>');
    r = await k('db', 'stamp', 'head');
    r = await k('db', 'show', '20260102');
    expect(r.stdout).toContain('Rev: 20260102000000_add_author');
    expect(r.stdout).toContain('Parent: 20260101000000_create_note');
    const json = JSON.parse((await k('db', 'current', '--json')).stdout);
    expect(json.current.id).toBe('20260103000000_add_phone');
    expect(json.head).toBe('20260103000000_add_phone');
    const hist = JSON.parse((await k('db', 'history', '--json')).stdout);
    expect(hist.revisions.map((x: { id: string }) => x.id)).toEqual(['20260103000000_add_phone', '20260102000000_add_author', '20260101000000_create_note']);
  });

  test('bad targets fail with one line and change nothing', async () => {
    threeMigrations(dir);
    await k('db', 'upgrade', '+1');
    expectUserError(await k('db', 'upgrade', 'nope'), /unknown target 'nope'/);
    expectUserError(await k('db', 'upgrade', '2026010'), /ambiguous target '2026010'/);
    expectUserError(await k('db', 'upgrade', '+5'), /only 2 migration\(s\) pending/);
    expectUserError(await k('db', 'downgrade', '-3'), /only 1 migration\(s\) applied/);
    expectUserError(await k('db', 'upgrade', '+0'), /must not be zero/);
    expectUserError(await k('db', 'upgrade', '-1'), /use 'kiln db downgrade -1'/);
    expectUserError(await k('db', 'downgrade', '20260103'), /is not applied/);
    expect((await k('db', 'current')).stdout.trim()).toBe('20260101000000_create_note');
  });

  test('a failing migration is rolled back and reported with file and statement', async () => {
    threeMigrations(dir);
    writeFile(dir, 'migrations/20260104000000_broken.ts', handMigration('broken', "  await knex.schema.createTable('tmp_a', (t) => { t.increments('id'); });\n  await knex.raw('select * from no_such_table_xyz');", "  await knex.schema.dropTable('tmp_a');"));
    const r = await k('db', 'upgrade');
    expectUserError(r, /migration migrations\/20260104000000_broken\.ts failed: .*no_such_table_xyz/);
    const cur = (await k('db', 'current')).stdout.trim();
    // Transactional DDL: the whole run is undone; MySQL keeps what DDL committed (earlier migrations).
    if (dialect.name === 'mysql') expect(cur).toBe('20260103000000_add_phone');
    else expect(cur).toBe('<base>');
    fs.writeFileSync(path.join(dir, 'migrations/20260104000000_broken.ts'), handMigration('fixed', "  await knex.schema.createTableIfNotExists('tmp_a', (t) => { t.increments('id'); });", "  await knex.schema.dropTable('tmp_a');"));
    const again = await k('db', 'upgrade');
    expect(again.code).toBe(0);
    expect((await k('db', 'current')).stdout.trim()).toBe('20260104000000_broken (head)');
  });

  test("a failing migration's rows are rolled back even after earlier DDL (MySQL autocommits after DDL)", async () => {
    threeMigrations(dir);
    writeFile(dir, 'migrations/20260104000000_fill.ts', handMigration('fill', "  await knex('note').insert({ body: 'half' });\n  await knex.raw('select * from no_such_table_xyz');", "  await knex('note').del();"));
    const r = await k('db', 'upgrade');
    expectUserError(r, /20260104000000_fill\.ts failed/);
    const applied = (await k('db', 'current')).stdout.trim();
    // The DDL-only migrations before it stay on MySQL (recorded); everything is undone elsewhere.
    if (dialect.name === 'mysql') {
      expect(applied).toBe('20260103000000_add_phone');
    } else expect(applied).toBe('<base>');
    if (dialect.name === 'mysql') {
      const knex = knexFactory(knexConfigFor(parseDatabaseUrl(env.DATABASE_URL)));
      try {
        expect(await knex('note').select('body')).toEqual([]);
      } finally {
        await knex.destroy();
      }
    }
  });

  test('offline --sql prints SQL and changes nothing', async () => {
    threeMigrations(dir);
    const r = await k('db', 'upgrade', '--sql');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/create table .?note.?/i);
    expect(r.stdout).toMatch(/insert into .?knex_migrations.?/i);
    expect((await k('db', 'current')).stdout.trim()).toBe('<base>');
    const hist = JSON.parse((await k('db', 'history', '--json')).stdout);
    expect(hist.revisions.every((x: { applied: boolean }) => !x.applied)).toBe(true);
  });
});

describe('init refuses a non-empty folder', () => {
  test('exit 1, nothing written', async () => {
    const dir = makeProject({ 'migrations/x.ts': '// x\n' });
    const r = await kiln(['db', 'init'], { cwd: dir });
    expectUserError(r, /already exists and is not empty/);
    expect(fs.existsSync(path.join(dir, 'kiln.config.ts'))).toBe(false);
    rmProject(dir);
  });
});

describe('a --rename that matches nothing is refused', () => {
  test('one line, exit 1, no file written', async () => {
    const dir = copyExample();
    try {
      const env = { DATABASE_URL: `sqlite:///${path.join(dir, 'x.db')}` };
      expect((await kiln(['db', 'upgrade'], { cwd: dir, env })).code).toBe(0);
      const model = path.join(dir, 'models', 'post-comment.ts');
      fs.writeFileSync(model, fs.readFileSync(model, 'utf8').replace('title: String(50)', 'headline: String(50)'));
      const before = fs.readdirSync(path.join(dir, 'migrations'));
      const r = await kiln(['db', 'migrate', '-m', 'typo', '--rename', 'post.titel=headline'], { cwd: dir, env });
      expectUserError(r, /--rename post\.titel=headline: no such removed and added pair/);
      expect(fs.readdirSync(path.join(dir, 'migrations'))).toEqual(before);
      const ok = await kiln(['db', 'migrate', '-m', 'rename', '--rename', 'post.title=headline'], { cwd: dir, env });
      expect(ok.code).toBe(0);
      expect(ok.stdout).toContain("Detected renamed column 'post.title' to 'headline'");
    } finally {
      rmProject(dir);
    }
  });
});

const pg = testDialects().find((d) => d.name === 'postgres');
(pg ? describe : describe.skip)('PostgreSQL --schema', () => {
  test('manages another schema than public; a missing schema is one line', async () => {
    const dir = copyExample();
    const db = await freshDatabase(pg!);
    try {
      const env = { DATABASE_URL: db.url };
      expectUserError(await kiln(['db', 'current', '--schema', 'nosuch'], { cwd: dir, env }), /schema 'nosuch' does not exist/);
      await db.connect().raw('create schema app');
      expect((await kiln(['db', 'upgrade', '--schema', 'app'], { cwd: dir, env })).code).toBe(0);
      const check = await kiln(['db', 'check', '--schema', 'app'], { cwd: dir, env });
      expect(check.stdout).toContain('No new upgrade operations detected.');
      expect((await kiln(['db', 'current'], { cwd: dir, env: { DATABASE_URL: `${db.url}?schema=app` } })).stdout).toMatch(/\(head\)/);
      expect((await kiln(['db', 'current'], { cwd: dir, env })).stdout.trim()).toBe('<base>');
    } finally {
      await db.cleanup();
      rmProject(dir);
    }
  });
});
