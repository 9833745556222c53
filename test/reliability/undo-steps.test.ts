/**
 * A generated migration of several steps that fails midway leaves the database at the
 * previous revision on every dialect: PostgreSQL and SQLite roll the run back; on MySQL/MariaDB,
 * where each DDL statement commits at once, the migration's `steps()` (kiln/migrate) undoes
 * the completed steps, last first. One error line; bookkeeping unchanged; once the data is
 * fixed, the same command succeeds. Upgrade and downgrade.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Knex } from 'knex';
import { freshDatabase, type FreshDatabase } from '../helpers/databases';
import { testDialects } from '../helpers/dialects';
import { expectUserError, kiln, makeProject, rmProject, writeFile } from '../helpers/cli';
import { inspectDb, schemaText, show, tableNames } from './helpers';

// The plain form (online: false): its steps() undo is what is tested here; the online form
// (kiln/online, test/cli/online.test.ts) finishes a failed run on the next upgrade instead.
const CONFIG = "export default { models: 'models', online: false };\n";
const models = (body: string) => `import { model, Integer, String } from 'kiln';\n\n${body}\n`;

const DUPLICATE: Record<string, RegExp> = {
  sqlite: /UNIQUE constraint failed: item\.name/,
  postgres: /could not create unique index "item_name_unique"/,
  mysql: /Duplicate entry 'a' for key 'item_name_unique'/,
};

describe.each(testDialects().map((d) => [d.name, d] as const))('failed generated migration on %s', (name, dialect) => {
  let dir: string;
  let db: FreshDatabase;
  let knex: Knex;
  let env: Record<string, string>;

  beforeEach(async () => {
    dir = makeProject({ 'kiln.config.ts': CONFIG });
    fs.mkdirSync(path.join(dir, 'migrations'));
    db = await freshDatabase(dialect);
    knex = db.connect();
    env = { DATABASE_URL: db.url };
  });
  afterEach(async () => {
    await db.cleanup();
    rmProject(dir);
  });

  const k = async (...args: string[]) => kiln(args, { cwd: dir, env });
  const ok = async (...args: string[]) => {
    const r = await k(...args);
    if (r.code !== 0) throw new Error(`kiln ${args.join(' ')}: ${show(r)}`);
    return r;
  };
  const migrationFiles = () => fs.readdirSync(path.join(dir, 'migrations')).filter((f) => f.endsWith('.ts')).sort();
  const generate = async (message: string, body: string) => {
    writeFile(dir, 'models/item.ts', models(body));
    await ok('db', 'migrate', '-m', message);
    const file = migrationFiles().find((f) => f.endsWith(`_${message}.ts`))!;
    return { file, source: fs.readFileSync(path.join(dir, 'migrations', file), 'utf8') };
  };
  const expectShape = (source: string) => {
    // Only where DDL is not transactional does the file run its ops as undoable steps.
    if (name === 'mysql') expect(source).toContain("import { steps } from 'kiln/migrate';");
    else expect(source).not.toContain('kiln/migrate');
  };

  test('upgrade: a unique rule the data breaks fails the fourth step; the first three are undone', async () => {
    const v1 = await generate('v1', "export const Item = model('Item', { id: Integer().primaryKey(), name: String(40) });");
    await ok('db', 'upgrade');
    await knex('item').insert([{ name: 'a' }, { name: 'a' }, { name: 'b' }]);
    const before = await schemaText(knex, name);

    const v2 = await generate(
      'v2',
      "export const Item = model('Item', { id: Integer().primaryKey(), name: String(40).unique(), note: String(40).index() });\n" +
        "export const Tag = model('Tag', { id: Integer().primaryKey(), label: String(20) });",
    );
    expectShape(v2.source);
    const r = await k('db', 'upgrade');
    const undone = name === 'mysql' ? /; kiln undid the 3 completed steps of this migration: the database is as before it$/ : /[^.]$/;
    expectUserError(r, new RegExp(`^error: migration migrations/${v2.file} failed: .*${DUPLICATE[name].source}`));
    expect(r.stderr.split('\n')[0]).toMatch(undone);
    if (name !== 'mysql') expect(r.stderr).not.toMatch(/undid/);
    expect(r.stderr).not.toMatch(/hint:/);
    expect(await schemaText(knex, name)).toBe(before);
    expect((await inspectDb(knex, name)).applied).toEqual([v1.file]);

    await knex('item').where({ id: 2 }).update({ name: 'c' });
    await ok('db', 'upgrade');
    expect((await inspectDb(knex, name)).applied).toEqual([v1.file, v2.file]);
    await ok('db', 'check');
  }, 120000);

  test('an undo that fails too (file edited by hand): one line says what stays applied, the hint lists it', async () => {
    const v1 = await generate('v1', "export const Item = model('Item', { id: Integer().primaryKey(), name: String(40) });");
    await ok('db', 'upgrade');
    await knex('item').insert([{ name: 'a' }, { name: 'a' }]);
    const before = await schemaText(knex, name);
    const v2 = await generate(
      'v2',
      "export const Item = model('Item', { id: Integer().primaryKey(), name: String(40).unique() });\n" +
        "export const Tag = model('Tag', { id: Integer().primaryKey(), label: String(20) });",
    );
    const filePath = path.join(dir, 'migrations', v2.file);
    // The undo of the first step (create table tag) now fails.
    if (name === 'mysql') fs.writeFileSync(filePath, v2.source.replace("await knex.schema.dropTable('tag');", "await knex.raw('drop table no_such_table');"));
    const r = await k('db', 'upgrade');
    expectUserError(r, new RegExp(`^error: migration migrations/${v2.file} failed: .*${DUPLICATE[name].source}`));
    if (name !== 'mysql') {
      expect(await schemaText(knex, name)).toBe(before);
      expect((await inspectDb(knex, name)).applied).toEqual([v1.file]);
      return;
    }
    expect(r.stderr.split('\n')[0]).toMatch(/; undoing step 1 failed \(.*no_such_table.*\): step 1 stays applied$/);
    expect(r.stderr).toMatch(/\nhint: MySQL cannot roll back DDL: 1 statement\(s\) of this migration ran and stay applied: create table `tag` /);
    expect(await tableNames(knex, name)).toContain('tag');
    expect((await inspectDb(knex, name)).applied).toEqual([v1.file]);
  }, 120000);

  test('downgrade: restoring a unique rule the data now breaks fails the last step; the first two are undone', async () => {
    const v1 = await generate('v1', "export const Item = model('Item', { id: Integer().primaryKey(), name: String(40).unique() });");
    await ok('db', 'upgrade');
    const atV1 = await schemaText(knex, name);
    const v2 = await generate(
      'v2',
      "export const Item = model('Item', { id: Integer().primaryKey(), name: String(40), note: String(40) });\n" +
        "export const Tag = model('Tag', { id: Integer().primaryKey(), label: String(20) });",
    );
    expectShape(v2.source);
    await ok('db', 'upgrade');
    await knex('item').insert([{ name: 'a', note: 'x' }, { name: 'a', note: 'y' }]);
    const atV2 = await schemaText(knex, name);

    const r = await k('db', 'downgrade');
    expectUserError(r, new RegExp(`^error: migration migrations/${v2.file} failed: .*${DUPLICATE[name].source}`));
    if (name === 'mysql') {
      // The undo re-creates the dropped column and table, not their rows: it says so.
      expect(r.stderr.split('\n')[0]).toMatch(
        /; kiln undid the 2 completed steps of this migration: the schema is as before it, but the data dropped by step 1 \(drops column 'item\.note' and its data\) and step 2 \(drops table 'tag' and all its rows\) is gone$/,
      );
    } else {
      expect(r.stderr).not.toMatch(/undid/);
      expect(await knex('item').pluck('note')).toEqual(['x', 'y']);
    }
    expect(await schemaText(knex, name)).toBe(atV2);
    expect((await inspectDb(knex, name)).applied).toEqual([v1.file, v2.file]);

    await knex('item').where({ id: 2 }).update({ name: 'c' });
    await ok('db', 'downgrade');
    expect(await schemaText(knex, name)).toBe(atV1);
    expect((await inspectDb(knex, name)).applied).toEqual([v1.file]);
  }, 120000);
});
