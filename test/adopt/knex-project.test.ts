/**
 * Issue 13, item 4a: an existing Knex project (a knexfile with two environments and hand-written
 * migrations in JS and TS, no kiln.config) works with kiln as it is: `db current`, `db upgrade`
 * and `db check` read the knexfile's connection, migrations folder, table name and
 * loadExtensions; `--env` and NODE_ENV choose the environment; a migration kiln writes on top
 * is run by the Knex CLI itself. Also the knexfile's forms (.js, .cjs, .mjs, a function, a promise).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { knex as knexFactory } from 'knex';
import { loadConfig } from '../../src/config/load';
import { parseDatabaseUrl } from '../../src/config/url';
import { freshDatabase, type FreshDatabase } from '../helpers/databases';
import { testDialects } from '../helpers/dialects';
import { expectUserError, kiln, makeProject, REPO, rmProject, run, writeFile, type RunResult } from '../helpers/cli';

const show = (r: RunResult) => `exit ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`;
const ok = (r: RunResult) => expect(r.code === 0 ? '' : show(r)).toBe('');

/** The knexfile's config for a database: a connection object as Knex users write it. */
function knexConfig(db: FreshDatabase, dir: string): string {
  const migrations = "{ directory: './db/migrations', tableName: 'knex_history', loadExtensions: ['.js', '.ts'] }";
  if (db.dialect === 'sqlite') return `{ client: 'sqlite3', connection: { filename: ${JSON.stringify(`./${path.relative(dir, db.name)}`)} }, useNullAsDefault: true, migrations: ${migrations} }`;
  const u = parseDatabaseUrl(db.url);
  const client = db.dialect === 'postgres' ? 'pg' : 'mysql2';
  return `{ client: '${client}', connection: { host: ${JSON.stringify(u.host)}, port: ${u.port}, user: ${JSON.stringify(u.user)}, password: ${JSON.stringify(u.password)}, database: ${JSON.stringify(u.database)} }, migrations: ${migrations} }`;
}

const USERS_JS = `exports.up = (knex) =>
  knex.schema.createTable('users', (t) => {
    t.increments('id');
    t.string('email', 120).notNullable();
  });
exports.down = (knex) => knex.schema.dropTable('users');
`;

const POSTS_TS = `import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('posts', (t) => {
    t.increments('id');
    t.string('title', 200).notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('posts');
}
`;

const MODELS = `import { table, Integer, String } from 'kiln';
export const Users = table('users', { id: Integer().primaryKey(), email: String(120).notNull() });
export const Posts = table('posts', { id: Integer().primaryKey(), title: String(200).notNull() });
`;

const COMMENTS = `import { table, Integer, String } from 'kiln';
export const Comments = table('comments', { id: Integer().primaryKey(), body: String(500) });
`;

