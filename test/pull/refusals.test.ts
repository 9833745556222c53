/**
 * A pull whose models do not compile is refused, nothing written, with a hint for its cause: a
 * missing table is pulled too; anything else the database allows and the model language does
 * not say (an integer column whose default is text, which SQLite accepts) is left out by hand.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import knexFactory from 'knex';
import { kiln, makeProject, rmProject } from '../helpers/cli';

jest.setTimeout(120000);

async function project(statements: string[]): Promise<string> {
  const dir = makeProject({ 'kiln.config.ts': "export default { database: 'sqlite:///data.db', models: 'models', migrations: 'migrations' };\n" });
  fs.mkdirSync(path.join(dir, 'migrations'));
  const knex = knexFactory({ client: 'sqlite3', connection: { filename: path.join(dir, 'data.db') }, useNullAsDefault: true });
  try {
    for (const s of statements) await knex.raw(s);
  } finally {
    await knex.destroy();
  }
  return dir;
}

describe('db pull refusals', () => {
  test('a foreign key to a table the pull leaves out: pull it too', async () => {
    const dir = await project(['CREATE TABLE parent (id INTEGER PRIMARY KEY)', 'CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parent (id))']);
    try {
      const r = await kiln(['db', 'pull', '--tables', 'child'], { cwd: dir });
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/^error: the pulled models do not compile \(.*foreign key to unknown table 'parent'.*\); nothing was written\n/);
      expect(r.stderr).toMatch(/\nhint: a table the pulled ones reference is missing: pull it too, or declare it in the models folder\n$/);
      expect(fs.existsSync(path.join(dir, 'models'))).toBe(false);
    } finally {
      rmProject(dir);
    }
  });

  test('something the model language cannot say: leave that table out', async () => {
    // SQLite takes a foreign key between columns of different types; a model cannot say it.
    // (One to columns that are neither the key nor unique is a loose foreign key: ./sqlite-loose-foreign-keys.test.ts.)
    const dir = await project(['CREATE TABLE p (id INTEGER PRIMARY KEY, x INTEGER)', 'CREATE TABLE item (id INTEGER PRIMARY KEY, px TEXT REFERENCES p (id))']);
    try {
      const r = await kiln(['db', 'pull'], { cwd: dir });
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/^error: the pulled models do not compile \(model 'Item' field 'px': column type text does not match 'p.id' \(integer\)\); nothing was written\n/);
      expect(r.stderr).toMatch(/\nhint: leave that table out \(--exclude TABLE\) and declare it by hand, or exclude it in the config to keep it unmanaged\n$/);
      expect(fs.existsSync(path.join(dir, 'models'))).toBe(false);
    } finally {
      rmProject(dir);
    }
  });
});
