/**
 * `kiln db lint` and `kiln db upgrade --plan` through the real binary, on every database: a
 * populated schema, then a pending hand-written migration that adds an index, a foreign key, a
 * NOT NULL column and drops a column. The findings, the exit code for CI, `--json`, an accepted
 * finding, and --plan's locks; nothing is changed by either command.
 */
import type { Knex } from 'knex';
import { freshDatabase, type FreshDatabase } from '../helpers/databases';
import { testDialects } from '../helpers/dialects';
import { handMigration, kiln, makeProject, rmProject, writeFile, type RunResult } from '../helpers/cli';

const CONFIG = "export default { models: 'models' };\n";

const CREATE = handMigration(
  'create',
  `  await knex.schema.createTable('account', (t) => { t.increments('id'); t.string('email', 50); t.text('note'); });
  await knex.schema.createTable('post', (t) => { t.increments('id'); t.integer('account_id').unsigned(); t.string('title', 50); });`,
  `  await knex.schema.dropTable('post');
  await knex.schema.dropTable('account');`,
);

const CHANGE = (allow = '') =>
  handMigration(
    'change',
    `${allow}  await knex.schema.alterTable('post', (t) => { t.index(['title']); t.foreign('account_id').references('account.id'); });
  await knex.schema.alterTable('account', (t) => { t.dropColumn('note'); });`,
    `  await knex.schema.alterTable('account', (t) => { t.text('note'); });
  await knex.schema.alterTable('post', (t) => { t.dropForeign(['account_id']); t.dropIndex(['title']); });`,
  );

interface Json {
  migrations: { name: string; statements: { sql: string; locks: { table: string; mode: string }[]; findings: { rule: string; allowed: boolean }[] }[] }[];
  counts: { error: number; warning: number; info: number };
}

/** The rules each database breaks with CHANGE on populated tables (SQLite: a rebuild, nothing that stalls other sessions). */
const EXPECTED: Record<string, string[]> = {
  postgres: ['backward-incompatible', 'blocking-index-build', 'missing-lock-timeout', 'validation-under-lock'],
  mysql: ['backward-incompatible', 'missing-lock-timeout', 'table-copy', 'validation-under-lock'],
  sqlite: ['backward-incompatible'],
};

