import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import knexFactory, { type Knex } from 'knex';
import { knexConfigFor } from '../../src/config/knex-config';
import { parseDatabaseUrl } from '../../src/config/url';
import { compare } from '../../src/diff';
import { introspect } from '../../src/introspect';
import { introspectSqlite } from '../../src/dialect/sqlite/introspect';
import { parseSqliteDefault, parseSqliteType } from '../../src/dialect/sqlite/introspect-types';
import { column, makeSchema } from '../../src/schema/build';
import type { Table } from '../../src/schema/types';

let dir: string;
let db: Knex;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-introspect-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

let n = 0;
beforeEach(() => {
  db = knexFactory(knexConfigFor(parseDatabaseUrl(`sqlite:///${path.join(dir, `t${++n}.db`)}`)));
});
afterEach(() => db.destroy());

const id = column('id', 'integer', { nullable: false, autoIncrement: true });

/** The blog schema exactly as kiln renders it with Knex's builder. */
async function buildBlog(knex: Knex): Promise<void> {
  await knex.schema.createTable('author', (t) => {
    t.increments('id');
    t.string('name', 70).notNullable();
    t.unique(['name'], { indexName: 'author_name_unique' });
  });
  await knex.schema.createTable('post', (t) => {
    t.increments('id');
    t.string('title', 255);
    t.text('body');
    t.integer('edit_time').defaultTo(0);
    t.boolean('published').notNullable().defaultTo(false);
    t.double('score');
    t.float('ratio').defaultTo(1.5);
    t.json('meta');
    t.binary('blob');
    t.date('day');
    t.time('at');
    t.datetime('created').notNullable().defaultTo(knex.raw('CURRENT_TIMESTAMP'));
    t.specificType('duration', 'interval');
    t.bigInteger('views').defaultTo(-1);
    t.string('motto').defaultTo("it's");
    t.integer('author_id').notNullable();
    t.index(['title'], 'post_title_index');
    t.foreign(['author_id'], 'post_author_id_foreign').references(['id']).inTable('author').onDelete('CASCADE');
  });
  await knex.schema.createTable('comment', (t) => {
    t.increments('id');
    t.integer('post_id');
    t.foreign(['post_id'], 'comment_post_id_foreign').references(['id']).inTable('post').onDelete('CASCADE').onUpdate('SET NULL');
  });
}

const author: Table = {
  name: 'author',
  columns: [id, column('name', 'string', { length: 70, nullable: false })],
  primaryKey: { name: 'author_pkey', columns: ['id'] },
  indexes: [],
  uniques: [{ name: 'author_name_unique', columns: ['name'] }],
  foreignKeys: [],
};
const post: Table = {
  name: 'post',
  columns: [
    id,
    column('title', 'string', { length: 255 }),
    column('body', 'text'),
    column('edit_time', 'integer', { default: { kind: 'literal', value: 0 } }),
    column('published', 'boolean', { nullable: false, default: { kind: 'literal', value: false } }),
    column('score', 'float'),
    column('ratio', 'float', { default: { kind: 'literal', value: 1.5 } }),
    column('meta', 'json'),
    column('blob', 'binary'),
    column('day', 'date'),
    column('at', 'time'),
    column('created', 'datetime', { nullable: false, default: { kind: 'expression', sql: 'CURRENT_TIMESTAMP' } }),
    column('duration', 'interval'),
    column('views', 'bigint', { default: { kind: 'literal', value: -1 } }),
    column('motto', 'string', { default: { kind: 'literal', value: "it's" } }),
    column('author_id', 'integer', { nullable: false }),
  ],
  primaryKey: { name: 'post_pkey', columns: ['id'] },
  indexes: [{ name: 'post_title_index', columns: ['title'] }],
  uniques: [],
  foreignKeys: [
    { name: 'post_author_id_foreign', columns: ['author_id'], refTable: 'author', refColumns: ['id'], onDelete: 'CASCADE', onUpdate: 'NO ACTION' },
  ],
};
const comment: Table = {
  name: 'comment',
  columns: [id, column('post_id', 'integer')],
  primaryKey: { name: 'comment_pkey', columns: ['id'] },
  indexes: [],
  uniques: [],
  foreignKeys: [
    { name: 'comment_post_id_foreign', columns: ['post_id'], refTable: 'post', refColumns: ['id'], onDelete: 'CASCADE', onUpdate: 'SET NULL' },
  ],
};

