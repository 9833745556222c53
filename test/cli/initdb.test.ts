/**
 * `kiln initdb` on the repository's example, on every dialect of this run: create_all on an
 * empty database, a second run that creates nothing, `--drop --yes`, the refusal without a
 * terminal, and the tutorial's confirmation prompt answered n and y in a real pseudo-terminal.
 */
import type { Knex } from 'knex';
import { freshDatabase, type FreshDatabase } from '../helpers/databases';
import { testDialects } from '../helpers/dialects';
import { copyExample, expectUserError, kiln, rmProject } from '../helpers/cli';
import { kilnInPty } from '../helpers/pty';
import { introspect } from '../../src/introspect';

const TABLES = [
  'article', 'association', 'author', 'book', 'capital', 'citizen', 'city', 'comment', 'country',
  'draft', 'note', 'post', 'product', 'shop_order', 'singer', 'song', 'student', 'teacher', 'writer',
];
const QUESTION = /This operation will delete the database, do you want to continue\?/;

describe.each(testDialects().map((d) => [d.name, d] as const))('initdb on %s', (_name, dialect) => {
  let dir: string;
  let db: FreshDatabase;
  let knex: Knex;
  let env: Record<string, string>;

  beforeAll(async () => {
    dir = copyExample({ migrations: false });
    db = await freshDatabase(dialect);
    env = { DATABASE_URL: db.url };
  });
  afterAll(async () => {
    await db.cleanup();
    rmProject(dir);
  });

  const k = (...args: string[]) => kiln(args, { cwd: dir, env });
  const tables = async () => {
    if (!knex) knex = db.connect();
    const s = await introspect(knex, dialect.name);
    return s.tables.map((t) => t.name).sort();
  };
  const count = async (table: string) => Number((await knex(table).count({ n: '*' }))[0].n);
  const seed = async () => {
    const r = await k('db', 'seed');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(await count('note')).toBe(3);
    expect(await count('comment')).toBe(4);
  };

  test('on an empty database creates all 19 tables; a second run creates nothing', async () => {
    expect(await tables()).toEqual([]);
    let r = await k('initdb');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Initialized database.');
    const created = /Created tables: (.*)/.exec(r.stdout)?.[1].split(', ').sort();
    expect(created).toEqual(TABLES);
    expect(await tables()).toEqual(TABLES);
    // create_all does not touch the migration record.
    expect(await knex.schema.hasTable('knex_migrations')).toBe(false);

    r = await k('initdb');
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('Created tables');
    expect(r.stdout).toContain('nothing to create');
    expect(r.stdout).toContain('Initialized database.');
    expect(await tables()).toEqual(TABLES);
  });

  test('--drop --yes drops and rebuilds: the data is gone, the tables are back', async () => {
    await seed();
    const r = await k('initdb', '--drop', '--yes');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Drop tables\./m);
    expect(r.stdout).toContain('Initialized database.');
    expect(await tables()).toEqual(TABLES);
    for (const t of TABLES) expect([t, await count(t)]).toEqual([t, 0]);
  });

  test('--drop with no terminal refuses, exits non-zero and drops nothing', async () => {
    await seed();
    let r = await kiln(['initdb', '--drop'], { cwd: dir, env: { ...env, CI: undefined } });
    expectUserError(r, /refusing to drop tables: no terminal to ask for confirmation; pass --yes/);
    expect(r.stdout).toBe('');
    r = await kiln(['initdb', '--drop'], { cwd: dir, env: { ...env, CI: 'true' } });
    expectUserError(r, /refusing to drop tables: CI=true/);
    expect(r.stdout).toBe('');
    expect(await tables()).toEqual(TABLES);
    expect(await count('note')).toBe(3);
    expect(await count('comment')).toBe(4);
  });

  test('in a terminal with CI=true: refuses without asking (a CI job must not hang on a prompt)', async () => {
    const r = await kilnInPty(['initdb', '--drop'], { cwd: dir, env: { ...env, CI: 'true' }, timeoutMs: 20000 });
    expect(r.stdout).not.toMatch(QUESTION);
    expect(r.code).not.toBe(0);
    expect(r.stdout).toMatch(/error: refusing to drop tables: CI=true.*--yes/);
    expect(await count('note')).toBe(3);
  });

  test('in a terminal, the prompt answered n keeps the data', async () => {
    const r = await kilnInPty(['initdb', '--drop'], { cwd: dir, env, answers: [[QUESTION, 'n']] });
    expect(r.stdout).toMatch(QUESTION);
    expect(r.code).not.toBe(0);
    expect(r.stdout).toContain('nothing was dropped');
    expect(r.stdout).not.toContain('Initialized database.');
    expect(await tables()).toEqual(TABLES);
    expect(await count('note')).toBe(3);
    expect(await count('comment')).toBe(4);
  });

  test('in a terminal, Ctrl-C at the prompt: exit 130, one line, nothing dropped', async () => {
    const r = await kilnInPty(['initdb', '--drop'], { cwd: dir, env, answers: [[QUESTION, '\x03']] });
    expect(r.code).toBe(130);
    expect(r.stdout).toMatch(/^error: aborted .*nothing was changed$/m);
    expect(r.stdout).not.toMatch(/\n\s+at .*:\d+:\d+/);
    expect(await count('note')).toBe(3);
  });

  test('in a terminal, the prompt answered y drops and rebuilds', async () => {
    const r = await kilnInPty(['initdb', '--drop'], { cwd: dir, env, answers: [[QUESTION, 'y']] });
    expect(r.stdout).toMatch(QUESTION);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Initialized database.');
    expect(await tables()).toEqual(TABLES);
    expect(await count('note')).toBe(0);
    expect(await count('comment')).toBe(0);
  });

  test('in a terminal, Enter alone takes the default (No)', async () => {
    await seed();
    const r = await kilnInPty(['initdb', '--drop'], { cwd: dir, env, answers: [[QUESTION, '']] });
    expect(r.code).not.toBe(0);
    expect(await count('note')).toBe(3);
  });
});
