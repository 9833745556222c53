/**
 * kiln/sqlite's rebuildTable with `values` (renamed enum values): the copy maps each old value
 * to the new one, in one statement and in rowid chunks (a table of more than 50,000 rows), with
 * a renamed column, and no row lost.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import knexFactory, { type Knex } from 'knex';
import { rebuildTable, type RebuildSpec } from 'kiln/sqlite';

let dir: string;
let knex: Knex;

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-rebuild-values-'));
  knex = knexFactory({ client: 'sqlite3', connection: { filename: path.join(dir, 'db.sqlite') }, useNullAsDefault: true, pool: { min: 1, max: 1 } });
  await knex.raw("CREATE TABLE post (id integer PRIMARY KEY, state text NOT NULL CHECK (state IN ('draft', 'published', 'it''s')))");
});

afterEach(async () => {
  await knex.destroy();
  fs.rmSync(dir, { recursive: true, force: true });
});

const spec: RebuildSpec = {
  columns: (t) => {
    t.integer('id').primary();
    t.text('status').notNullable().checkIn(['draft', 'live', 'it is']);
  },
  copy: [
    ['id', 'id'],
    ['status', 'state'],
  ],
  values: [
    ['status', 'published', 'live'],
    ['status', "it's", 'it is'],
  ],
};

test.each([3, 120_001])('%i rows: every old value becomes the new one', async (n) => {
  // ids 1..n: draft, published, it's, draft, ...
  await knex.raw(
    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?) INSERT INTO post SELECT i, CASE i % 3 WHEN 1 THEN 'draft' WHEN 2 THEN 'published' ELSE 'it''s' END FROM n",
    [n],
  );
  await knex.transaction((trx) => rebuildTable(trx, 'post', spec));
  const counts = (await knex.raw('SELECT status, count(*) AS n FROM post GROUP BY status ORDER BY status')) as { status: string; n: number }[];
  const third = Math.ceil(n / 3);
  expect(counts.map((r) => [r.status, Number(r.n)])).toEqual([
    ['draft', third],
    ['it is', Math.floor(n / 3)],
    ['live', Math.floor((n + 1) / 3)],
  ]);
  expect((await knex('post').where({ id: 2 }).first()).status).toBe('live');
  await expect(knex('post').insert({ id: n + 1, status: 'published' })).rejects.toThrow(/CHECK/);
});
