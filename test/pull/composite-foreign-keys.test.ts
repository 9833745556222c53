/**
 * Foreign keys over several columns (SQLAlchemy's ForeignKeyConstraint): the table option
 * `foreignKeys`. `db pull` could not say them (a note and a warning, and `db check` then reported
 * them as removed, offering a migration that dropped them); now it writes them, `db check` is
 * clean, and a database made from the pulled models has them, on every dialect.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { introspect } from '../../src/introspect';
import { kiln, makeProject, rmProject } from '../helpers/cli';
import { freshDatabase } from '../helpers/databases';
import { testDialects } from '../helpers/dialects';

jest.setTimeout(120000);

describe.each(testDialects().map((d) => [d.name, d] as const))('foreign keys over several columns on %s', (_name, dialect) => {
  test('pull writes them, check is clean, a database made from the models has them', async () => {
    const db = await freshDatabase(dialect);
    const second = await freshDatabase(dialect);
    const dir = makeProject({ 'kiln.config.ts': "export default { models: 'models', migrations: 'migrations' };\n" });
    fs.mkdirSync(path.join(dir, 'migrations'));
    const knex = db.connect();
    try {
      await knex.schema.createTable('parent', (t) => {
        t.integer('a').notNullable();
        t.integer('b').notNullable();
        t.integer('c').notNullable();
        t.primary(['a', 'b']);
        t.unique(['b', 'c']);
      });
      await knex.schema.createTable('child', (t) => {
        t.increments('id');
        t.integer('a');
        t.integer('b');
        t.integer('c');
        t.foreign(['a', 'b'], 'child_parent_fk').references(['a', 'b']).inTable('parent').onDelete('CASCADE');
        t.foreign(['b', 'c']).references(['b', 'c']).inTable('parent');
      });
      const r = await kiln(['db', 'pull'], { cwd: dir, env: { DATABASE_URL: db.url } });
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const model = fs.readFileSync(path.join(dir, 'models', 'child.ts'), 'utf8');
      expect(model.replace(/\s+/g, ' ')).toContain("{ columns: ['a', 'b'], references: ['parent.a', 'parent.b'], onDelete: 'CASCADE', name: 'child_parent_fk', }");
      expect(model).toContain("{ columns: ['b', 'c'], references: ['parent.b', 'parent.c'] }");
      const check = await kiln(['db', 'check'], { cwd: dir, env: { DATABASE_URL: db.url } });
      expect(check.stdout).toContain('No new upgrade operations detected');
      expect(check.code).toBe(0);

      expect((await kiln(['initdb'], { cwd: dir, env: { DATABASE_URL: second.url } })).code).toBe(0);
      const fks = async (k: import('knex').Knex) => (await introspect(k, dialect.name)).tables.find((t) => t.name === 'child')!.foreignKeys;
      expect(await fks(second.connect())).toEqual(await fks(knex));
      expect((await fks(knex)).map((fk) => fk.columns)).toEqual([['b', 'c'], ['a', 'b']]);
    } finally {
      await db.cleanup();
      await second.cleanup();
      rmProject(dir);
    }
  });
});

test('a foreignKeys entry is checked: columns, one target per column, one table, a key there', async () => {
  const dir = makeProject({ 'kiln.config.ts': "export default { models: 'models', migrations: 'migrations' };\n" });
  fs.mkdirSync(path.join(dir, 'migrations'));
  const parent = "export const P = model('P', { a: Integer().primaryKey().autoIncrement(false), b: Integer(), c: Integer() }, { uniques: [{ columns: ['a', 'b'] }] });\n";
  const cases: [string, RegExp][] = [
    ["{ columns: ['x', 'y'], references: ['p.a'] }", /model 'C' foreign key 1: references must list one 'table.column' for each of its 2 column\(s\)/],
    ["{ columns: ['x', 'y'], references: ['p.a', 'q.b'] }", /model 'C' foreign key 1: references must all be columns of one table/],
    ["{ columns: ['x', 'z'], references: ['p.a', 'p.b'] }", /model 'C' foreign key 1: unknown column 'z'/],
    ["{ columns: ['x', 'y'], references: ['p.b', 'p.c'] }", /foreign key to 'p.b, c', which is neither a primary key nor unique/],
    ["{ columns: ['x', 'y'], references: ['p.a', 'p.b'], onDelete: 'explode' }", /unknown ON DELETE action 'explode'/],
  ];
  try {
    for (const [option, message] of cases) {
      fs.mkdirSync(path.join(dir, 'models'), { recursive: true });
      fs.writeFileSync(
        path.join(dir, 'models', 'm.ts'),
        `import { model, Integer } from 'kiln';\n${parent}export const C = model('C', { id: Integer().primaryKey(), x: Integer(), y: Integer() }, { foreignKeys: [${option}] as never });\n`,
      );
      const r = await kiln(['db', 'check'], { cwd: dir, env: { DATABASE_URL: `sqlite:///${path.join(dir, 'x.db')}` } });
      expect(r.code).not.toBe(0);
      expect(r.stderr.split('\n').filter((l) => l.startsWith('error:'))).toHaveLength(1);
      expect(r.stderr).toMatch(message);
    }
  } finally {
    rmProject(dir);
  }
});