describe.each(testDialects().map((d) => [d.name, d] as const))('a Knex project on %s', (_name, dialect) => {
  let dev: FreshDatabase;
  let staging: FreshDatabase;
  let dir: string;
  beforeAll(async () => {
    dir = makeProject();
    dev = await freshDatabase(dialect);
    staging = await freshDatabase(dialect);
    writeFile(dir, 'knexfile.ts', `import type { Knex } from 'knex';\n\nconst config: { [env: string]: Knex.Config } = {\n  development: ${knexConfig(dev, dir)},\n  staging: ${knexConfig(staging, dir)},\n};\n\nmodule.exports = config;\n`);
    writeFile(dir, 'db/migrations/20240101000000_create_users.js', USERS_JS);
    writeFile(dir, 'db/migrations/20240102000000_create_posts.ts', POSTS_TS);
    // Not in loadExtensions: neither Knex nor kiln runs it.
    writeFile(dir, 'db/migrations/20240103000000_not_loaded.cjs', "throw new Error('loaded a file loadExtensions leaves out');\n");
    writeFile(dir, 'models/tables.ts', MODELS);
    // The Knex CLI finds knex and a TypeScript loader (sucrase) from the project, kiln/* for kiln's migrations.
    fs.mkdirSync(path.join(dir, 'node_modules'));
    for (const pkg of ['knex', 'sucrase']) fs.symlinkSync(path.join(REPO, 'node_modules', pkg), path.join(dir, 'node_modules', pkg), 'dir');
    fs.symlinkSync(REPO, path.join(dir, 'node_modules', 'kiln'), 'dir');
  }, 60000);
  afterAll(async () => {
    await dev.cleanup();
    await staging.cleanup();
    rmProject(dir);
  });

  test('db current / upgrade / check read the knexfile; --env and NODE_ENV choose the environment; Knex runs the migration kiln writes', async () => {
    const env = { DATABASE_URL: undefined, NODE_ENV: undefined };
    let r = await kiln(['db', 'current'], { cwd: dir, env });
    ok(r);
    expect(r.stdout).toBe('<base>\n');
    r = await kiln(['db', 'upgrade'], { cwd: dir, env });
    ok(r);
    expect(r.stdout).toBe('Running upgrade <base> -> 20240101000000_create_users, create users\nRunning upgrade 20240101000000_create_users -> 20240102000000_create_posts, create posts\n');
    r = await kiln(['db', 'current'], { cwd: dir, env });
    expect(r.stdout).toBe('20240102000000_create_posts (head)\n');
    r = await kiln(['db', 'check'], { cwd: dir, env });
    ok(r);
    const knex = dev.connect();
    expect((await knex('knex_history').select('name').orderBy('id')).map((x: { name: string }) => x.name)).toEqual(['20240101000000_create_users.js', '20240102000000_create_posts.ts']);
    expect(await knex.schema.hasTable('knex_migrations')).toBe(false);

    // The other environment, by --env and by NODE_ENV: still at base.
    r = await kiln(['db', 'current', '--env', 'staging'], { cwd: dir, env });
    expect(r.stdout).toBe('<base>\n');
    r = await kiln(['db', 'current'], { cwd: dir, env: { ...env, NODE_ENV: 'staging' } });
    expect(r.stdout).toBe('<base>\n');
    r = await kiln(['db', 'current', '--env', 'production'], { cwd: dir, env });
    expectUserError(r, /knexfile knexfile\.ts has no environment 'production' \(it has development, staging\)/);

    // A kiln migration on top, applied by the Knex CLI.
    writeFile(dir, 'models/comments.ts', COMMENTS);
    r = await kiln(['db', 'migrate', '-m', 'add comments'], { cwd: dir, env });
    ok(r);
    const written = fs.readdirSync(path.join(dir, 'db/migrations')).filter((f) => f.endsWith('_add_comments.ts'));
    expect(written).toHaveLength(1);
    const knexCli = path.join(REPO, 'node_modules', 'knex', 'bin', 'cli.js');
    r = await run(process.execPath, [knexCli, 'migrate:latest', '--knexfile', 'knexfile.ts'], { cwd: dir, env });
    ok(r);
    expect(r.stdout).toMatch(/Batch 2 run: 1 migrations/);
    expect(await knex.schema.hasTable('comments')).toBe(true);
    r = await kiln(['db', 'current'], { cwd: dir, env });
    expect(r.stdout).toBe(`${written[0].replace(/\.ts$/, '')} (head)\n`);
    r = await kiln(['db', 'check'], { cwd: dir, env });
    ok(r);
    // And kiln reverts what Knex applied.
    r = await kiln(['db', 'downgrade'], { cwd: dir, env });
    ok(r);
    expect(await knex.schema.hasTable('comments')).toBe(false);
  }, 120000);
});

