/**
 * kiln keeps Knex's own bookkeeping, so the Knex CLI and kiln take turns on one database and
 * one migrations folder, on every dialect of this run:
 * - `knex migrate:status` / `migrate:currentVersion` read what kiln applied;
 * - `knex migrate:latest` / `migrate:rollback` run kiln's generated TypeScript migrations
 *   (Knex needs a loader for .ts: sucrase's require hook), and kiln reads what Knex applied;
 * - kiln takes over a folder of plain .js migrations that Knex started.
 * The project links node_modules/kiln and node_modules/knex to this repository's, as a project
 * that installs both would have them (generated SQLite rebuilds import 'kiln/sqlite').
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Knex } from 'knex';
import { freshDatabase, type FreshDatabase } from '../helpers/databases';
import { testDialects } from '../helpers/dialects';
import { copyExample, kiln, makeProject, REPO, rmProject, run, writeFile } from '../helpers/cli';
import { knexConfigFor } from '../../src/config/knex-config';
import { parseDatabaseUrl } from '../../src/config/url';

const KNEX_CLI = path.join(REPO, 'node_modules/knex/bin/cli.js');
const SUCRASE_TS = require.resolve('sucrase/register/ts', { paths: [REPO] });
const REPO_MIGRATIONS = fs.readdirSync(path.join(REPO, 'migrations')).filter((f) => f.endsWith('.ts')).sort();
/** The head of the repo's history (the shop, which holds a body per database: kiln/migrate's byDialect, which Knex loads too). */
const REPO_MIGRATION = REPO_MIGRATIONS[REPO_MIGRATIONS.length - 1];
const REPO_ID = REPO_MIGRATION.replace(/\.ts$/, '');
const N = REPO_MIGRATIONS.length;

/** A knexfile.js on the same database, as a Knex user would write it. */
function writeKnexfile(dir: string, url: string): void {
  const parsed = parseDatabaseUrl(url);
  const migrations = { directory: './migrations', tableName: 'knex_migrations' };
  if (parsed.dialect === 'sqlite') {
    writeFile(dir, 'knexfile.js', `module.exports = ${JSON.stringify({ client: 'sqlite3', useNullAsDefault: true, connection: { filename: parsed.filename }, migrations }, null, 2)};\n`);
    return;
  }
  const config = { ...knexConfigFor(parsed), migrations };
  writeFile(dir, 'knexfile.js', `module.exports = ${JSON.stringify(config, null, 2)};\n`);
}

/** node_modules/knex and node_modules/kiln, as in a project that installs both. */
function linkKiln(dir: string): void {
  fs.mkdirSync(path.join(dir, 'node_modules'), { recursive: true });
  fs.symlinkSync(REPO, path.join(dir, 'node_modules/kiln'), 'dir');
  fs.symlinkSync(path.join(REPO, 'node_modules/knex'), path.join(dir, 'node_modules/knex'), 'dir');
}

/** `node -r sucrase/register/ts node_modules/knex/bin/cli.js ...` in the project. */
function knexCli(dir: string, ...args: string[]) {
  return run(process.execPath, ['-r', SUCRASE_TS, KNEX_CLI, '--knexfile', path.join(dir, 'knexfile.js'), ...args], { cwd: dir });
}

const SON_EDIT = (dir: string) => {
  const model = path.join(dir, 'models/student-teacher.ts');
  fs.writeFileSync(model, fs.readFileSync(model, 'utf8').replace('office: String(20),', 'office: String(20),\n    son: String(20).index(),'));
};

