/**
 * The repository's example through the real binary, on every dialect of this run: initial
 * migrate -> upgrade -> check -> seed, then one model edit at a time. For each edit: `db check`
 * lists exactly that change, `db migrate` writes it, `db upgrade` applies it, `db check` is
 * clean, every row survives (except what the edit dropped), and `db downgrade` brings back
 * exactly the schema and rows of before.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Knex } from 'knex';
import { freshDatabase, type FreshDatabase } from '../helpers/databases';
import { testDialects } from '../helpers/dialects';
import { copyExample, kiln, rmProject, type RunResult } from '../helpers/cli';
import { dumpData, liveSchema, project, type Data } from '../helpers/snapshot';
import type { Schema } from '../../src/schema/types';

interface Edit {
  readonly name: string;
  /** file (under models/) -> [search, replacement]; a null replacement deletes the file, a null search creates it. */
  readonly files: Record<string, [string | null, string | null][]>;
  readonly rename?: string[];
  /** The `Detected ...` lines of `db migrate` (without the prefix), any order. */
  readonly detected: string[];
  /** `db check` knows no renames: what it lists instead of `detected`. */
  readonly checkDetected?: string[];
  /** On MySQL/MariaDB, when it differs (foreign keys to `increments` keys must be unsigned there). */
  readonly mysqlDetected?: string[];
  /** What db migrate detects on SQLite when it differs (the Draft trigger has its own name there). */
  readonly sqliteDetected?: string[];
  readonly renames?: { tables?: Record<string, string>; columns?: Record<string, Record<string, string>> };
  /** What downgrade cannot bring back: 'table' or 'table.column'. */
  readonly lost?: string[];
  /** Runs once the edit is applied for good (e.g. gives a new column values). */
  readonly after?: (knex: Knex) => Promise<void>;
}

const TAG_MODEL = `import { model, Integer, String } from 'kiln';

export const Tag = model('Tag', {
  id: Integer().primaryKey(),
  name: String(30).unique(),
  post_id: Integer().references('post.id', { onDelete: 'CASCADE' }),
});
`;

const EDITS: Edit[] = [
  {
    name: 'add a column',
    files: { 'note.ts': [['body: Text(),', 'body: Text(),\n  post_id: Integer(),']] },
    detected: ["added column 'note.post_id'"],
    after: async (knex) => {
      const post = await knex('post').orderBy('id').first('id');
      const note = await knex('note').orderBy('id').first('id');
      await knex('note').where({ id: note.id }).update({ post_id: post.id });
    },
  },
  {
    name: 'drop a column',
    files: { 'author-article.ts': [['    phone: String(20),\n', '']] },
    detected: ["removed column 'author.phone'"],
    lost: ['author.phone'],
  },
  {
    name: 'change a String length',
    files: { 'post-comment.ts': [['title: String(50).unique()', 'title: String(80).unique()']] },
    detected: ["changed column 'post.title' (type string(50) -> string(80))"],
  },
  {
    name: 'nullable -> not null with a default',
    files: { 'student-teacher.ts': [["grade: String(20),", "grade: String(20).notNull().default('none'),"]] },
    detected: ["changed column 'student.grade' (now NOT NULL, default none -> \"none\")"],
  },
  {
    name: 'add a unique rule',
    files: { 'student-teacher.ts': [['office: String(20),', 'office: String(20).unique(),']] },
    detected: ["added unique constraint 'teacher_office_unique' on 'teacher' (office)"],
  },
  {
    name: 'remove a unique rule',
    files: { 'citizen-city.ts': [["    name: String(70).unique(),\n    city_id", '    name: String(70),\n    city_id']] },
    detected: ["removed unique constraint 'citizen_name_unique' on 'citizen' (name)"],
  },
  {
    name: 'add an index (on a foreign key column)',
    files: { 'writer-book.ts': [["writer_id: Integer().references('writer.id'),", "writer_id: Integer().references('writer.id').index(),"]] },
    detected: ["added index 'book_writer_id_index' on 'book' (writer_id)"],
  },
  {
    name: 'remove an index',
    files: { 'singer-song.ts': [['name: String(50).index(),', 'name: String(50),']] },
    detected: ["removed index 'song_name_index' on 'song' (name)"],
  },
  {
    name: 'add a foreign key with CASCADE',
    files: { 'note.ts': [['post_id: Integer(),', "post_id: Integer().references('post.id', { onDelete: 'CASCADE' }),"]] },
    detected: ["added foreign key 'note_post_id_foreign' on 'note' (post_id) -> 'post'"],
    mysqlDetected: [
      "added foreign key 'note_post_id_foreign' on 'note' (post_id) -> 'post'",
      "changed column 'note.post_id' (type integer -> integer unsigned)",
    ],
  },
  {
    name: "change a foreign key's onDelete",
    files: { 'note.ts': [["{ onDelete: 'CASCADE' }", "{ onDelete: 'SET NULL' }"]] },
    detected: ["removed foreign key 'note_post_id_foreign' on 'note' (post_id) -> 'post'", "added foreign key 'note_post_id_foreign' on 'note' (post_id) -> 'post'"],
  },
  {
    name: 'rename a column',
    files: { 'writer-book.ts': [['title: String(50).index(),', 'headline: String(50).index(),']] },
    rename: ['book.title=headline'],
    detected: ["renamed column 'book.title' to 'headline'"],
    checkDetected: [
      "added column 'book.headline'",
      "added index 'book_headline_index' on 'book' (headline)",
      "removed column 'book.title'",
      "removed index 'book_title_index' on 'book' (title)",
    ],
    renames: { columns: { book: { title: 'headline' } } },
  },
  {
    name: 'rename a table',
    files: { 'singer-song.ts': [["'Singer',", "'Artist',"], ["references('singer.id')", "references('artist.id')"]] },
    rename: ['singer=artist'],
    detected: ["renamed table 'singer' to 'artist'"],
    checkDetected: [
      "added foreign key 'song_singer_id_foreign' on 'song' (singer_id) -> 'artist'",
      "added table 'artist'",
      "removed foreign key 'song_singer_id_foreign' on 'song' (singer_id) -> 'singer'",
      "removed table 'singer'",
    ],
    renames: { tables: { singer: 'artist' } },
  },
  {
    name: 'add a table',
    files: { 'tag.ts': [[null, TAG_MODEL]] },
    detected: ["added table 'tag'"],
    after: async (knex) => {
      const post = await knex('post').orderBy('id').first('id');
      await knex('tag').insert({ name: 'plans', post_id: post.id });
    },
  },
  {
    name: 'drop a table',
    files: { 'draft.ts': [['', null]] },
    // the table and its trigger (PostgreSQL: with its function)
    detected: ["removed table 'draft'", "removed trigger 'draft_body_edited' on 'draft'"],
    sqliteDetected: ["removed table 'draft'", "removed trigger 'draft_body_edited_after' on 'draft'"],
    lost: ['draft'],
  },
];