describe('introspectSqlite', () => {
  test('reads what Knex builds as the exact canonical schema', async () => {
    await buildBlog(db);
    expect(await introspectSqlite(db)).toEqual(makeSchema([author, comment, post]));
  });

  test('live path: the same schema written as canonical data compares with no ops', async () => {
    await buildBlog(db);
    const live = await introspect(db, 'sqlite');
    expect(await compare(live, makeSchema([post, comment, author]))).toEqual([]);
    expect(Object.isFrozen(live.tables[0].columns[0])).toBe(true);
  });

  test('leaves out sqlite_* and Knex bookkeeping tables; ignoreTables overrides', async () => {
    await db.schema.createTable('knex_migrations', (t) => t.increments('id'));
    await db.schema.createTable('knex_migrations_lock', (t) => t.integer('is_locked'));
    await db.schema.createTable('_kiln_tmp_x', (t) => t.increments('id'));
    expect((await introspectSqlite(db)).tables.map((t) => t.name)).toEqual(['_kiln_tmp_x']);
    expect((await introspect(db, 'sqlite', { ignoreTables: ['_kiln_tmp_x'] })).tables.map((t) => t.name)).toEqual(['knex_migrations', 'knex_migrations_lock']);
  });

  test('hand-written SQL: inline UNIQUE, bare rowid key, composite keys, parenthesised defaults, expression and partial indexes', async () => {
    await db.raw(`CREATE TABLE parent (a TEXT NOT NULL, b INT NOT NULL, CONSTRAINT parent_pk PRIMARY KEY (a, b))`);
    await db.raw(`CREATE TABLE "child" (
      id INTEGER PRIMARY KEY, code varchar(10) UNIQUE, pa TEXT, pb INT, n NUMERIC DEFAULT (1), f DOUBLE PRECISION DEFAULT -2.5,
      flag BOOLEAN DEFAULT TRUE, s TEXT DEFAULT NULL, d DATETIME DEFAULT (CURRENT_DATE), x, u DECIMAL(10,2),
      CONSTRAINT "child parent fk" FOREIGN KEY (pa, pb) REFERENCES parent (a, b) ON DELETE SET NULL,
      CONSTRAINT child_code_pb_uq UNIQUE (code, pb))`);
    await db.raw(`CREATE INDEX child_lower ON child (lower(pa))`);
    await db.raw(`CREATE INDEX child_partial ON child (pb) WHERE pb > 0`);
    await db.raw(`CREATE UNIQUE INDEX child_partial_unique ON child (pa) WHERE pa IS NOT NULL`);
    const schema = await introspectSqlite(db);
    const child = schema.tables.find((t) => t.name === 'child')!;
    expect(child.columns).toEqual([
      column('id', 'integer', { nullable: false }),
      column('code', 'string', { length: 10 }),
      column('pa', 'text'),
      column('pb', 'integer'),
      // NUMERIC affinity keeps its spelling (a float column would round what it stores).
      column('n', 'custom', { custom: 'numeric', default: { kind: 'literal', value: '1' } }),
      column('f', 'float', { default: { kind: 'literal', value: -2.5 } }),
      column('flag', 'boolean', { default: { kind: 'literal', value: true } }),
      column('s', 'text'),
      column('d', 'datetime', { default: { kind: 'expression', sql: 'CURRENT_DATE' } }),
      column('x', 'binary'),
      column('u', 'custom', { custom: 'decimal(10,2)' }),
    ]);
    expect(child.uniques).toEqual([
      { name: 'child_code_pb_uq', columns: ['code', 'pb'], inline: true },
      { name: 'child_code_unique', columns: ['code'], inline: true },
    ]);
    // Partial and expression indexes are read as such, never as plain indexes on their columns.
    expect(child.indexes).toEqual([
      { name: 'child_lower', columns: [], expression: 'lower(pa)' },
      { name: 'child_partial', columns: ['pb'], where: 'pb > 0' },
      { name: 'child_partial_unique', columns: ['pa'], where: 'pa IS NOT NULL', unique: true },
    ]);
    expect(child.foreignKeys).toEqual([
      { name: 'child parent fk', columns: ['pa', 'pb'], refTable: 'parent', refColumns: ['a', 'b'], onDelete: 'SET NULL', onUpdate: 'NO ACTION' },
    ]);
    const parent = schema.tables.find((t) => t.name === 'parent')!;
    expect(parent.primaryKey).toEqual({ name: 'parent_pk', columns: ['a', 'b'] });
    expect(parent.uniques).toEqual([]);
  });

  test("an enum's own CHECK is Column.enum, not a table check; the table's other checks stay, numbered without it", async () => {
    await db.raw(`CREATE TABLE job (id INTEGER PRIMARY KEY, state text CHECK ("state" IN ('new', 'it''s done')), kind TEXT,
      qty INT CHECK (qty > 0), CHECK (kind IN ('a', 'b')), CONSTRAINT job_state_twice CHECK (state IN ('new')))`);
    const job = (await introspectSqlite(db)).tables.find((t) => t.name === 'job')!;
    expect(job.columns.find((c) => c.name === 'state')?.enum).toEqual({ name: null, values: ['new', "it's done"] });
    // kind is no enum (its IN check is the table's); the named check on state lists other values.
    expect(job.columns.find((c) => c.name === 'kind')?.enum).toBeUndefined();
    expect(job.checks).toEqual([
      { name: 'job_1_check', expression: 'qty > 0' },
      { name: 'job_2_check', expression: "kind IN ('a', 'b')" },
      { name: 'job_state_twice', expression: "state IN ('new')" },
    ]);
  });

  test('a fixed number of catalog queries: 10 tables and 200 tables alike', async () => {
    const count = async (tables: number, knex: Knex) => {
      for (let i = 0; i < tables; i++) {
        await knex.schema.createTable(`t${i}`, (t) => {
          t.increments('id');
          t.string('name').unique();
          t.integer('prev_id').references('id').inTable(i ? `t${i - 1}` : `t${i}`);
          t.index(['prev_id']);
        });
      }
      let queries = 0;
      const schema = await introspectSqlite(knex, { onQuery: () => queries++ });
      expect(schema.tables).toHaveLength(tables);
      return queries;
    };
    const other = knexFactory(knexConfigFor(parseDatabaseUrl(`sqlite:///${path.join(dir, 'many.db')}`)));
    try {
      expect(await count(10, db)).toBe(await count(200, other));
    } finally {
      await other.destroy();
    }
  });
});

