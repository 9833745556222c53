/**
 * `kiln db pull --force` replaces a model file with the same object's new model, never another
 * object's: tables `user_role` and `UserRole` both get the file name `user-role.ts`, and pulled one
 * at a time, the second pull used to overwrite the first one's model (the next `db migrate` then
 * dropped `user_role` and its rows). The file system is the subject: SQLite.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import knexFactory from 'knex';
import { kiln, makeProject, rmProject } from '../helpers/cli';

jest.setTimeout(120000);

/** A project on a SQLite file (data.db) holding what `statements` make. */
async function sqliteProject(statements: readonly string[]): Promise<string> {
  const dir = makeProject({ 'kiln.config.ts': "export default { database: 'sqlite:///data.db', models: 'models', migrations: 'migrations' };\n" });
  fs.mkdirSync(path.join(dir, 'migrations'));
  const knex = knexFactory({ client: 'sqlite3', connection: { filename: path.join(dir, 'data.db') }, useNullAsDefault: true });
  try {
    for (const sql of statements) await knex.raw(sql);
  } finally {
    await knex.destroy();
  }
  return dir;
}

describe('db pull --force', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await sqliteProject([
      'CREATE TABLE user_role (id INTEGER PRIMARY KEY, name TEXT)',
      'CREATE TABLE "UserRole" (id INTEGER PRIMARY KEY, x TEXT)',
      "INSERT INTO user_role (name) VALUES ('admin')",
    ]);
  });
  afterAll(() => rmProject(dir));

  const modelFile = () => path.join(dir, 'models', 'user-role.ts');

  test("refuses to replace another table's model file, and writes nothing", async () => {
    const first = await kiln(['db', 'pull', '--tables', 'user_role'], { cwd: dir });
    expect(first.code).toBe(0);
    const before = fs.readFileSync(modelFile(), 'utf8');
    expect(before).toContain("Table 'user_role', pulled from the database");

    const second = await kiln(['db', 'pull', '--tables', 'UserRole', '--force'], { cwd: dir });
    expect(second.code).toBe(1);
    expect(second.stderr).toBe(
      "error: refusing to replace models/user-role.ts: it declares table 'user_role', not table 'UserRole'; nothing was written\n" +
        'hint: move or rename that file, or pull into another folder with --out\n',
    );
    expect(fs.readFileSync(modelFile(), 'utf8')).toBe(before);
    expect(fs.readdirSync(path.join(dir, 'models'))).toEqual(['user-role.ts']);
  });

  test('replaces the same table\'s model, and a file that does not load', async () => {
    fs.writeFileSync(modelFile(), fs.readFileSync(modelFile(), 'utf8').replace("name: Text()", "name: Text().notNull()"));
    const again = await kiln(['db', 'pull', '--tables', 'user_role', '--force'], { cwd: dir });
    expect(again.code).toBe(0);
    expect(fs.readFileSync(modelFile(), 'utf8')).toContain('name: Text(),');

    fs.writeFileSync(modelFile(), 'this is not TypeScript {');
    const broken = await kiln(['db', 'pull', '--tables', 'user_role', '--force'], { cwd: dir });
    expect(broken.code).toBe(0);
    expect(fs.readFileSync(modelFile(), 'utf8')).toContain("Table 'user_role', pulled from the database");
    // The models say user_role as it is; only UserRole, never pulled here, is missing from them.
    const check = await kiln(['db', 'check'], { cwd: dir });
    expect(check.stdout).toMatch(/^Detected removed table 'UserRole'\n(.*\n)?New upgrade operations detected: 1.\n$/);
    expect(check.stdout).not.toContain('user_role');
  });
});

