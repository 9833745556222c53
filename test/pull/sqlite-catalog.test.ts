/**
 * `kiln db pull` on a SQLite file reads the catalog through the sqlite3 driver alone, Knex not
 * even loaded (openCatalog, src/dialect/sqlite/catalog.ts), and every other case through Knex
 * (openDatabase): both give the same files, the file is never changed, and a file that is not
 * a database fails with openDatabase's one line.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import knexFactory from 'knex';
import { kiln, makeProject, rmProject } from '../helpers/cli';
import { loadedProbe } from '../helpers/loaded';

jest.setTimeout(60000);

const CONFIG = "export default { models: 'models', migrations: 'migrations' };\n";

async function makeDatabase(file: string): Promise<void> {
  const knex = knexFactory({ client: 'sqlite3', connection: { filename: file }, useNullAsDefault: true });
  try {
    await knex.schema.createTable('author', (t) => {
      t.increments('id');
      t.string('name', 80).notNullable().index();
    });
    await knex.schema.createTable('book', (t) => {
      t.increments('id');
      t.integer('author_id').references('author.id');
      t.text('title');
    });
    await knex.raw('CREATE VIEW named AS SELECT id, name FROM author');
  } finally {
    await knex.destroy();
  }
}

const sha = (file: string) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

const filesOf = (dir: string): Record<string, string> => {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[path.relative(dir, p)] = fs.readFileSync(p, 'utf8');
    }
  };
  walk(dir);
  return out;
};

describe('db pull on a SQLite file', () => {
  let dir: string;
  beforeEach(() => {
    dir = makeProject({ 'kiln.config.ts': CONFIG });
  });
  afterEach(() => rmProject(dir));

  test('the driver path and the Knex path (?mode=ro) write the same files and leave the database file as it was', async () => {
    const file = path.join(dir, 'data.db');
    await makeDatabase(file);
    const before = sha(file);
    const probe = loadedProbe(dir, ['knex', 'sqlite3']);
    const plain = await kiln(['db', 'pull', '--out', 'plain'], { cwd: dir, env: { DATABASE_URL: 'sqlite:///data.db', ...probe.env } });
    expect(plain.stderr).toBe('');
    expect(plain.code).toBe(0);
    const driverOnly = probe.read();
    expect(driverOnly.knex).toEqual([]);
    expect(driverOnly.sqlite3.length).toBeGreaterThan(0);
    const knexPath = await kiln(['db', 'pull', '--out', 'viaknex'], { cwd: dir, env: { DATABASE_URL: 'sqlite:///data.db?mode=ro', ...probe.env } });
    expect(knexPath.stderr).toBe('');
    expect(knexPath.code).toBe(0);
    expect(probe.read().knex.length).toBeGreaterThan(0); // the probe sees Knex where it is loaded
    const a = filesOf(path.join(dir, 'plain'));
    expect(Object.keys(a).sort()).toEqual(['author.ts', 'book.ts', path.join('views', 'named.ts')]);
    expect(filesOf(path.join(dir, 'viaknex'))).toEqual(a);
    expect(sha(file)).toBe(before);
    expect(fs.existsSync(`${file}-journal`) || fs.existsSync(`${file}-wal`)).toBe(false);
  });

  test('a file that is not a SQLite database: one error line, nothing written', async () => {
    fs.writeFileSync(path.join(dir, 'data.db'), 'not a database '.repeat(40));
    const r = await kiln(['db', 'pull'], { cwd: dir, env: { DATABASE_URL: 'sqlite:///data.db' } });
    expect(r.code).not.toBe(0);
    expect(r.stderr.trim()).toBe('error: cannot connect to sqlite:///data.db: file is not a SQLite database');
    expect(fs.existsSync(path.join(dir, 'models'))).toBe(false);
  });

  test('a file another connection is writing to: the pull reads what is committed', async () => {
    const file = path.join(dir, 'data.db');
    await makeDatabase(file);
    const writer = knexFactory({ client: 'sqlite3', connection: { filename: file }, useNullAsDefault: true, pool: { min: 1, max: 1 } });
    try {
      const trx = await writer.transaction();
      await trx.raw('CREATE TABLE uncommitted (id integer primary key)');
      const r = await kiln(['db', 'pull'], { cwd: dir, env: { DATABASE_URL: 'sqlite:///data.db' } });
      await trx.rollback();
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(fs.readdirSync(path.join(dir, 'models')).sort()).toEqual(['author.ts', 'book.ts', 'views']);
    } finally {
      await writer.destroy();
    }
  });
});