describe('SQLite type and default rules', () => {
  test.each([
    ['INTEGER', 'integer', null],
    ['int', 'integer', null],
    ['varchar(70)', 'string', 70],
    ['VARCHAR', 'string', 255],
    ['character varying(12)', 'string', 12],
    ['text', 'text', null],
    ['datetime', 'datetime', null],
    ['timestamp', 'datetime', null],
    ['double precision', 'float', null],
    ['real', 'float', null],
    ['blob', 'binary', null],
    ['', 'binary', null],
    ['bigint', 'bigint', null],
    ['UNSIGNED BIG INT', 'bigint', null],
    ['nvarchar(5)', 'string', 5],
    ['mediumint unsigned', 'integer', null],
    ['clob', 'text', null],
    ['interval', 'interval', null],
  ])('%s -> %s', (declared, type, length) => {
    expect(parseSqliteType(declared)).toEqual({ type, length });
  });

  test.each([
    ['decimal(10, 2)', 'decimal(10,2)'],
    ['NUMERIC', 'numeric'],
    ['money', 'money'],
  ])('%s -> custom %s (NUMERIC affinity keeps its spelling)', (declared, custom) => {
    expect(parseSqliteType(declared)).toEqual({ type: 'custom', length: null, custom });
  });

  test.each([
    [null, 'integer', null],
    ['NULL', 'text', null],
    ["'0'", 'integer', { kind: 'literal', value: 0 }],
    ['(1)', 'bigint', { kind: 'literal', value: 1 }],
    ["'1'", 'boolean', { kind: 'literal', value: true }],
    ['false', 'boolean', { kind: 'literal', value: false }],
    ["'it''s'", 'string', { kind: 'literal', value: "it's" }],
    ["'0'", 'string', { kind: 'literal', value: '0' }],
    ['0', 'text', { kind: 'literal', value: '0' }],
    ['current_timestamp', 'datetime', { kind: 'expression', sql: 'CURRENT_TIMESTAMP' }],
    ["datetime('now')", 'datetime', { kind: 'expression', sql: "datetime('now')" }],
    ["'a' || 'b'", 'string', { kind: 'expression', sql: "'a' || 'b'" }],
    ['-1', 'integer', { kind: 'literal', value: -1 }],
    ["'{\"a\":1}'", 'json', { kind: 'literal', value: '{"a":1}' }],
  ])('default %s on %s', (text, type, expected) => {
    expect(parseSqliteDefault(text, type as never)).toEqual(expected);
  });
});