describe('db pull --tables X --force into a folder holding the other models', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await sqliteProject([
      'CREATE TABLE artist (id INTEGER PRIMARY KEY, name TEXT)',
      'CREATE TABLE album (id INTEGER PRIMARY KEY, title TEXT, artist_id INTEGER NOT NULL REFERENCES artist (id))',
    ]);
  });
  afterAll(() => rmProject(dir));

  const read = (f: string) => fs.readFileSync(path.join(dir, 'models', f), 'utf8');

  // Artist's `albums` names Album's `artist` (backPopulates): a pull of Album alone left that out,
  // and the models did not compile ("model 'Album' has no relationship 'artist'").
  test('after a whole pull, one table pulled again keeps its relationships to the others', async () => {
    expect((await kiln(['db', 'pull'], { cwd: dir })).code).toBe(0);
    const whole = read('album.ts');
    expect(whole).toMatch(/artist: relationship\('Artist'/);
    const again = await kiln(['db', 'pull', '--tables', 'album', '--force'], { cwd: dir });
    expect({ code: again.code, err: again.stderr }).toEqual({ code: 0, err: '' });
    expect(read('album.ts')).toBe(whole);
    expect((await kiln(['db', 'check'], { cwd: dir })).stdout).toContain('No new upgrade operations detected.');
  });

  test('tables pulled one at a time into an empty folder still compile (no relationship to a model without its other side)', async () => {
    fs.rmSync(path.join(dir, 'models'), { recursive: true, force: true });
    expect((await kiln(['db', 'pull', '--tables', 'artist'], { cwd: dir })).code).toBe(0);
    const second = await kiln(['db', 'pull', '--tables', 'album'], { cwd: dir });
    expect({ code: second.code, err: second.stderr }).toEqual({ code: 0, err: '' });
    expect(read('album.ts')).toContain("artist_id: Integer().notNull().references('artist.id'),");
    expect(read('album.ts')).not.toMatch(/relationship\(/);
    expect((await kiln(['db', 'check'], { cwd: dir })).stdout).toContain('No new upgrade operations detected.');
  });

  test('relationships renamed by hand keep their names when either table is pulled again', async () => {
    fs.rmSync(path.join(dir, 'models'), { recursive: true, force: true });
    expect((await kiln(['db', 'pull'], { cwd: dir })).code).toBe(0);
    const file = (f: string) => path.join(dir, 'models', f);
    fs.writeFileSync(file('artist.ts'), read('artist.ts').replace("albums: relationship('Album', { backPopulates: 'artist' })", "records: relationship('Album', { backPopulates: 'performer' })"));
    fs.writeFileSync(file('album.ts'), read('album.ts').replace("artist: relationship('Artist', { backPopulates: 'albums' })", "performer: relationship('Artist', { backPopulates: 'records' })"));
    expect((await kiln(['db', 'check'], { cwd: dir })).stdout).toContain('No new upgrade operations detected.');
    for (const table of ['album', 'artist']) {
      const again = await kiln(['db', 'pull', '--tables', table, '--force'], { cwd: dir });
      expect({ table, code: again.code, err: again.stderr }).toEqual({ table, code: 0, err: '' });
    }
    expect(read('album.ts')).toContain("performer: relationship('Artist', { backPopulates: 'records' })");
    expect(read('artist.ts')).toContain("records: relationship('Album', { backPopulates: 'performer' })");
    expect((await kiln(['db', 'check'], { cwd: dir })).stdout).toContain('No new upgrade operations detected.');
  });
});