describe('knexfile forms', () => {
  let dir: string;
  beforeEach(() => {
    dir = makeProject({ 'migrations/20240101000000_one.js': 'exports.up = async () => {};\nexports.down = async () => {};\n' });
  });
  afterEach(() => rmProject(dir));
  const forms: [string, string][] = [
    ['knexfile.js', "module.exports = { development: { client: 'sqlite3', connection: { filename: './dev.db' } } };\n"],
    ['knexfile.cjs', "module.exports = async () => ({ client: 'better-sqlite3', connection: { filename: './dev.db' } });\n"],
    ['knexfile.mjs', "export default { development: Promise.resolve({ client: 'sqlite3', connection: { filename: './dev.db' } }) };\n"],
    ['knexfile.ts', "import type { Knex } from 'knex';\nconst config: Knex.Config = { client: 'sqlite3', connection: { filename: './dev.db' } };\nexport default config;\n"],
  ];
  test.each(forms)('%s: the database, the migrations folder and the default table name', async (file, source) => {
    writeFile(dir, file, source);
    fs.mkdirSync(path.join(dir, 'sub'));
    const env = { DATABASE_URL: undefined, NODE_ENV: undefined };
    let r = await kiln(['db', 'upgrade'], { cwd: path.join(dir, 'sub'), env });
    ok(r);
    expect(r.stdout).toBe('Running upgrade <base> -> 20240101000000_one, one\n');
    expect(fs.existsSync(path.join(dir, 'dev.db'))).toBe(true);
    r = await kiln(['db', 'current'], { cwd: dir, env });
    expect(r.stdout).toBe('20240101000000_one (head)\n');
    const knex = knexFactory({ client: 'sqlite3', connection: { filename: path.join(dir, 'dev.db') }, useNullAsDefault: true });
    try {
      expect(await knex.schema.hasTable('knex_migrations')).toBe(true);
    } finally {
      await knex.destroy();
    }
  });

  test('a kiln.config beside it wins; a knexfile other users can write is refused', async () => {
    writeFile(dir, 'knexfile.js', "module.exports = { client: 'sqlite3', connection: { filename: './knex.db' } };\n");
    writeFile(dir, 'kiln.config.ts', "export default { database: 'sqlite:///kiln.db' };\n");
    let r = await kiln(['db', 'upgrade'], { cwd: dir, env: { DATABASE_URL: undefined } });
    ok(r);
    expect(fs.existsSync(path.join(dir, 'kiln.db'))).toBe(true);
    expect(fs.existsSync(path.join(dir, 'knex.db'))).toBe(false);
    fs.unlinkSync(path.join(dir, 'kiln.config.ts'));
    fs.chmodSync(path.join(dir, 'knexfile.js'), 0o666);
    r = await kiln(['db', 'current'], { cwd: dir, env: { DATABASE_URL: undefined } });
    expectUserError(r, /refusing to load knexfile knexfile\.js: other users can write it/);
  });

  test('a connection object becomes a URL that gives every field back exactly', async () => {
    const password = 'p@ss/w%rd:?#é';
    writeFile(dir, 'knexfile.cjs', `module.exports = { production: { client: 'pg', searchPath: ['app', 'public'], connection: { host: 'db.local', port: 5433, user: 'me@corp', password: ${JSON.stringify(password)}, database: 'my db' }, migrations: { directory: ['db/m'], tableName: 'hist' }, seeds: { directory: './db/seeds' } } };\n`);
    const config = await loadConfig({ cwd: dir, environment: 'production', env: {} });
    const url = parseDatabaseUrl(config.databaseUrl, config.root);
    expect({ host: url.host, port: url.port, user: url.user, password: url.password, database: url.database }).toEqual({ host: 'db.local', port: 5433, user: 'me@corp', password, database: 'my db' });
    expect(url.display).not.toContain('p@ss');
    expect(config).toMatchObject({ migrations: path.join(dir, 'db/m'), seeds: path.join(dir, 'db/seeds'), tableName: 'hist', schema: 'app', databaseSource: 'knexfile.cjs (production)' });
  });

  test('a password in the knexfile never appears in what kiln prints', async () => {
    writeFile(dir, 'knexfile.js', "module.exports = { client: 'pg', connection: { host: '127.0.0.1', port: 1, user: 'u', password: 's3cr3t-pw', database: 'd' } };\n");
    const r = await kiln(['db', 'current'], { cwd: dir, env: { DATABASE_URL: undefined } });
    expect(r.code).not.toBe(0);
    expect(r.stdout + r.stderr).not.toContain('s3cr3t-pw');
  });
});
