/**
 * Issue 11 items 2 and 6 through the real binary on every dialect: enums (PostgreSQL named
 * types, MySQL ENUM, SQLite CHECK), generated columns and identity columns round-trip:
 * migrate -> upgrade -> check clean -> edit (add enum values, change a generation expression)
 * -> upgrade -> check clean -> downgrade -> the schema and the rows are as before.
 */
import type { Knex } from 'knex';
import { introspect } from '../../src/introspect';
import { columnsByName } from './library';
import { freshDatabase, type FreshDatabase } from '../helpers/databases';
import { testDialects } from '../helpers/dialects';
import { kiln, makeProject, rmProject, writeFile, type RunResult } from '../helpers/cli';

const CONFIG = "export default { models: 'models' };\n";

function models(dialect: string, edited: boolean): string {
  const virtual = dialect === 'postgres' ? '' : `\n  shout: String(60).computed("upper(title)", { stored: false }),`;
  const status = edited ? "'draft', 'review', 'published', 'archived'" : "'draft', 'published'";
  const expr = edited ? 'length(title) + 1' : 'length(title)';
  return `import { model, Integer, String, Enum } from 'kiln';
export const Post = model('Post', {
  id: Integer().primaryKey().identity(${edited ? '' : '{ always: true }'}),
  title: String(50).notNull(),
  status: Enum(${status}, { name: 'post_status' }).notNull().default('draft'),
  mood: Enum("it's", 'o?k'),
  title_len: Integer().computed('${expr}'),${virtual}${edited ? "\n  title_up: String(50).computed('upper(title)')," : ''}
});
`;
}

describe.each(testDialects().map((d) => [d.name, d] as const))('enums, generated and identity columns on %s', (name, dialect) => {
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
  // A changed generated column is dropped and added again: on a server it moves to the end.
  const schema = async () => columnsByName(await introspect(knex, name, {}), name);
  const rows = async () => knex('post').orderBy('id').select('id', 'title', 'status', 'mood', 'title_len');

  test('round trip: create, add enum values, change a generation expression, downgrade', async () => {
    writeFile(dir, 'models/m.ts', models(name, false));
    ok(await k('db', 'migrate', '-m', 'initial'));
    ok(await k('db', 'upgrade'));
    expect(ok(await k('db', 'check')).stdout).not.toMatch(/Detected/);
    const before = await schema();
    const post = before.tables.find((t) => t.name === 'post')!;
    const col = (c: string) => post.columns.find((x) => x.name === c)!;
    expect(col('status').enum).toEqual({ name: name === 'postgres' ? 'post_status' : null, values: ['draft', 'published'] });
    expect(col('status').default).toEqual({ kind: 'literal', value: 'draft' });
    expect(col('mood').enum?.values).toEqual(["it's", 'o?k']);
    expect(col('title_len').generated?.stored).toBe(true);
    expect(col('title_len').default).toBeNull();
    expect(col('id').autoIncrement).toBe(true);
    if (name === 'postgres') expect(col('id').identity).toBe('always');
    else expect(col('shout').generated).toEqual(expect.objectContaining({ stored: false }));

    await knex('post').insert({ title: 'abc', mood: "it's" });
    await knex('post').insert({ title: 'hello', status: 'published', mood: 'o?k' });
    const rowsBefore = await rows();
    expect(rowsBefore.map((r: { title_len: number }) => Number(r.title_len))).toEqual([3, 5]);
    await expect(knex('post').insert({ title: 'x', status: 'nope' })).rejects.toThrow();

    writeFile(dir, 'models/m.ts', models(name, true));
    const migrate = ok(await k('db', 'migrate', '-m', 'edit'));
    expect(migrate.stdout).toMatch(name === 'postgres' ? /changed enum type 'post_status'/ : /changed column 'post.status'/);
    expect(migrate.stdout).toMatch(/changed column 'post.title_len'/);
    ok(await k('db', 'upgrade'));
    expect(ok(await k('db', 'check')).stdout).not.toMatch(/Detected/);
    expect((await rows()).map((r: { title_len: number }) => Number(r.title_len))).toEqual([4, 6]);
    // A STORED generated column added to a table with rows (SQLite: a rebuild, ALTER TABLE refuses it).
    expect((await knex('post').orderBy('id').select('title_up')).map((r: { title_up: string }) => r.title_up)).toEqual(['ABC', 'HELLO']);
    const edited = await schema();
    const after = edited.tables.find((t) => t.name === 'post')!;
    expect(after.columns.find((c) => c.name === 'status')!.enum?.values).toEqual(['draft', 'review', 'published', 'archived']);

    ok(await k('db', 'downgrade'));
    expect(await schema()).toEqual(before);
    expect(await rows()).toEqual(rowsBefore);
    ok(await k('db', 'upgrade'));
    // A migration that drops the table: its down recreates the identity key, the enum type
    // and the generated columns exactly.
    writeFile(dir, 'models/m.ts', "import { model, Integer } from 'kiln';\nexport const Other = model('Other', { id: Integer().primaryKey() });\n");
    const drop = ok(await k('db', 'migrate', '-m', 'drop post'));
    if (name === 'postgres') expect(drop.stdout).toMatch(/removed enum type 'post_status'/);
    ok(await k('db', 'upgrade'));
    ok(await k('db', 'downgrade'));
    expect(await schema()).toEqual(edited);
    ok(await k('db', 'downgrade', 'base'));
    expect((await schema()).tables.filter((t) => t.name === 'post')).toEqual([]);
    if (name === 'postgres') expect((await knex.raw("select 1 from pg_type where typname = 'post_status'")).rows).toEqual([]);
  });

  test('a generated expression the database prints with more parentheses is no change; a change of grouping is one', async () => {
    const calc = (y: string) =>
      `import { model, Integer } from 'kiln';\nexport const Calc = model('Calc', {\n  id: Integer().primaryKey(),\n  a: Integer(),\n  b: Integer(),\n  c: Integer(),\n  x: Integer().computed('(a + b) * c'),\n  y: Integer().computed('${y}'),\n  z: Integer().computed('a - (b - c)'),\n});\n`;
    writeFile(dir, 'models/m.ts', calc('a + b * c'));
    ok(await k('db', 'migrate', '-m', 'calc'));
    ok(await k('db', 'upgrade'));
    // PostgreSQL and MySQL print `a + b * c` back as `(a + (b * c))`.
    expect(ok(await k('db', 'check')).stdout).toBe('No new upgrade operations detected.\n');
    await knex('calc').insert({ a: 1, b: 2, c: 3 });
    expect(Number((await knex('calc').first('y')).y)).toBe(7);
    writeFile(dir, 'models/m.ts', calc('(a + b) * c'));
    const migrate = ok(await k('db', 'migrate', '-m', 'regroup'));
    expect(migrate.stdout).toMatch(/changed column 'calc.y'/);
    expect(migrate.stdout).not.toMatch(/changed column 'calc.[xz]'/);
    ok(await k('db', 'upgrade'));
    expect(Number((await knex('calc').first('y')).y)).toBe(9);
    expect(ok(await k('db', 'check')).stdout).toBe('No new upgrade operations detected.\n');
  });
});
