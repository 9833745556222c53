import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import knexFactory, { type Knex } from 'knex';
import { rebuildTable, type RebuildSpec } from 'kiln/sqlite';

/** One connection (pool of 1) so PRAGMAs stick, foreign keys OFF as kiln's runner opens it. */
function open(file: string): Knex {
  return knexFactory({
    client: 'sqlite3',
    connection: { filename: file },
    useNullAsDefault: true,
    pool: {
      min: 1,
      max: 1,
      afterCreate: (conn: { run(sql: string, cb: (e: Error | null) => void): void }, done: (e: Error | null) => void) =>
        conn.run('PRAGMA foreign_keys = OFF', done),
    },
  });
}

let dir: string;
let knex: Knex;

async function seed(db: Knex): Promise<void> {
  await db.schema.createTable('author', (t) => {
    t.increments('id');
    t.string('name', 70);
  });
  await db.schema.createTable('post', (t) => {
    t.increments('id');
    t.string('title', 50);
    t.text('body');
    t.integer('edit_time').defaultTo(0);
    t.text('rank');
    t.text('legacy');
    t.integer('author_id');
    t.unique(['title'], { indexName: 'post_title_unique' });
    t.index(['rank'], 'post_rank_index');
  });
  await db.schema.createTable('comment', (t) => {
    t.increments('id');
    t.text('body');
    t.integer('post_id');
    t.foreign(['post_id'], 'comment_post_id_foreign').references(['id']).inTable('post').onDelete('CASCADE');
  });
  await db.raw(
    'CREATE TRIGGER post_edit AFTER UPDATE OF body ON post BEGIN UPDATE post SET edit_time = edit_time + 1 WHERE id = NEW.id; END',
  );
  // A view on the table: renaming the new table into place must not trip over it.
  await db.raw('CREATE VIEW post_bodies AS SELECT id, body FROM post');
  await db('author').insert([{ id: 1, name: 'Foo' }, { id: 2, name: 'Bar' }]);
  await db('post').insert([
    { id: 1, title: 'i have a good plan', body: 'climbing', rank: '10', legacy: 'x', author_id: 1 },
    { id: 2, title: 'today learn python', body: 'class', rank: '20', legacy: null, author_id: 2 },
    { id: 5, title: 'third', body: 'b', rank: '30', legacy: 'z', author_id: null },
  ]);
  await db('comment').insert([
    { body: 'very good', post_id: 1 },
    { body: 'excellent', post_id: 1 },
    { body: 'i also wanna learn python', post_id: 2 },
  ]);
}

/** The new shape: rank text -> integer, legacy dropped, title renamed to headline, FK to author. */
const spec: RebuildSpec = {
  columns: (t) => {
    t.increments('id');
    t.string('headline', 50);
    t.text('body');
    t.integer('edit_time').notNullable().defaultTo(0);
    t.integer('rank');
    t.integer('author_id');
    t.foreign(['author_id'], 'post_author_id_foreign').references(['id']).inTable('author');
  },
  indexes: (t) => {
    t.unique(['headline'], { indexName: 'post_headline_unique' });
    t.index(['rank'], 'post_rank_index');
  },
  copy: [
    ['id', 'id'],
    ['headline', 'title'],
    ['body', 'body'],
    ['edit_time', 'edit_time'],
    ['rank', 'rank'],
    ['author_id', 'author_id'],
  ],
};

async function snapshot(db: Knex) {
  return {
    post: await db('post').orderBy('id'),
    comment: await db('comment').orderBy('id'),
    master: await db.raw("SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name"),
  };
}

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-rebuild-'));
  knex = open(path.join(dir, 'db.sqlite'));
  await seed(knex);
});