describe.each(testDialects().map((d) => [d.name, d] as const))('kiln db lint on %s', (name, dialect) => {
  let dir: string;
  let db: FreshDatabase;
  let knex: Knex;
  let env: Record<string, string>;
  const k = (...args: string[]) => kiln(args, { cwd: dir, env });
  const ok = (r: RunResult) => {
    if (r.code !== 0) throw new Error(`exit ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
    return r;
  };

  beforeEach(async () => {
    dir = makeProject({ 'kiln.config.ts': CONFIG, 'models/.keep': '', 'migrations/20260101000000_create.ts': CREATE });
    db = await freshDatabase(dialect);
    knex = db.connect();
    env = { DATABASE_URL: db.url };
    ok(await k('db', 'upgrade'));
    await knex('account').insert([{ email: 'a@x' }, { email: 'b@x' }]);
    await knex('post').insert([{ account_id: 1, title: 'one' }]);
  });
  afterEach(async () => {
    await db.cleanup();
    rmProject(dir);
  });

  test('findings per rule, exit 1 for CI, --json, and nothing changed', async () => {
    writeFile(dir, 'migrations/20260102000000_change.ts', CHANGE());
    const r = await k('db', 'lint', '--json');
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as Json;
    expect(report.migrations.map((m) => m.name)).toEqual(['20260102000000_change.ts']);
    const rules = [...new Set(report.migrations[0].statements.flatMap((s) => s.findings.map((f) => f.rule)))].sort();
    expect(rules).toEqual(EXPECTED[name]);
    expect(report.counts.warning).toBeGreaterThan(0);

    const text = await k('db', 'lint');
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/warning backward-incompatible: drops column "account"\."note"/);
    expect(text.stdout).toMatch(/fix for backward-incompatible: Expand, then contract/);
    expect(text.stdout).toMatch(/1 migration\(s\), \d+ statement\(s\): 0 error\(s\), \d+ warning\(s\)/);
    expect((await k('db', 'lint', '--fail-on', 'error')).code).toBe(0);

    // Linting changed nothing: the migration is still pending and the column still there.
    expect((await knex('account').select('note')).length).toBe(2);
    expect(Number((await knex('knex_migrations').count({ n: '*' }))[0].n)).toBe(1);
  });

  test('kiln-lint-allow comments accept findings: exit 0, shown as allowed', async () => {
    writeFile(dir, 'migrations/20260102000000_change.ts', CHANGE(`  // kiln-lint-allow: ${EXPECTED[name].join(', ')} -- reviewed: low traffic window\n`));
    const r = ok(await k('db', 'lint'));
    expect(r.stdout).toMatch(/allowed backward-incompatible/);
    expect(r.stdout).toMatch(/0 error\(s\), 0 warning\(s\)/);
  });

  test('upgrade --plan lists every statement with its lock, and runs nothing', async () => {
    writeFile(dir, 'migrations/20260102000000_change.ts', CHANGE());
    const r = ok(await k('db', 'upgrade', '--plan'));
    expect(r.stdout).toMatch(/^20260102000000_change\.ts$/m);
    const lockOfDrop: Record<string, RegExp> = {
      postgres: /ACCESS EXCLUSIVE on "account" \(blocks reads and writes\)/,
      mysql: /(INPLACE|INSTANT), LOCK=NONE on "account" \(reads and writes go on\)/,
      sqlite: /database write lock on "account" \(blocks writes\)/,
    };
    expect(r.stdout).toMatch(lockOfDrop[name]);
    if (name !== 'sqlite') expect(r.stdout).toMatch(name === 'postgres' ? /SHARE on "post" \(blocks writes\)/ : /COPY, LOCK=SHARED on "post" \(blocks writes\)/);
    expect(Number((await knex('knex_migrations').count({ n: '*' }))[0].n)).toBe(1);
  });

  test('nothing pending: nothing to lint, exit 0', async () => {
    const r = ok(await k('db', 'lint'));
    expect(r.stdout).toMatch(/Nothing to lint: no pending migrations/);
  });

  test('an index on a table created in the same run, or on an empty table, is not a finding', async () => {
    writeFile(
      dir,
      'migrations/20260102000000_fresh.ts',
      handMigration('fresh', "  await knex.schema.createTable('fresh', (t) => { t.increments('id'); t.string('a', 20).index(); });", "  await knex.schema.dropTable('fresh');"),
    );
    await knex('post').del();
    writeFile(dir, 'migrations/20260103000000_idx.ts', handMigration('idx', "  await knex.schema.alterTable('post', (t) => { t.index(['title']); });", "  await knex.schema.alterTable('post', (t) => { t.dropIndex(['title']); });"));
    const r = await k('db', 'lint', '--json');
    const report = JSON.parse(r.stdout) as Json;
    const rules = report.migrations.flatMap((m) => m.statements.flatMap((s) => s.findings.map((f) => f.rule)));
    expect(rules.filter((x) => x !== 'missing-lock-timeout')).toEqual([]);
  });
});

describe.each(testDialects().map((d) => [d.name, d] as const))('kiln db migrate prints the lint findings of the file it wrote, on %s', (name, dialect) => {
  let dir: string;
  let db: FreshDatabase;
  let env: Record<string, string>;
  const k = (...args: string[]) => kiln(args, { cwd: dir, env });
  const MODEL = (index: string) => `import { model, Integer, String } from 'kiln';\nexport const Post = model('Post', { id: Integer().primaryKey(), title: String(50)${index} });\n`;

  beforeAll(async () => {
    dir = makeProject({ 'kiln.config.ts': CONFIG, 'migrations/.keep': '', 'models/post.ts': MODEL('') });
    db = await freshDatabase(dialect);
    env = { DATABASE_URL: db.url };
  });
  afterAll(async () => {
    await db.cleanup();
    rmProject(dir);
  });

  test('an index on a populated table', async () => {
    const first = await k('db', 'migrate', '-m', 'post');
    expect(first.code).toBe(0);
    expect(first.stdout).not.toMatch(/lint:/); // a new table: nothing to say
    expect((await k('db', 'upgrade')).code).toBe(0);
    await db.connect()('post').insert([{ title: 'a' }, { title: 'b' }]);
    writeFile(dir, 'models/post.ts', MODEL('.index()'));
    // The plain form: the online one (the default) has nothing to report (test/cli/online.test.ts).
    const r = await k('db', 'migrate', '-m', 'index title', '--no-online');
    expect(r.code).toBe(0);
    const expected: Record<string, RegExp | null> = {
      postgres: /lint: warning blocking-index-build: index "post_title_index" is built on "post" \(2 rows\) while writes wait/,
      mysql: /lint: warning missing-lock-timeout/,
      sqlite: null,
    };
    if (expected[name]) expect(r.stdout).toMatch(expected[name]!);
    else expect(r.stdout).not.toMatch(/lint:/);
    const quiet = await k('db', 'migrate', '-m', 'nothing', '--no-lint');
    expect(quiet.stdout).not.toMatch(/lint:/);
  });
});
