import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import knexFactory, { type Knex } from 'knex';
import { transform } from 'sucrase';
import * as kilnSqlite from 'kiln/sqlite';
import { reverseOp } from '../../src/ops/reverse';
import type { Operation } from '../../src/ops/types';
import { renderMigration } from '../../src/render';
import { column } from '../../src/schema/build';
import type { Table } from '../../src/schema/types';

/** Executes rendered migrations (sucrase, as kiln's loader does) against a real SQLite file. */

interface Migration {
  up(knex: Knex): Promise<void>;
  down(knex: Knex): Promise<void>;
}

function load(up: Operation[]): Migration {
  const down = [...up].reverse().map(reverseOp);
  const src = renderMigration({ message: 'm', revision: 'r', createdAt: new Date(0), dialect: 'sqlite', up, down });
  const { code } = transform(src, { transforms: ['typescript', 'imports'] });
  const mod: { exports: Record<string, unknown> } = { exports: {} };
  const req = (id: string) => {
    if (id === 'kiln/sqlite') return kilnSqlite;
    throw new Error(`unexpected require ${id}`);
  };
  new Function('require', 'module', 'exports', code)(req, mod, mod.exports);
  return mod.exports as unknown as Migration;
}

const NASTY = "we'ird \"ta`b\\le ${x}\n大";

const author: Table = {
  name: 'author',
  columns: [column('id', 'integer', { nullable: false, autoIncrement: true }), column('name', 'string', { length: 70 })],
  primaryKey: { name: 'author_pkey', columns: ['id'] },
  indexes: [],
  uniques: [{ name: 'author_name_unique', columns: ['name'] }],
  foreignKeys: [],
};

const fk = { name: 'article_author_id_foreign', columns: ['author_id'], refTable: 'author', refColumns: ['id'], onDelete: 'NO ACTION', onUpdate: 'NO ACTION' } as const;

const article: Table = {
  name: 'article',
  columns: [
    column('id', 'integer', { nullable: false, autoIncrement: true }),
    column('title', 'string', { length: 50 }),
    column('body', 'text'),
    column('author_id', 'integer'),
  ],
  primaryKey: { name: 'article_pkey', columns: ['id'] },
  indexes: [{ name: 'article_title_index', columns: ['title'] }],
  uniques: [],
  foreignKeys: [fk],
};

const weird: Table = {
  name: NASTY,
  columns: [
    column(`${NASTY}a`, 'integer', { nullable: false }),
    column(`${NASTY}b`, 'string', { length: 10, default: { kind: 'literal', value: "it's ${not} \\ code" } }),
  ],
  primaryKey: { name: `${NASTY}_pkey`, columns: [`${NASTY}a`, `${NASTY}b`] },
  indexes: [{ name: `${NASTY}_index`, columns: [`${NASTY}b`] }],
  uniques: [],
  foreignKeys: [],
};

const articleRenamed: Table = {
  ...article,
  columns: article.columns.map((c) => (c.name === 'title' ? { ...c, name: 'headline' } : c)),
  indexes: [{ name: 'article_title_index', columns: ['headline'] }],
};
const articleRebuilt: Table = {
  ...articleRenamed,
  columns: articleRenamed.columns.map((c) => (c.name === 'body' ? { ...c, nullable: false, default: { kind: 'literal', value: '' } } : c)),
  foreignKeys: [{ ...fk, onDelete: 'CASCADE' }],
};

const m1 = load([
  { kind: 'createTable', table: author },
  { kind: 'createTable', table: article },
  { kind: 'createTable', table: weird },
]);
const phone = column('phone', 'string', { length: 20, default: { kind: 'literal', value: 'n/a' } });
const m2 = load([
  { kind: 'addColumn', table: 'author', column: phone },
  { kind: 'addUnique', table: 'author', unique: { name: 'author_phone_unique', columns: ['phone', 'name'] } },
  { kind: 'renameColumn', table: 'article', from: 'title', to: 'headline' },
  { kind: 'rebuildTable', from: articleRenamed, to: articleRebuilt, renamed: [] },
  { kind: 'renameTable', from: NASTY, to: `${NASTY}2` },
]);

let dir: string;
let knex: Knex;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-render-exec-'));
  knex = knexFactory({
    client: 'sqlite3',
    connection: { filename: path.join(dir, 'db.sqlite') },
    useNullAsDefault: true,
    pool: { min: 1, max: 1, afterCreate: (c: { run(s: string, cb: (e: Error | null) => void): void }, done: (e: Error | null) => void) => c.run('PRAGMA foreign_keys = OFF', done) },
  });
});

afterEach(async () => {
  await knex.destroy();
  fs.rmSync(dir, { recursive: true, force: true });
});

const tables = async () =>
  ((await knex.raw("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")) as { name: string }[]).map(
    (r) => r.name,
  );
const run = (step: (trx: Knex) => Promise<void>) => knex.transaction((trx) => step(trx));

test('rendered migrations run up and down on SQLite, keeping rows through the rebuild', async () => {
  await run(m1.up);
  expect(await tables()).toEqual(['article', 'author', NASTY].sort());
  await knex(NASTY).insert({ [`${NASTY}a`]: 1 });
  expect(await knex(NASTY).first()).toEqual({ [`${NASTY}a`]: 1, [`${NASTY}b`]: "it's ${not} \\ code" });
  expect(((await knex.raw('PRAGMA index_list(??)', [NASTY])) as { name: string }[]).map((i) => i.name)).toContain(`${NASTY}_index`);

  await knex('author').insert({ id: 1, name: 'Foo' });
  await knex('article').insert([{ title: 'Spam', body: 'a', author_id: 1 }, { title: 'Ham', body: 'b', author_id: 1 }]);

  await run(m2.up);
  expect((await knex('author').first()).phone).toBe('n/a');
  expect(await knex('article').orderBy('id').select('headline', 'body')).toEqual([
    { headline: 'Spam', body: 'a' },
    { headline: 'Ham', body: 'b' },
  ]);
  expect(await tables()).toContain(`${NASTY}2`);
  expect(await knex.raw('PRAGMA foreign_key_list(article)')).toMatchObject([{ table: 'author', from: 'author_id', on_delete: 'CASCADE' }]);

  await run(m2.down);
  expect(await knex('article').orderBy('id').pluck('title')).toEqual(['Spam', 'Ham']);
  expect(await knex(NASTY).count({ n: '*' })).toEqual([{ n: 1 }]);
  expect(Object.keys(await knex('author').first())).toEqual(['id', 'name']);

  await run(m1.down);
  expect(await tables()).toEqual([]);
});