describe('db pull --tables X --force with several relationships between two models', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await sqliteProject([
      'CREATE TABLE team (id INTEGER PRIMARY KEY, name TEXT)',
      'CREATE TABLE game (id INTEGER PRIMARY KEY, home_id INTEGER NOT NULL REFERENCES team (id), away_id INTEGER NOT NULL REFERENCES team (id))',
    ]);
  });
  afterAll(() => rmProject(dir));

  const read = (f: string) => fs.readFileSync(path.join(dir, 'models', f), 'utf8');

  // Two foreign keys link game and team: each pair of relationships is told apart by the
  // foreign key columns both sides name (it was followed only where one linked them).
  test('each renamed pair is followed by its foreign key columns', async () => {
    expect((await kiln(['db', 'pull'], { cwd: dir })).code).toBe(0);
    const file = (f: string) => path.join(dir, 'models', f);
    const rename = (f: string, pairs: [RegExp, string][]) => {
      let text = read(f);
      for (const [from, to] of pairs) {
        expect(text).toMatch(from);
        text = text.replace(from, to);
      }
      fs.writeFileSync(file(f), text);
    };
    rename('team.ts', [
      [/gamesByHomeId: relationship\('Game', \{ backPopulates: 'home',/, "hosted: relationship('Game', { backPopulates: 'host',"],
      [/gamesByAwayId: relationship\('Game', \{ backPopulates: 'away',/, "visited: relationship('Game', { backPopulates: 'visitor',"],
    ]);
    rename('game.ts', [
      [/home: relationship\('Team', \{ backPopulates: 'gamesByHomeId',/, "host: relationship('Team', { backPopulates: 'hosted',"],
      [/away: relationship\('Team', \{ backPopulates: 'gamesByAwayId',/, "visitor: relationship('Team', { backPopulates: 'visited',"],
    ]);
    // The other side's foreignKeys said without the table: the same columns.
    rename('team.ts', [[/foreignKeys: 'game\.away_id'/, "foreignKeys: ['away_id']"]]);
    const renamed = { game: read('game.ts'), team: read('team.ts') };
    expect((await kiln(['db', 'check'], { cwd: dir })).stdout).toContain('No new upgrade operations detected.');
    for (const table of ['game', 'team']) {
      const again = await kiln(['db', 'pull', '--tables', table, '--force'], { cwd: dir });
      expect({ table, code: again.code, err: again.stderr }).toEqual({ table, code: 0, err: '' });
    }
    expect(read('game.ts')).toBe(renamed.game);
    expect(read('team.ts')).toContain("hosted: relationship('Game', { backPopulates: 'host', foreignKeys: 'game.home_id' })");
    expect(read('team.ts')).toContain("visited: relationship('Game', { backPopulates: 'visitor', foreignKeys: 'game.away_id' })");
    expect((await kiln(['db', 'check'], { cwd: dir })).stdout).toContain('No new upgrade operations detected.');
  });
});

describe('db pull --tables X --force with foreign keys both ways between two models', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await sqliteProject([
      'CREATE TABLE a (id INTEGER PRIMARY KEY, x_id INTEGER REFERENCES b (id))',
      'CREATE TABLE b (id INTEGER PRIMARY KEY, x_id INTEGER REFERENCES a (id))',
    ]);
  });
  afterAll(() => rmProject(dir));

  const read = (f: string) => fs.readFileSync(path.join(dir, 'models', f), 'utf8');

  // a.x_id -> b and b.x_id -> a: the same column name on both sides, so a pair is told apart
  // by the table its foreignKeys names too (the columns alone matched both).
  test('each renamed pair is found by the foreign key table and columns', async () => {
    expect((await kiln(['db', 'pull'], { cwd: dir })).code).toBe(0);
    for (const f of ['a.ts', 'b.ts']) {
      const text = read(f);
      expect(text.match(/relationship\(/g)).toHaveLength(2);
      fs.writeFileSync(path.join(dir, 'models', f), text.replace(/(\w+): relationship\(/g, 'my$1: relationship(').replace(/backPopulates: '(\w+)'/g, "backPopulates: 'my$1'"));
    }
    const renamed = { a: read('a.ts'), b: read('b.ts') };
    expect(renamed.a).toMatch(/my\w+: relationship\('B', \{ backPopulates: 'my\w+', foreignKeys: 'a\.x_id' \}\)/);
    expect((await kiln(['db', 'check'], { cwd: dir })).stdout).toContain('No new upgrade operations detected.');
    for (const table of ['a', 'b']) {
      const again = await kiln(['db', 'pull', '--tables', table, '--force'], { cwd: dir });
      expect({ table, code: again.code, err: again.stderr }).toEqual({ table, code: 0, err: '' });
    }
    expect({ a: read('a.ts'), b: read('b.ts') }).toEqual(renamed);
  });
});