function applyEdit(dir: string, edit: Edit): void {
  for (const [file, changes] of Object.entries(edit.files)) {
    const full = path.join(dir, 'models', file);
    for (const [search, replacement] of changes) {
      if (replacement === null) {
        fs.unlinkSync(full);
        continue;
      }
      if (search === null) {
        fs.writeFileSync(full, replacement);
        continue;
      }
      const text = fs.readFileSync(full, 'utf8');
      if (!text.includes(search)) throw new Error(`edit '${edit.name}': '${search}' not found in ${file}`);
      fs.writeFileSync(full, text.replace(search, replacement));
    }
  }
}

function readModels(dir: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const f of fs.readdirSync(path.join(dir, 'models'))) m.set(f, fs.readFileSync(path.join(dir, 'models', f), 'utf8'));
  return m;
}

function writeModels(dir: string, files: Map<string, string>): void {
  for (const f of fs.readdirSync(path.join(dir, 'models'))) fs.unlinkSync(path.join(dir, 'models', f));
  for (const [f, text] of files) fs.writeFileSync(path.join(dir, 'models', f), text);
}

const detectedOf = (r: RunResult) => r.stdout.split('\n').filter((l) => l.startsWith('Detected ')).map((l) => l.slice('Detected '.length)).sort();

/** Columns that exist before (through renames) and after, per table of `after`. */
function commonColumns(before: Schema, after: Schema, edit: Edit): Record<string, string[]> {
  const keep: Record<string, string[]> = {};
  for (const t of before.tables) {
    const name = edit.renames?.tables?.[t.name] ?? t.name;
    const now = after.tables.find((x) => x.name === name);
    if (!now) continue;
    const ren = edit.renames?.columns?.[name] ?? {};
    const had = new Set(t.columns.map((c) => ren[c.name] ?? c.name));
    keep[name] = now.columns.map((c) => c.name).filter((c) => had.has(c));
  }
  return keep;
}

function withoutLost(schema: Schema, edit: Edit): Record<string, string[]> {
  const lost = new Set(edit.lost ?? []);
  const keep: Record<string, string[]> = {};
  for (const t of schema.tables) {
    if (lost.has(t.name)) continue;
    keep[t.name] = t.columns.map((c) => c.name).filter((c) => !lost.has(`${t.name}.${c}`));
  }
  return keep;
}

