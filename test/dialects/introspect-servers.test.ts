import type { Knex } from 'knex';
import { introspectMysql, parseDefault as parseMysqlDefault } from '../../src/dialect/mysql/introspect';
import { introspectPostgres, parseDefault as parsePgDefault, mapType as mapPgType } from '../../src/dialect/postgres/introspect';
import { column, makeSchema } from '../../src/schema/build';
import type { Schema, Table } from '../../src/schema/types';
import { freshDatabase, type FreshDatabase } from '../helpers/databases';
import type { TestDialect } from '../helpers/dialects';

type ServerDialect = 'postgres' | 'mysql';

const SERVERS: { name: ServerDialect; env: string; label: string }[] = [
  { name: 'postgres', env: 'KILN_TEST_PG_URL', label: 'PostgreSQL' },
  { name: 'mysql', env: 'KILN_TEST_MYSQL_URL', label: 'MySQL/MariaDB' },
];

function introspect(dialect: ServerDialect, knex: Knex, options: { onQuery?: (sql: string) => void; ignoreTables?: string[] } = {}): Promise<Schema> {
  return dialect === 'postgres' ? introspectPostgres(knex, options) : introspectMysql(knex, options);
}

/** Every canonical type, defaults of each kind, not null, unique, index, FK, PKs. */
async function createCoverageTables(knex: Knex, dialect: ServerDialect): Promise<void> {
  await knex.schema.createTable('parent', (t) => {
    t.increments('id');
    t.string('name', 70).notNullable().unique();
  });
  await knex.schema.createTable('kinds', (t) => {
    t.bigIncrements('id');
    t.integer('n_int').notNullable().defaultTo(-1);
    t.bigInteger('n_big').defaultTo(42);
    t.string('s', 100).defaultTo("it's");
    t.string('s_empty').defaultTo('');
    t.text('tx');
    t.date('d');
    t.time('tm');
    t.datetime('dt').notNullable().defaultTo(knex.fn.now());
    if (dialect === 'postgres') t.specificType('iv', 'interval');
    else t.time('iv');
    t.double('f').defaultTo(1.5);
    t.boolean('b_true').notNullable().defaultTo(true);
    t.boolean('b_false').defaultTo(false);
    t.json('j');
    t.binary('bin');
    t.integer('parent_id').unsigned().references('parent.id').onDelete('CASCADE');
    t.index(['n_int', 'n_big']);
  });
  await knex.schema.createTable('pair', (t) => {
    t.integer('a').notNullable();
    t.string('b', 20).notNullable();
    t.primary(['a', 'b']);
  });
  await knex.schema.createTable('nopk', (t) => {
    t.integer('x');
    t.integer('y');
    t.integer('z');
    t.unique(['x']);
    t.unique(['y', 'z'], { indexName: 'nopk_y_z_uidx', useConstraint: false });
    t.index(['z'], 'nopk_z_idx');
  });
  // Knex's own bookkeeping: never part of the schema.
  await knex.schema.createTable('knex_migrations', (t) => {
    t.increments('id');
    t.string('name');
  });
  await knex.schema.createTable('knex_migrations_lock', (t) => {
    t.increments('index');
    t.integer('is_locked');
  });
}

