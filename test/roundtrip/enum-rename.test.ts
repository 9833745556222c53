/**
 * Issue 11 item 2, renamed enum values, through the real binary on every dialect: a value
 * renamed with --rename keeps the rows that hold it (PostgreSQL: ALTER TYPE ... RENAME VALUE;
 * MySQL/MariaDB: MODIFY to the union, UPDATE, MODIFY; SQLite: the rebuild's copy maps it):
 * migrate -> upgrade -> rows hold the new value -> check clean -> downgrade -> rows and schema
 * as before -> upgrade. Also with values added and removed in the same change, and a --rename
 * that matches nothing.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Knex } from 'knex';
import { introspect } from '../../src/introspect';
import { columnsByName } from './library';
import { freshDatabase, type FreshDatabase } from '../helpers/databases';
import { testDialects } from '../helpers/dialects';
import { kiln, makeProject, rmProject, writeFile, type RunResult } from '../helpers/cli';
import { kilnInPty } from '../helpers/pty';

const CONFIG = "export default { models: 'models' };\n";

/** A post whose status enum (type post_status on PostgreSQL) has `values`, defaulting to `def`. */
function models(values: readonly string[], def: string): string {
  const list = values.map((v) => JSON.stringify(v)).join(', ');
  return `import { model, Integer, String, Enum } from 'kiln';
export const Post = model('Post', {
  id: Integer().primaryKey(),
  title: String(50).notNull(),
  status: Enum(${list}, { name: 'post_status' }).notNull().default(${JSON.stringify(def)}),
});
`;
}

