/**
 * `kiln db pull` on a database kiln did not create (Chinook, on every dialect): the models it
 * writes leave `db check` clean and `db migrate` with nothing to write; a new model that
 * references Track then migrates and upgrades with every Chinook row kept.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Knex } from 'knex';
import { expectUserError, kiln, makeProject, rmProject, writeFile } from '../helpers/cli';
import { chinookNames, loadChinook } from '../helpers/chinook';
import { freshDatabase, type FreshDatabase } from '../helpers/databases';
import { testDialects } from '../helpers/dialects';

jest.setTimeout(180000);

async function counts(knex: Knex, tables: string[]): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of tables) out[t] = Number((await knex(t).count({ n: '*' }))[0].n);
  return out;
}

describe.each(testDialects().map((d) => [d.name, d] as const))('db pull on Chinook (%s)', (_name, dialect) => {
  let db: FreshDatabase;
  let dir: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    db = await freshDatabase(dialect);
    await loadChinook(db);
    dir = makeProject({ 'kiln.config.ts': "export default { models: 'models', migrations: 'migrations' };\n" });
    fs.mkdirSync(path.join(dir, 'migrations'));
    env = { DATABASE_URL: db.url };
  });
  afterAll(async () => {
    await db?.cleanup();
    if (dir) rmProject(dir);
  });

  test('pull writes one model per table, and check and migrate find nothing', async () => {
    const r = await kiln(['db', 'pull'], { cwd: dir, env });
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    expect(fs.readdirSync(path.join(dir, 'models')).sort()).toEqual(
      ['album', 'artist', 'customer', 'employee', 'genre', 'invoice', 'invoice-line', 'media-type', 'playlist', 'playlist-track', 'track'].map((f) => `${f}.ts`).sort(),
    );
    const track = fs.readFileSync(path.join(dir, 'models', 'track.ts'), 'utf8');
    expect(track).toMatch(/export const Track = model\(/);
    expect(track).toMatch(/relationship\('Playlist', \{ secondary: '(PlaylistTrack|playlist_track)', backPopulates: 'tracks' \}\)/);
    expect(fs.readFileSync(path.join(dir, 'models', 'playlist-track.ts'), 'utf8')).toMatch(/= table\(/);
    const line = fs.readFileSync(path.join(dir, 'models', 'invoice-line.ts'), 'utf8');
    expect(line).toMatch(/export const InvoiceLine = model\(/);
    if (dialect.name !== 'postgres') expect(line).toMatch(/tableName: 'InvoiceLine'/);
    else expect(line).not.toMatch(/tableName/);

    const check = await kiln(['db', 'check'], { cwd: dir, env });
    expect({ code: check.code, stdout: check.stdout, stderr: check.stderr }).toEqual({ code: 0, stdout: 'No new upgrade operations detected.\n', stderr: '' });
    const migrate = await kiln(['db', 'migrate', '-m', 'nothing'], { cwd: dir, env });
    expect({ code: migrate.code, stdout: migrate.stdout }).toEqual({ code: 0, stdout: 'No changes in schema detected.\n' });
    expect(fs.readdirSync(path.join(dir, 'migrations'))).toEqual([]);
  });

  test('a second pull refuses to overwrite the models without --force', async () => {
    const before = fs.readFileSync(path.join(dir, 'models', 'album.ts'), 'utf8');
    const r = await kiln(['db', 'pull'], { cwd: dir, env });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: refusing to overwrite existing model files: models\/album\.ts, .*nothing was written\n/);
    const forced = await kiln(['db', 'pull', '--force'], { cwd: dir, env });
    expect({ code: forced.code, stderr: forced.stderr }).toEqual({ code: 0, stderr: '' });
    expect(fs.readFileSync(path.join(dir, 'models', 'album.ts'), 'utf8')).toBe(before);
  });

  test('a new model referencing Track migrates and upgrades with every Chinook row kept', async () => {
    const names = chinookNames(db);
    const knex = db.connect();
    const before = await counts(knex, names.tables);
    expect(before[names.track]).toBe(3503);
    writeFile(
      dir,
      'models/track-note.ts',
      `import { model, Integer, Text } from 'kiln';\n\nexport const TrackNote = model('TrackNote', {\n  id: Integer().primaryKey(),\n  body: Text(),\n  track_id: Integer().notNull().references('${names.track}.${names.trackId}'),\n});\n`,
    );
    const migrate = await kiln(['db', 'migrate', '-m', 'add note'], { cwd: dir, env });
    expect(migrate.code).toBe(0);
    // Then, on a server, what 'kiln db lint' says of the file (a new key takes a lock on Track).
    expect(migrate.stdout).toMatch(/^Detected added table 'track_note'\nGenerating .*_add_note\.ts \.\.\. done\n( {2}.*lint.*\n)*$/);
    const up = await kiln(['db', 'upgrade'], { cwd: dir, env });
    expect(up.code).toBe(0);
    expect(await counts(knex, names.tables)).toEqual(before);
    await knex('track_note').insert({ id: 1, body: 'x', track_id: 1 });
    const check = await kiln(['db', 'check'], { cwd: dir, env });
    expect({ code: check.code, stdout: check.stdout, stderr: check.stderr }).toEqual({ code: 0, stdout: 'No new upgrade operations detected.\n', stderr: '' });
  });
});

describe('db pull --tables / --exclude (SQLite Chinook)', () => {
  let db: FreshDatabase;
  let dir: string;
  let env: Record<string, string>;
  beforeAll(async () => {
    db = await freshDatabase({ name: 'sqlite' });
    await loadChinook(db);
    dir = makeProject({ 'kiln.config.ts': "export default { models: 'models', migrations: 'migrations' };\n" });
    fs.mkdirSync(path.join(dir, 'migrations'));
    env = { DATABASE_URL: db.url };
  });
  afterAll(async () => {
    await db?.cleanup();
    if (dir) rmProject(dir);
  });

  test('a selection that references a table left out is refused, and nothing is written', async () => {
    const r = await kiln(['db', 'pull', '--tables', 'Invoice*'], { cwd: dir, env });
    expectUserError(r, /^error: the pulled models do not compile \(.*foreign key to unknown table 'Customer'.*\); nothing was written$/);
    expect(fs.existsSync(path.join(dir, 'models'))).toBe(false);
  });

  test('names and globs select, --exclude leaves out, an unknown name is an error', async () => {
    const r = await kiln(['db', 'pull', '--tables', 'Artist', '--tables', 'Al*', '--tables', 'Genre', '--exclude', 'Genre', '--out', 'some'], { cwd: dir, env });
    expect({ code: r.code, stdout: r.stdout, stderr: r.stderr }).toEqual({
      code: 0,
      stdout: "Wrote some/album.ts (table 'Album')\nWrote some/artist.ts (table 'Artist')\n",
      stderr: '',
    });
    expectUserError(await kiln(['db', 'pull', '--tables', 'Nope'], { cwd: dir, env }), /^error: --tables: no table or view named 'Nope' in the database$/);
  });

  test('pulling next to existing models: the new model may reference them', async () => {
    // Relationships only link tables of one pull; foreign keys to models already there compile.
    const r1 = await kiln(['db', 'pull', '--exclude', 'Track', '--exclude', 'PlaylistTrack', '--exclude', 'InvoiceLine'], { cwd: dir, env });
    expect(r1.code).toBe(0);
    const r2 = await kiln(['db', 'pull', '--tables', 'Track', '--tables', 'PlaylistTrack', '--tables', 'InvoiceLine'], { cwd: dir, env });
    expect({ code: r2.code, stderr: r2.stderr }).toEqual({ code: 0, stderr: '' });
    const check = await kiln(['db', 'check'], { cwd: dir, env });
    expect({ code: check.code, stdout: check.stdout, stderr: check.stderr }).toEqual({ code: 0, stdout: 'No new upgrade operations detected.\n', stderr: '' });
  });
});