function expectedSchema(dialect: ServerDialect): Schema {
  const my = dialect === 'mysql';
  const tables: Table[] = [
    {
      name: 'kinds',
      columns: [
        column('id', 'bigint', { nullable: false, autoIncrement: true, unsigned: my }),
        column('n_int', 'integer', { nullable: false, default: { kind: 'literal', value: -1 } }),
        column('n_big', 'bigint', { default: { kind: 'literal', value: 42 } }),
        column('s', 'string', { length: 100, default: { kind: 'literal', value: "it's" } }),
        column('s_empty', 'string', { default: { kind: 'literal', value: '' } }),
        column('tx', 'text'),
        column('d', 'date'),
        column('tm', 'time'),
        column('dt', 'datetime', { nullable: false, default: { kind: 'expression', sql: 'CURRENT_TIMESTAMP' } }),
        column('iv', my ? 'time' : 'interval'),
        column('f', 'float', { default: { kind: 'literal', value: 1.5 } }),
        column('b_true', 'boolean', { nullable: false, default: { kind: 'literal', value: true } }),
        column('b_false', 'boolean', { default: { kind: 'literal', value: false } }),
        column('j', 'json'),
        column('bin', 'binary'),
        column('parent_id', 'integer', { unsigned: my }),
      ],
      primaryKey: { name: 'kinds_pkey', columns: ['id'] },
      indexes: [{ name: 'kinds_n_int_n_big_index', columns: ['n_int', 'n_big'] }],
      uniques: [],
      foreignKeys: [
        {
          name: 'kinds_parent_id_foreign',
          columns: ['parent_id'],
          refTable: 'parent',
          refColumns: ['id'],
          onDelete: 'CASCADE',
          onUpdate: 'NO ACTION',
        },
      ],
    },
    {
      name: 'nopk',
      columns: [column('x', 'integer'), column('y', 'integer'), column('z', 'integer')],
      primaryKey: null,
      indexes: [{ name: 'nopk_z_idx', columns: ['z'] }],
      uniques: [
        { name: 'nopk_x_unique', columns: ['x'] },
        // A unique index with no constraint: PostgreSQL drops it with DROP INDEX (Unique.indexOnly).
        { name: 'nopk_y_z_uidx', columns: ['y', 'z'], ...(dialect === 'postgres' ? { indexOnly: true as const } : {}) },
      ],
      foreignKeys: [],
    },
    {
      name: 'pair',
      columns: [column('a', 'integer', { nullable: false }), column('b', 'string', { length: 20, nullable: false })],
      primaryKey: { name: 'pair_pkey', columns: ['a', 'b'] },
      indexes: [],
      uniques: [],
      foreignKeys: [],
    },
    {
      name: 'parent',
      columns: [
        column('id', 'integer', { nullable: false, autoIncrement: true, unsigned: my }),
        column('name', 'string', { length: 70, nullable: false }),
      ],
      primaryKey: { name: 'parent_pkey', columns: ['id'] },
      indexes: [],
      uniques: [{ name: 'parent_name_unique', columns: ['name'] }],
      foreignKeys: [],
    },
  ];
  return makeSchema(tables);
}

async function createChain(knex: Knex, from: number, to: number): Promise<void> {
  for (let i = from; i < to; i++) {
    await knex.schema.createTable(`t${String(i).padStart(3, '0')}`, (t) => {
      t.increments('id');
      t.string('label', 40).notNullable().defaultTo('x');
      t.integer('prev_id').unsigned();
      if (i > 0) t.foreign('prev_id').references(`t${String(i - 1).padStart(3, '0')}.id`);
      t.index(['label']);
    });
  }
}

