/**
 * `kiln db adopt` on a Knex project with hand-written JS and TS migrations
 * (test/fixtures/knex-project), on every dialect: the migrations are replayed into a scratch
 * database that is dropped afterwards (also when a migration fails), models are written, the
 * configured database is not touched, and `db migrate` then works on top of the history.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Knex } from 'knex';
import { expectUserError, kiln, makeProject, REPO, rmProject, writeFile } from '../helpers/cli';
import { freshDatabase, type FreshDatabase } from '../helpers/databases';
import { testDialects } from '../helpers/dialects';
import { dumpData, liveSchema } from '../helpers/snapshot';

jest.setTimeout(180000);

const FIXTURE = path.join(REPO, 'test', 'fixtures', 'knex-project');

function copyFixture(): string {
  const dir = makeProject();
  fs.cpSync(FIXTURE, dir, { recursive: true });
  return dir;
}

/** Scratch databases (servers) or scratch folders (SQLite) that exist now. */
async function scratches(db: FreshDatabase, knex: Knex): Promise<string[]> {
  if (db.dialect === 'sqlite') return fs.readdirSync(os.tmpdir()).filter((f) => f.startsWith('kiln-adopt-'));
  if (db.dialect === 'postgres') return (await knex.raw("select datname from pg_database where datname like 'kiln\\_adopt\\_%'")).rows.map((r: { datname: string }) => r.datname);
  return ((await knex.raw("show databases like 'kiln\\_adopt\\_%'"))[0] as Record<string, string>[]).map((r) => Object.values(r)[0]);
}

async function snapshot(knex: Knex, db: FreshDatabase) {
  const schema = await liveSchema(knex, db.dialect);
  const history = (await knex('knex_migrations').select('name').orderBy('id')).map((r: { name: string }) => r.name);
  return { schema, data: await dumpData(knex, schema), history };
}

describe.each(testDialects().map((d) => [d.name, d] as const))('db adopt on %s', (_name, dialect) => {
  test('adopts the project: models written, database untouched, scratch dropped, migrate on top', async () => {
    const db = await freshDatabase(dialect);
    const dir = copyFixture();
    const env = { DATABASE_URL: db.url };
    const knex = db.connect();
    try {
      // The history as Knex left it (kiln keeps Knex's bookkeeping tables), with rows.
      expect((await kiln(['db', 'upgrade'], { cwd: dir, env })).code).toBe(0);
      await knex('authors').insert({ id: 1, name: 'Ursula', email: 'u@example.org' });
      await knex('books').insert({ id: 1, title: 'The Dispossessed', author_id: 1, isbn: '9780060512750' });
      await knex('tags').insert({ id: 1, label: 'sf' });
      await knex('book_tags').insert({ book_id: 1, tag_id: 1 });
      const before = await snapshot(knex, db);
      const scratchBefore = await scratches(db, knex);

      const r = await kiln(['db', 'adopt'], { cwd: dir, env });
      expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
      expect(r.stdout.split('\n')[0]).toMatch(/^Replayed 4 migration\(s\) into a scratch (SQLite|PostgreSQL|MySQL\/MariaDB) database; the configured database was not touched\.$/);
      expect(fs.readdirSync(path.join(dir, 'models')).sort()).toEqual(['authors.ts', 'book-tags.ts', 'books.ts', 'tags.ts']);
      expect(fs.readFileSync(path.join(dir, 'models', 'book-tags.ts'), 'utf8')).toMatch(/= table\(\n {2}'book_tags',/);
      expect(fs.readFileSync(path.join(dir, 'models', 'tags.ts'), 'utf8')).toContain("books: relationship('Books', { secondary: 'book_tags', backPopulates: 'tags' })");
      expect(await snapshot(knex, db)).toEqual(before);
      expect(await scratches(db, knex)).toEqual(scratchBefore);

      const check = await kiln(['db', 'check'], { cwd: dir, env });
      expect({ code: check.code, stdout: check.stdout, stderr: check.stderr }).toEqual({ code: 0, stdout: 'No new upgrade operations detected.\n', stderr: '' });
      const nothing = await kiln(['db', 'migrate', '-m', 'nothing'], { cwd: dir, env });
      expect({ code: nothing.code, stdout: nothing.stdout }).toEqual({ code: 0, stdout: 'No changes in schema detected.\n' });

      // A kiln migration on top of the hand-written history.
      const books = fs.readFileSync(path.join(dir, 'models', 'books.ts'), 'utf8');
      writeFile(dir, 'models/books.ts', books.replace('    summary: Text(),\n', '    summary: Text(),\n    rating: Integer(),\n'));
      const migrate = await kiln(['db', 'migrate', '-m', 'add rating'], { cwd: dir, env });
      expect(migrate.code).toBe(0);
      expect(migrate.stdout).toMatch(/^Detected added column 'books\.rating'\n/);
      const up = await kiln(['db', 'upgrade'], { cwd: dir, env });
      expect(up.stdout).toMatch(/^Running upgrade 20240104090000_tags -> \d{14}_add_rating, add rating\n$/);
      expect(await knex('books').select('id', 'title', 'rating')).toEqual([{ id: 1, title: 'The Dispossessed', rating: null }]);
      expect((await kiln(['db', 'check'], { cwd: dir, env })).code).toBe(0);
    } finally {
      await db.cleanup();
      rmProject(dir);
    }
  });

  test('a migration that fails: one error line, no models, the scratch database dropped', async () => {
    const db = await freshDatabase(dialect);
    const dir = copyFixture();
    writeFile(dir, 'migrations/20240105090000_broken.js', "exports.up = async (knex) => { await knex.raw('select * from no_such_table'); };\nexports.down = async () => {};\n");
    const env = { DATABASE_URL: db.url };
    const knex = db.connect();
    try {
      const scratchBefore = await scratches(db, knex);
      const r = await kiln(['db', 'adopt'], { cwd: dir, env });
      expectUserError(r, /^error: replaying the migrations into a scratch .* database failed: .*20240105090000_broken.*nothing was written$/);
      expect(fs.existsSync(path.join(dir, 'models'))).toBe(false);
      expect(await scratches(db, knex)).toEqual(scratchBefore);
      expect((await liveSchema(knex, db.dialect)).tables).toEqual([]);
    } finally {
      await db.cleanup();
      rmProject(dir);
    }
  });
});