describe.each(testDialects().map((d) => [d.name, d] as const))('renamed enum values on %s', (name, dialect) => {
  let dir: string;
  let db: FreshDatabase;
  let knex: Knex;
  let env: Record<string, string>;

  beforeEach(async () => {
    dir = makeProject({ 'kiln.config.ts': CONFIG, 'migrations/.keep': '' });
    db = await freshDatabase(dialect);
    knex = db.connect();
    env = { DATABASE_URL: db.url };
  });
  afterEach(async () => {
    await db.cleanup();
    rmProject(dir);
  });

  const k = (...args: string[]) => kiln(args, { cwd: dir, env });
  const ok = (r: RunResult) => {
    if (r.code !== 0) throw new Error(`exit ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
    return r;
  };
  const schema = async () => columnsByName(await introspect(knex, name, {}), name);
  const statuses = async () => (await knex('post').orderBy('id').select('status')).map((r: { status: string }) => r.status);
  const migrations = () => fs.readdirSync(path.join(dir, 'migrations')).filter((f) => f.endsWith('.ts'));

  async function start(values: readonly string[], def: string): Promise<void> {
    writeFile(dir, 'models/m.ts', models(values, def));
    ok(await k('db', 'migrate', '-m', 'initial'));
    ok(await k('db', 'upgrade'));
    await knex('post').insert([
      { id: 1, title: 'a', status: 'draft' },
      { id: 2, title: 'b', status: 'published' },
    ]);
    await knex('post').insert({ id: 3, title: 'c' });
  }

  test('a renamed value keeps its rows and the default; down renames it back', async () => {
    await start(['draft', 'published'], 'published');
    expect(await statuses()).toEqual(['draft', 'published', 'published']);
    const before = await schema();

    writeFile(dir, 'models/m.ts', models(['draft', 'live'], 'live'));
    const migrate = ok(await k('db', 'migrate', '-m', 'rename status', '--rename', 'post.status:published=live'));
    expect(migrate.stdout).toMatch(/renamed value 'published' to 'live'/);
    const file = fs.readFileSync(path.join(dir, 'migrations', migrations().find((f) => f.includes('rename_status'))!), 'utf8').replace(/\\'/g, "'");
    if (name === 'postgres') expect(file).toMatch(/ALTER TYPE "post_status" RENAME VALUE 'published' TO 'live'/);
    // No guard: no row loses its value.
    expect(file).not.toMatch(/guardValues\(/);

    ok(await k('db', 'upgrade'));
    expect(await statuses()).toEqual(['draft', 'live', 'live']);
    expect(ok(await k('db', 'check')).stdout).toBe('No new upgrade operations detected.\n');
    // The default follows the rename.
    await knex('post').insert({ id: 4, title: 'd' });
    expect(await statuses()).toEqual(['draft', 'live', 'live', 'live']);
    await knex('post').where({ id: 4 }).delete();
    await expect(knex('post').insert({ id: 5, title: 'e', status: 'published' })).rejects.toThrow();

    ok(await k('db', 'downgrade'));
    expect(await statuses()).toEqual(['draft', 'published', 'published']);
    expect(await schema()).toEqual(before);
    ok(await k('db', 'upgrade'));
    expect(await statuses()).toEqual(['draft', 'live', 'live']);
    expect(ok(await k('db', 'check')).stdout).toBe('No new upgrade operations detected.\n');
  });

  test('a rename together with an added and a removed value is exact both ways', async () => {
    await start(['draft', 'published', 'old'], 'draft');
    const before = await schema();
    writeFile(dir, 'models/m.ts', models(['draft', 'live', 'archived'], 'draft'));
    // PostgreSQL: the type's name; elsewhere the column.
    const flag = name === 'postgres' ? 'post_status:published=live' : 'post.status:published=live';
    const migrate = ok(await k('db', 'migrate', '-m', 'rework status', '--rename', flag));
    expect(migrate.stdout).toMatch(/renamed value 'published' to 'live'/);
    ok(await k('db', 'upgrade'));
    expect(await statuses()).toEqual(['draft', 'live', 'draft']);
    const after = (await schema()).tables.find((t) => t.name === 'post')!.columns.find((c) => c.name === 'status')!;
    expect(after.enum?.values).toEqual(['draft', 'live', 'archived']);
    expect(ok(await k('db', 'check')).stdout).toBe('No new upgrade operations detected.\n');
    await knex('post').insert({ id: 4, title: 'd', status: 'archived' });
    await knex('post').where({ id: 4 }).delete();

    ok(await k('db', 'downgrade'));
    expect(await statuses()).toEqual(['draft', 'published', 'draft']);
    expect(await schema()).toEqual(before);
    ok(await k('db', 'upgrade'));
    expect(await statuses()).toEqual(['draft', 'live', 'draft']);
  });

  test('the offline script of a rename runs', async () => {
    await start(['draft', 'published'], 'draft');
    writeFile(dir, 'models/m.ts', models(['draft', 'live'], 'draft'));
    ok(await k('db', 'migrate', '-m', 'rename status', '--rename', 'post.status:published=live'));
    const sql = ok(await k('db', 'upgrade', '--sql')).stdout;
    if (name === 'postgres') expect(sql).toMatch(/ALTER TYPE "post_status" RENAME VALUE 'published' TO 'live'/);
    else if (name === 'mysql') expect(sql).toMatch(/update `post` set `status` = 'live' where `status` = 'published'/);
    else expect(sql).toMatch(/CASE `status` WHEN 'published' THEN 'live' ELSE `status` END/);
    // Nothing ran.
    expect(await statuses()).toEqual(['draft', 'published', 'draft']);
  });

  test('a --rename of a value that is not removed and added is an error; nothing is written', async () => {
    await start(['draft', 'published'], 'draft');
    writeFile(dir, 'models/m.ts', models(['draft', 'live'], 'draft'));
    const files = migrations();
    const r = await k('db', 'migrate', '-m', 'typo', '--rename', 'post.status:publish=live');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/--rename post\.status:publish=live: no such removed and added pair/);
    expect(migrations()).toEqual(files);
  });

  test('in a terminal kiln asks; without one, nor --rename, it warns and names the flag', async () => {
    await start(['draft', 'published'], 'draft');
    writeFile(dir, 'models/m.ts', models(['draft', 'live'], 'draft'));
    const plain = await k('db', 'migrate', '-m', 'plain');
    expect(plain.code).toBe(0);
    const flag = name === 'postgres' ? 'post_status:published=live' : 'post.status:published=live';
    expect(plain.stderr).toContain(`loses value 'published' and gains 'live'`);
    expect(plain.stderr).toContain(`--rename ${flag}`);
    expect(plain.stdout).not.toMatch(/renamed value/);
    for (const f of migrations().filter((x) => x.includes('plain'))) fs.rmSync(path.join(dir, 'migrations', f));

    const question = new RegExp(`Did you rename value 'published' of ${name === 'postgres' ? 'post_status' : 'post\\.status'} to 'live'\\?`);
    const r = await kilnInPty(['db', 'migrate', '-m', 'asked'], { cwd: dir, env, answers: [[question, 'y']] });
    expect(r.stdout).toMatch(question);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/renamed value 'published' to 'live'/);
    ok(await k('db', 'upgrade'));
    expect(await statuses()).toEqual(['draft', 'live', 'draft']);
  });

  test("values with a quote, a question mark and a backslash are renamed as written", async () => {
    const odd = "it's \\ ok?";
    writeFile(dir, 'models/m.ts', models(['draft', "o'k?"], 'draft'));
    ok(await k('db', 'migrate', '-m', 'initial'));
    ok(await k('db', 'upgrade'));
    await knex('post').insert({ id: 1, title: 'a', status: "o'k?" });
    writeFile(dir, 'models/m.ts', models(['draft', odd], 'draft'));
    ok(await k('db', 'migrate', '-m', 'odd', '--rename', `post.status:o'k?=${odd}`));
    ok(await k('db', 'upgrade'));
    expect(await statuses()).toEqual([odd]);
    expect(ok(await k('db', 'check')).stdout).toBe('No new upgrade operations detected.\n');
    ok(await k('db', 'downgrade'));
    expect(await statuses()).toEqual(["o'k?"]);
  });
});