for (const server of SERVERS) {
  const adminUrl = process.env[server.env];
  if (!adminUrl) {
    describe(`${server.label} introspection`, () => {
      it.skip(`SKIPPED: ${server.env} is not set (bash scripts/test-servers.sh -- npx jest test/dialects)`, () => {});
    });
    console.warn(`!!! ${server.label} introspection tests SKIPPED: ${server.env} is not set`);
    continue;
  }
  const dialect: TestDialect = { name: server.name, adminUrl };

  describe(`${server.label} introspection`, () => {
    let db: FreshDatabase;
    let knex: Knex;
    beforeAll(async () => {
      db = await freshDatabase(dialect);
      knex = db.connect();
      await createCoverageTables(knex, server.name);
    });
    afterAll(async () => {
      await db?.cleanup();
    });

    it('reads every canonical type, default, key and constraint in normal form', async () => {
      const schema = await introspect(server.name, knex);
      expect(schema).toEqual(expectedSchema(server.name));
      expect(Object.isFrozen(schema.tables[0].columns[0])).toBe(true);
    });

    it('leaves out the tables it is told to ignore', async () => {
      const schema = await introspect(server.name, knex, { ignoreTables: ['nopk', 'pair', 'knex_migrations', 'knex_migrations_lock'] });
      expect(schema.tables.map((t) => t.name)).toEqual(['kinds', 'parent']);
    });

    it('ignoreTables is the whole list, as on SQLite: it replaces the bookkeeping default', async () => {
      expect((await introspect(server.name, knex)).tables.map((t) => t.name)).not.toContain('knex_migrations');
      const all = await introspect(server.name, knex, { ignoreTables: ['nopk', 'pair'] });
      expect(all.tables.map((t) => t.name)).toEqual(['kinds', 'knex_migrations', 'knex_migrations_lock', 'parent']);
    });

    it('runs the same number of catalog queries for 5 and 100 tables', async () => {
      const chain = await freshDatabase(dialect);
      try {
        const k = chain.connect();
        const count = async () => {
          let n = 0;
          const schema = await introspect(server.name, k, { onQuery: () => n++ });
          return { n, tables: schema.tables.length };
        };
        await createChain(k, 0, 5);
        const five = await count();
        await createChain(k, 5, 100);
        const hundred = await count();
        expect(five.tables).toBe(5);
        expect(hundred.tables).toBe(100);
        expect(hundred.n).toBe(five.n);
        // PostgreSQL: tables, columns, constraints, indexes; MariaDB: version, tables, columns, index
        // columns, foreign key columns, foreign key rules (apart: MariaDB joins information_schema
        // tables by a nested loop), checks.
        expect(five.n).toBe(server.name === 'postgres' ? 4 : 7);
      } finally {
        await chain.cleanup();
      }
    });
  });
}