function expectClean(r: RunResult): void {
  if (r.code !== 0 || !r.stdout.includes('No new upgrade operations detected.')) {
    throw new Error(`db check is not clean (exit ${r.code})\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
  }
}

const counts = (d: Data) => Object.fromEntries(Object.entries(d).map(([t, rows]) => [t, rows.length]));

describe.each(testDialects().map((d) => [d.name, d] as const))('the example, edit by edit, on %s', (dialectName, dialect) => {
  let dir: string;
  let db: FreshDatabase;
  let knex: Knex;
  let schema: Schema;
  let data: Data;
  let broken = false;

  const k = async (...args: string[]) => kiln(args, { cwd: dir, env: { DATABASE_URL: db.url } });
  const ok = async (...args: string[]) => {
    const r = await k(...args);
    if (r.code !== 0) throw new Error(`kiln ${args.join(' ')} exited ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
    return r;
  };
  const snapshot = async () => {
    const s = await liveSchema(knex, dialectName);
    return { schema: s, data: await dumpData(knex, s) };
  };

  beforeAll(async () => {
    dir = copyExample({ migrations: false });
    db = await freshDatabase(dialect);
    knex = db.connect();
  });
  afterAll(async () => {
    await db.cleanup();
    rmProject(dir);
  });

  test('initial migrate, upgrade, check, seed', async () => {
    broken = true;
    const r = await ok('db', 'migrate', '-m', 'initial');
    // 19 tables (17 of the tutorial, 2 of the shop), the Draft trigger, and on PostgreSQL the shop's enum type.
    expect(detectedOf(r)).toHaveLength(dialectName === 'postgres' ? 21 : 20);
    expect(detectedOf(r)).toContain(dialectName === 'sqlite' ? "added trigger 'draft_body_edited_after' on 'draft'" : "added trigger 'draft_body_edited' on 'draft'");
    await ok('db', 'upgrade');
    expectClean(await k('db', 'check'));
    await ok('db', 'seed');
    ({ schema, data } = await snapshot());
    expect(data.comment).toHaveLength(4);
    expect(data.association).toHaveLength(3);
    broken = false;
  });

  test.each(EDITS.map((e) => [e.name, e] as const))('%s', async (_name, edit) => {
    if (broken) throw new Error('an earlier step failed');
    broken = true;
    const previous = readModels(dir);
    applyEdit(dir, edit);
    const edited = readModels(dir);

    const detected = [...((dialectName === 'mysql' && edit.mysqlDetected) || (dialectName === 'sqlite' && edit.sqliteDetected) || edit.detected)].sort();
    let r = await k('db', 'check');
    expect(detectedOf(r)).toEqual(edit.checkDetected ? [...edit.checkDetected].sort() : detected);
    expect(r.code).toBe(1);

    const migrationsDir = path.join(dir, 'migrations');
    const existing = new Set(fs.readdirSync(migrationsDir));
    r = await ok('db', 'migrate', '-m', edit.name, ...(edit.rename ?? []).flatMap((x) => ['--rename', x]));
    expect(detectedOf(r)).toEqual(detected);
    const written = fs.readdirSync(migrationsDir).filter((f) => !existing.has(f));
    expect(written).toHaveLength(1);

    await ok('db', 'upgrade');
    expectClean(await k('db', 'check'));

    const up = await snapshot();
    const keep = commonColumns(schema, up.schema, edit);
    expect(project(up.data, keep)).toEqual(project(data, keep, edit.renames));
    if (dialectName === 'sqlite') expect(up.data.comment).toHaveLength(data.comment.length);

    await ok('db', 'downgrade');
    // Against the previous models, with the new migration set aside (else it is pending).
    writeModels(dir, previous);
    const aside = path.join(dir, written[0]);
    fs.renameSync(path.join(migrationsDir, written[0]), aside);
    expectClean(await k('db', 'check'));
    const down = await snapshot();
    expect(down.schema).toEqual(schema);
    const keepDown = withoutLost(schema, edit);
    expect(project(down.data, keepDown)).toEqual(project(data, keepDown));
    expect(counts(project(down.data, keepDown))).toEqual(counts(project(data, keepDown)));

    fs.renameSync(aside, path.join(migrationsDir, written[0]));
    writeModels(dir, edited);
    await ok('db', 'upgrade');
    expectClean(await k('db', 'check'));
    if (edit.after) await edit.after(knex);
    ({ schema, data } = await snapshot());
    broken = false;
  });

  test('downgrade base empties the database, upgrade head rebuilds it', async () => {
    if (broken) throw new Error('an earlier step failed');
    await ok('db', 'downgrade', 'base');
    expect((await liveSchema(knex, dialectName)).tables).toEqual([]);
    await ok('db', 'upgrade');
    expect(await liveSchema(knex, dialectName)).toEqual(schema);
    expectClean(await k('db', 'check'));
  });
});