afterEach(async () => {
  await knex.destroy();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('rebuild keeps every row, index, trigger and cascade child; FKs work afterwards', async () => {
  await knex('post').where({ id: 5 }).delete(); // the AUTOINCREMENT high-water mark stays 5
  await knex('post').insert({ id: 5, title: 'third', body: 'b', rank: '30' });
  await knex.transaction(async (trx) => {
    await rebuildTable(trx, 'post', spec);
    expect(await trx.raw('PRAGMA foreign_key_check')).toEqual([]);
  });

  const posts = await knex('post').orderBy('id');
  expect(posts.map((p) => [p.id, p.headline, p.rank, p.author_id])).toEqual([
    [1, 'i have a good plan', 10, 1],
    [2, 'today learn python', 20, 2],
    [5, 'third', 30, null],
  ]);
  expect(typeof posts[0].rank).toBe('number');
  expect(posts[0]).not.toHaveProperty('legacy');
  expect(await knex('comment').count({ n: '*' })).toEqual([{ n: 3 }]);

  const indexes = (await knex.raw('PRAGMA index_list(post)')) as { name: string; unique: number }[];
  expect(indexes.map((i) => [i.name, i.unique]).sort()).toEqual([
    ['post_headline_unique', 1],
    ['post_rank_index', 0],
  ]);
  const triggers = await knex.raw("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'post'");
  expect(triggers).toEqual([{ name: 'post_edit' }]);
  expect(await knex.raw("SELECT name FROM sqlite_master WHERE name LIKE '_kiln_tmp_%'")).toEqual([]);

  expect(await knex('post_bodies').orderBy('id').pluck('id')).toEqual([1, 2, 5]);
  // The trigger still fires.
  await knex('post').where({ id: 1 }).update({ body: 'new body' });
  expect((await knex('post').where({ id: 1 }).first()).edit_time).toBe(1);
  // Unique still enforced.
  await expect(knex('post').insert({ headline: 'third' })).rejects.toThrow(/UNIQUE/);
  // AUTOINCREMENT does not reuse ids.
  const [newId] = await knex('post').insert({ headline: 'fourth' });
  expect(newId).toBe(6);

  await knex.raw('PRAGMA foreign_keys = ON');
  await expect(knex('post').insert({ headline: 'bad', author_id: 99 })).rejects.toThrow(/FOREIGN KEY/);
  await expect(knex('comment').insert({ body: 'orphan', post_id: 99 })).rejects.toThrow(/FOREIGN KEY/);
  // The children still point at the rebuilt table: the cascade works.
  await knex('post').where({ id: 1 }).delete();
  expect(await knex('comment').count({ n: '*' })).toEqual([{ n: 1 }]);
});

test('a copy that breaks NOT NULL rolls back: no temp table, nothing changed', async () => {
  const before = await snapshot(knex);
  const strict: RebuildSpec = {
    ...spec,
    columns: (t) => {
      t.increments('id');
      t.text('legacy').notNullable();
    },
    indexes: undefined,
    copy: [
      ['id', 'id'],
      ['legacy', 'legacy'],
    ],
  };
  await expect(knex.transaction((trx) => rebuildTable(trx, 'post', strict))).rejects.toThrow(
    /kiln rebuildTable\('post'\): copying the rows into the new table failed: SQLITE_CONSTRAINT: NOT NULL constraint failed/,
  );
  expect(await snapshot(knex)).toEqual(before);
  // A retry after fixing the data works (no leftover to trip over), once the view and the
  // trigger that name the dropped columns are gone (else the rebuild refuses to break them).
  await knex('post').whereNull('legacy').update({ legacy: '' });
  await knex.raw('DROP VIEW post_bodies');
  await knex.raw('DROP TRIGGER post_edit');
  await knex.transaction((trx) => rebuildTable(trx, 'post', strict));
  expect(await knex('post').count({ n: '*' })).toEqual([{ n: 3 }]);
});

test('a foreign-key violation after the copy rolls back and names the table', async () => {
  await knex('post').where({ id: 2 }).update({ author_id: 42 });
  const before = await snapshot(knex);
  await expect(knex.transaction((trx) => rebuildTable(trx, 'post', spec))).rejects.toThrow(
    /foreign key violation after the rebuild: 1 new row\(s\) of 'post' reference missing rows of 'author'/,
  );
  expect(await snapshot(knex)).toEqual(before);
});

test('dropping parent rows through a changed key is caught in the children', async () => {
  await knex('comment').where({ id: 3 }).update({ post_id: 5 });
  const before = await snapshot(knex);
  const renumber: RebuildSpec = {
    columns: (t) => {
      t.increments('id');
      t.string('title', 50);
    },
    copy: [['title', 'title']], // ids are not copied: 1, 2, 5 become 1, 2, 3 and comment 3 is orphaned
  };
  await expect(knex.transaction((trx) => rebuildTable(trx, 'post', renumber))).rejects.toThrow(
    /of 'comment' reference missing rows of 'post'/,
  );
  expect((await snapshot(knex)).comment).toEqual(before.comment);
});

test('refuses with foreign keys ON, before changing anything', async () => {
  await knex.raw('PRAGMA foreign_keys = ON');
  const before = await snapshot(knex);
  await expect(knex.transaction((trx) => rebuildTable(trx, 'post', spec))).rejects.toThrow(
    /foreign keys are ON.*PRAGMA foreign_keys = OFF/,
  );
  expect(await snapshot(knex)).toEqual(before);
});

test('knex inlines foreign keys in the CREATE TABLE it runs for the new table (no knex rebuild)', () => {
  const sql = knexFactory({ client: 'sqlite3', useNullAsDefault: true })
    .schema.createTable('_kiln_tmp_post', spec.columns)
    .toSQL()
    .map((s) => s.sql);
  expect(sql).toHaveLength(1);
  expect(sql[0]).toMatch(/^create table `_kiln_tmp_post` \(.*constraint `post_author_id_foreign` foreign key\(`author_id`\) references `author`\(`id`\)\)$/);
});