describe.each(testDialects().map((d) => [d.name, d] as const))('Knex CLI and kiln on %s', (_name, dialect) => {
  let dir: string;
  let db: FreshDatabase;
  let knex: Knex;
  let env: Record<string, string>;

  beforeEach(async () => {
    db = await freshDatabase(dialect);
    knex = db.connect();
    env = { DATABASE_URL: db.url };
  });
  afterEach(async () => {
    await db.cleanup();
    rmProject(dir);
  });
  const k = (...args: string[]) => kiln(args, { cwd: dir, env });
  const ok = (r: { code: number; stdout: string; stderr: string }) => {
    if (r.code !== 0) throw new Error(`exit ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
    return r;
  };

  test('Knex reads what kiln applied, applies and rolls back what kiln generated', async () => {
    dir = copyExample();
    linkKiln(dir);
    writeKnexfile(dir, db.url);
    ok(await k('db', 'upgrade'));

    let r = ok(await knexCli(dir, 'migrate:status'));
    expect(r.stdout).toContain(`Found ${N} Completed Migration file/files.`);
    for (const f of REPO_MIGRATIONS) expect(r.stdout).toContain(f);
    expect(r.stdout).toContain('No Pending Migration files Found.');
    r = ok(await knexCli(dir, 'migrate:currentVersion'));
    expect(r.stdout).toContain(`Current Version: ${REPO_ID.slice(0, 14)}`);

    SON_EDIT(dir);
    const gen = ok(await k('db', 'migrate', '-m', 'test test'));
    const file = path.basename(/Generating (.*) \.\.\. done/.exec(gen.stdout)?.[1] ?? '');
    expect(file).toMatch(/^\d{14}_test_test\.ts$/);
    // Two ops (column, index) on an existing table: on PostgreSQL and MySQL the online-safe form,
    // steps of kiln/online in a migration without a transaction, which Knex loads and honours too.
    const source = fs.readFileSync(path.join(dir, 'migrations', file), 'utf8');
    expect(source.includes("from 'kiln/online';")).toBe(dialect.name !== 'sqlite');
    expect(source.includes('export const config = { transaction: false };')).toBe(dialect.name !== 'sqlite');
    r = ok(await knexCli(dir, 'migrate:status'));
    expect(r.stdout).toContain('Found 1 Pending Migration file/files.');
    expect(r.stdout).toContain(file);

    r = ok(await knexCli(dir, 'migrate:latest'));
    expect(r.stdout).toContain('Batch 2 run: 1 migrations');
    expect(await knex.schema.hasColumn('teacher', 'son')).toBe(true);
    expect((await k('db', 'current')).stdout.trim()).toBe(`${file.replace(/\.ts$/, '')} (head)`);
    ok(await k('db', 'check'));

    r = ok(await knexCli(dir, 'migrate:rollback'));
    expect(r.stdout).toContain('Batch 2 rolled back: 1 migrations');
    expect(await knex.schema.hasColumn('teacher', 'son')).toBe(false);
    expect((await k('db', 'current')).stdout.trim()).toBe(REPO_ID);
    // And kiln moves forward again from where Knex left it.
    r = ok(await k('db', 'upgrade'));
    expect(r.stdout.trim()).toBe(`Running upgrade ${REPO_ID} -> ${file.replace(/\.ts$/, '')}, test test`);

    // Knex rolls back what kiln applied, the file is edited (allowed: it is not applied), Knex
    // applies it again: kiln must not call it "edited since applied" (its checksum is Knex's run's).
    ok(await knexCli(dir, 'migrate:rollback'));
    fs.appendFileSync(path.join(dir, 'migrations', file), '// reviewed\n');
    ok(await knexCli(dir, 'migrate:latest'));
    r = ok(await k('db', 'current'));
    expect(r.stdout.trim()).toBe(`${file.replace(/\.ts$/, '')} (head)`);
    expect(r.stderr).toBe('');
    r = ok(await k('db', 'upgrade'));
    expect(r.stderr).toBe('');
    // kiln reverts what Knex applied, and applies it again.
    r = ok(await k('db', 'downgrade'));
    expect(r.stdout.trim()).toBe(`Running downgrade ${file.replace(/\.ts$/, '')} -> ${REPO_ID}, test test`);
    r = ok(await k('db', 'upgrade'));
    expect((await k('db', 'current')).stderr).toBe('');
  }, 180000); // 14 CLI runs (about 50 s on a loaded 2-core machine)

  test("knex migrate:latest on a fresh database runs kiln's folder; kiln carries on", async () => {
    dir = copyExample();
    linkKiln(dir);
    writeKnexfile(dir, db.url);
    let r = ok(await knexCli(dir, 'migrate:latest'));
    expect(r.stdout).toContain(`Batch 1 run: ${N} migrations`);
    expect((await k('db', 'current')).stdout.trim()).toBe(`${REPO_ID} (head)`);
    ok(await k('db', 'check'));
    ok(await k('db', 'seed'));
    expect(Number((await knex('comment').count({ n: '*' }))[0].n)).toBe(4);

    // A change SQLite cannot make in place (the generated migration imports kiln/sqlite).
    const model = path.join(dir, 'models/student-teacher.ts');
    fs.writeFileSync(model, fs.readFileSync(model, 'utf8').replace('office: String(20),', 'office: String(40),'));
    const gen = ok(await k('db', 'migrate', '-m', 'wider office'));
    expect(gen.stdout).toContain('teacher.office');
    r = ok(await knexCli(dir, 'migrate:latest'));
    expect(r.stdout).toContain('Batch 2 run: 1 migrations');
    ok(await k('db', 'check'));
    expect((await knex('teacher').orderBy('name').select('office')).map((x: { office: string }) => x.office)).toEqual(['Room 101', 'Room 202']);
    expect(Number((await knex('association').count({ n: '*' }))[0].n)).toBe(3);

    r = ok(await k('db', 'downgrade', 'base'));
    expect(r.stdout.trim().split('\n')).toHaveLength(N + 1);
    expect(await knex.schema.hasTable('note')).toBe(false);
    expect(await knex.schema.hasTable('shop_order')).toBe(false);
    r = ok(await knexCli(dir, 'migrate:status'));
    expect(r.stdout).toContain('No Completed Migration files Found.');
    expect(r.stdout).toContain(`Found ${N + 1} Pending Migration file/files.`);
  });

  test('kiln takes over a folder Knex started (plain .js migrations)', async () => {
    dir = makeProject({ 'kiln.config.ts': "export default { models: 'models' };\n" });
    linkKiln(dir);
    writeKnexfile(dir, db.url);
    writeFile(
      dir,
      'migrations/20250101000000_create_note.js',
      "exports.up = (knex) => knex.schema.createTable('note', (t) => { t.increments('id'); t.text('body'); });\nexports.down = (knex) => knex.schema.dropTable('note');\n",
    );
    writeFile(
      dir,
      'migrations/20250102000000_add_author.js',
      "exports.up = (knex) => knex.schema.createTable('author', (t) => { t.increments('id'); t.string('name', 70).unique(); });\nexports.down = (knex) => knex.schema.dropTable('author');\n",
    );
    let r = ok(await knexCli(dir, 'migrate:up'));
    expect(r.stdout).toContain('20250101000000_create_note.js');
    expect((await k('db', 'current')).stdout.trim()).toBe('20250101000000_create_note');

    r = ok(await k('db', 'upgrade'));
    expect(r.stdout.trim()).toBe('Running upgrade 20250101000000_create_note -> 20250102000000_add_author, add author');
    expect(await knex.schema.hasTable('author')).toBe(true);

    // Models that match what Knex built, then one change: kiln generates the next migration.
    writeFile(
      dir,
      'models/models.ts',
      "import { model, Integer, String, Text } from 'kiln';\nexport const Note = model('Note', { id: Integer().primaryKey(), body: Text() });\nexport const Author = model('Author', { id: Integer().primaryKey(), name: String(70).unique(), phone: String(20) });\n",
    );
    r = await k('db', 'check');
    expect(r.code).toBe(1);
    expect(r.stdout + r.stderr).toContain('author.phone');
    const gen = ok(await k('db', 'migrate', '-m', 'add phone'));
    expect(gen.stdout).toContain("Detected added column 'author.phone'");
    r = ok(await k('db', 'upgrade'));
    expect(r.stdout).toMatch(/^Running upgrade 20250102000000_add_author -> \d{14}_add_phone, add phone$/m);
    ok(await k('db', 'check'));

    r = ok(await knexCli(dir, 'migrate:status'));
    expect(r.stdout).toContain('Found 3 Completed Migration file/files.');
    expect(r.stdout).toContain('No Pending Migration files Found.');
    r = ok(await knexCli(dir, 'migrate:rollback', '--all'));
    expect(await knex.schema.hasTable('note')).toBe(false);
    expect((await k('db', 'current')).stdout.trim()).toBe('<base>');
  });
});