describe('default parsing (no server)', () => {
  it('PostgreSQL: strips casts and parentheses, types literals, normalises now()', () => {
    expect(parsePgDefault("'-1'::integer", 'integer')).toEqual({ kind: 'literal', value: -1 });
    expect(parsePgDefault('(-1)', 'integer')).toEqual({ kind: 'literal', value: -1 });
    expect(parsePgDefault("'it''s'::character varying", 'string')).toEqual({ kind: 'literal', value: "it's" });
    expect(parsePgDefault("'1.5'::double precision", 'float')).toEqual({ kind: 'literal', value: 1.5 });
    expect(parsePgDefault('true', 'boolean')).toEqual({ kind: 'literal', value: true });
    expect(parsePgDefault("'2020-01-02'::date", 'date')).toEqual({ kind: 'literal', value: '2020-01-02' });
    expect(parsePgDefault("'a::b'::text", 'text')).toEqual({ kind: 'literal', value: 'a::b' });
    expect(parsePgDefault('now()', 'datetime')).toEqual({ kind: 'expression', sql: 'CURRENT_TIMESTAMP' });
    expect(parsePgDefault('CURRENT_TIMESTAMP', 'datetime')).toEqual({ kind: 'expression', sql: 'CURRENT_TIMESTAMP' });
    expect(parsePgDefault('NULL::character varying', 'string')).toBeNull();
    expect(parsePgDefault("'{}'::jsonb", 'json')).toEqual({ kind: 'literal', value: '{}' });
    // a timestamptz literal reads back with the session's offset: dropped
    expect(parsePgDefault("'2020-01-02 03:04:05+00'::timestamp with time zone", 'datetime')).toEqual({ kind: 'literal', value: '2020-01-02 03:04:05' });
    expect(parsePgDefault("'2020-01-02 03:04:05.5+05:30'::timestamp with time zone", 'datetime')).toEqual({ kind: 'literal', value: '2020-01-02 03:04:05.5' });
    expect(mapPgType('timestamp(3) without time zone')).toEqual({ type: 'datetime', length: null, precision: 3, timezone: false });
    // Issue 11: numeric is not a float, jsonb is not json, uuid is not varchar(36).
    expect(mapPgType('numeric(10,2)')).toEqual({ type: 'decimal', length: null, precision: 10, scale: 2 });
    expect(mapPgType('numeric')).toEqual({ type: 'decimal', length: null });
    expect(mapPgType('jsonb')).toEqual({ type: 'jsonb', length: null });
    expect(mapPgType('uuid')).toEqual({ type: 'uuid', length: null });
    expect(mapPgType('timestamp(6) with time zone')).toEqual({ type: 'datetime', length: null });
    expect(mapPgType('time with time zone')).toEqual({ type: 'time', length: null, timezone: true });
    expect(mapPgType('character(3)')).toEqual({ type: 'char', length: 3 });
    expect(mapPgType('character varying(20)[]')).toEqual({ type: 'array', length: null, element: 'string(20)' });
    expect(mapPgType('timestamp without time zone[]')).toEqual({ type: 'array', length: null, element: 'timestamp without time zone' });
    expect(mapPgType('CITEXT')).toEqual({ type: 'custom', length: null, custom: 'citext' });
    expect(mapPgType('character varying(70)')).toEqual({ type: 'string', length: 70 });
  });

  it('MariaDB: unquotes literals, NULL is no default, current_timestamp() is an expression', () => {
    expect(parseMysqlDefault('NULL', 'text', true)).toBeNull();
    expect(parseMysqlDefault("'NULL'", 'string', true)).toEqual({ kind: 'literal', value: 'NULL' });
    expect(parseMysqlDefault("'a\\\\b''c\"d'", 'string', true)).toEqual({ kind: 'literal', value: 'a\\b\'c"d' });
    expect(parseMysqlDefault('-1', 'integer', true)).toEqual({ kind: 'literal', value: -1 });
    expect(parseMysqlDefault('1', 'boolean', true)).toEqual({ kind: 'literal', value: true });
    expect(parseMysqlDefault('current_timestamp()', 'datetime', true)).toEqual({ kind: 'expression', sql: 'CURRENT_TIMESTAMP' });
    expect(parseMysqlDefault("'abc'", 'string', false)).toEqual({ kind: 'literal', value: "'abc'" });
    expect(parseMysqlDefault('CURRENT_TIMESTAMP', 'datetime', false, 'DEFAULT_GENERATED')).toEqual({
      kind: 'expression',
      sql: 'CURRENT_TIMESTAMP',
    });
  });

  it('TEXT/BLOB/JSON: a lone string literal is that literal (MariaDB as written, MySQL 8 as an expression)', () => {
    expect(parseMysqlDefault("'it\\'s'", 'text', true)).toEqual({ kind: 'literal', value: "it's" });
    expect(parseMysqlDefault("''", 'text', true)).toEqual({ kind: 'literal', value: '' });
    expect(parseMysqlDefault("'{}'", 'json', true)).toEqual({ kind: 'literal', value: '{}' });
    expect(parseMysqlDefault("concat('a','b')", 'text', true)).toEqual({ kind: 'expression', sql: "concat('a', 'b')" });
    const generated = (raw: string, type: 'text' | 'json' | 'binary' | 'string' = 'text') => parseMysqlDefault(raw, type, false, 'DEFAULT_GENERATED');
    expect(generated("_utf8mb4\\'x\\'")).toEqual({ kind: 'literal', value: 'x' });
    expect(generated("_utf8mb4\\'\\'")).toEqual({ kind: 'literal', value: '' });
    expect(generated("_utf8mb4\\'it\\\\\\'s \\\\\\\\ \\'")).toEqual({ kind: 'literal', value: "it's \\ " });
    expect(generated("_utf8mb4\\'{}\\'", 'json')).toEqual({ kind: 'literal', value: '{}' });
    expect(generated("_binary\\'x\\'", 'binary')).toEqual({ kind: 'literal', value: 'x' });
    expect(generated("concat(_utf8mb4\\'a\\',_utf8mb4\\'b\\')")).toEqual({ kind: 'expression', sql: "concat(_utf8mb4\\'a\\', _utf8mb4\\'b\\')" });
    // Another type's expression stays one.
    expect(generated("_utf8mb4\\'x\\'", 'string')).toEqual({ kind: 'expression', sql: "_utf8mb4\\'x\\'" });
  });
});
