/**
 * Issue 11's column types, end to end on every dialect of this run: models -> migrate ->
 * upgrade -> check clean -> a row -> an edit of the types -> migrate -> upgrade -> check clean
 * -> downgrade -> the schema and the row of before; a schema created directly with SQL holding
 * each type is clean against models declaring them (and, on SQLite, a rebuild keeps them);
 * what a database cannot store is refused with one `error:` line.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadConfig, type ResolvedConfig } from '../../src/config/load';
import type { DialectName } from '../../src/dialect/types';
import { expectUserError, kiln, makeProject, rmProject, writeFile } from '../helpers/cli';
import { freshDatabase } from '../helpers/databases';
import { testDialects, type TestDialect } from '../helpers/dialects';
import { dumpData, liveSchema } from '../helpers/snapshot';
import { check, migrate, run } from './library';

jest.setTimeout(120000);

const IMPORTS =
  "import { model, Integer, SmallInteger, Numeric, Decimal, Double, Real, Char, Uuid, Jsonb, DateTime, Time, Binary, VarBinary, Custom, Array, String } from 'kiln';\n";

/** A type each database keeps as a custom type. */
const CUSTOM: Record<DialectName, string> = { postgres: 'inet', mysql: 'point', sqlite: 'money' };

function models(dialect: DialectName, edited: boolean): string {
  const pgOnly =
    dialect === 'postgres'
      ? `  tags: Array(String(20)),
  scores: Array(${edited ? 'BigInteger' : 'Integer'}()),
  amounts: Array(Numeric(10, 2)),
  alarm: Time({ timezone: true }),
  naive: DateTime({ timezone: false, precision: 0 }),
`
      : '';
  // SQLite has no CURRENT_TIMESTAMP(p).
  const stamp = dialect === 'sqlite' ? '' : '  stamp: DateTime({ precision: 3 }).notNull().defaultRaw(\'CURRENT_TIMESTAMP(3)\'),\n';
  return `${IMPORTS.replace('String }', 'String, BigInteger }')}
export const Item = model('Item', {
  id: Integer().primaryKey(),
  qty: SmallInteger().notNull().default(${edited ? 2 : 1}),
  price: Numeric(10, ${edited ? 3 : 2}).default('9.90'),
  total: Decimal(${edited ? 14 : 12}),
  loose: Numeric(),
  ratio: Double(),
  weight: Real().default(1.5),
  code: Char(${edited ? 4 : 3}).default('abc'),
  ref: Uuid(),
  doc: Jsonb(),
  at: DateTime({ precision: ${edited ? 6 : 3} }),
  opens: Time({ precision: 0 }),
  digest: Binary(16),
  bytes: VarBinary(${edited ? 128 : 64}),
  extra: Custom(${JSON.stringify(CUSTOM[dialect].toUpperCase())}),
${stamp}${pgOnly}}, { tableName: 'item' });
`;
}

const ROW: Record<string, unknown> = {
  id: 1,
  qty: 7,
  price: '12.34',
  total: '123456',
  ratio: 0.5,
  weight: 2.5,
  code: 'xyz',
  ref: '123e4567-e89b-12d3-a456-426614174000',
  doc: JSON.stringify({ a: 1 }),
  digest: Buffer.alloc(16, 1),
  bytes: Buffer.from([1, 2, 3]),
};

const PG_ROW = { tags: ['a', "it's"], scores: [1, 2], amounts: ['1.50'] };

describe.each(testDialects().map((d) => [d.name, d] as const))('issue 11 types on %s', (dialectName, dialect: TestDialect) => {
  test('migrate -> upgrade -> check clean -> edit -> downgrade restores schema and rows', async () => {
    const db = await freshDatabase(dialect);
    const dir = makeProject({
      'kiln.config.ts': "export default { models: process.env.KILN_T_MODELS ?? 'models1', migrations: 'migrations' };\n",
      'models1/m.ts': models(dialectName, false),
      'models2/m.ts': models(dialectName, true),
    });
    try {
      fs.mkdirSync(path.join(dir, 'migrations'));
      const config1 = await loadConfig({ cwd: dir, env: { DATABASE_URL: db.url } });
      const config2: ResolvedConfig = { ...config1, models: path.join(dir, 'models2') };
      const knex = db.connect();
      expect((await migrate(config1, 'initial')).length).toBe(1);
      await run(config1, 'up', 'head');
      expect(await check(config1)).toEqual([]);
      await knex('item').insert({ ...ROW, ...(dialectName === 'postgres' ? PG_ROW : {}) });
      const schema1 = await liveSchema(knex, dialectName);
      const data1 = await dumpData(knex, schema1);

      const changes = await migrate(config2, 'edit');
      // SQLite stores none of the edited parameters (decimal scale, char length, ...) but the default.
      expect(changes.length).toBeGreaterThan(0);
      await run(config2, 'up', 'head');
      expect(await check(config2)).toEqual([]);
      await run(config2, 'down', '-1');
      expect(await liveSchema(knex, dialectName)).toEqual(schema1);
      expect(await dumpData(knex, schema1)).toEqual(data1);
      await run(config1, 'down', 'base');
      expect((await liveSchema(knex, dialectName)).tables).toEqual([]);
    } finally {
      rmProject(dir);
      await db.cleanup();
    }
  });

  test('a schema created with SQL holding each type: db check against models declaring them is clean', async () => {
    const db = await freshDatabase(dialect);
    const knex = db.connect();
    await knex.raw(CREATE_SQL[dialectName]);
    const dir = makeProject({ 'kiln.config.ts': "export default { models: 'models', migrations: 'migrations' };\n", 'models/m.ts': SQL_MODELS(dialectName) });
    try {
      fs.mkdirSync(path.join(dir, 'migrations'));
      const env = { DATABASE_URL: db.url };
      const r = await kiln(['db', 'check'], { cwd: dir, env });
      expect({ code: r.code, out: r.stdout, err: r.stderr }).toEqual({ code: 0, out: expect.any(String), err: '' });
      if (dialectName === 'sqlite') {
        // A change SQLite cannot make in place: the table is rebuilt, its types kept.
        writeFile(dir, 'models/m.ts', SQL_MODELS(dialectName).replace("qty: SmallInteger()", 'qty: SmallInteger().notNull().default(0)'));
        const m = await kiln(['db', 'migrate', '-m', 'rebuild'], { cwd: dir, env });
        expect(m.code).toBe(0);
        expect(fs.readdirSync(path.join(dir, 'migrations')).map((f) => fs.readFileSync(path.join(dir, 'migrations', f), 'utf8')).join('')).toMatch(/rebuildTable/);
        expect((await kiln(['db', 'upgrade'], { cwd: dir, env })).code).toBe(0);
        const c = await kiln(['db', 'check'], { cwd: dir, env });
        expect({ code: c.code, out: c.stdout }).toEqual({ code: 0, out: expect.any(String) });
        const declared = (await knex.raw("select type from pragma_table_info('item') where name = 'extra'")) as { type: string }[];
        expect(declared[0].type.toLowerCase()).toBe('money');
      }
    } finally {
      rmProject(dir);
      await db.cleanup();
    }
  });

  test('db upgrade --sql prints the native types', async () => {
    const db = await freshDatabase(dialect);
    const dir = makeProject({ 'kiln.config.ts': "export default { models: 'models', migrations: 'migrations' };\n", 'models/m.ts': models(dialectName, false) });
    try {
      fs.mkdirSync(path.join(dir, 'migrations'));
      const env = { DATABASE_URL: db.url };
      expect((await kiln(['db', 'migrate', '-m', 'init'], { cwd: dir, env })).code).toBe(0);
      const r = await kiln(['db', 'upgrade', '--sql'], { cwd: dir, env });
      expect({ code: r.code, err: r.stderr }).toEqual({ code: 0, err: '' });
      const create = r.stdout.split('\n').find((l) => /create table .item./i.test(l)) ?? '';
      const expected: Record<DialectName, RegExp[]> = {
        postgres: [/"price" decimal\(10, 2\)/, /"doc" jsonb/, /"ref" uuid/, /"code" character\(3\)/, /"tags" character varying\(20\)\[\]/, /"at" timestamptz\(3\)/],
        mysql: [/`price` decimal\(10, 2\)/, /`doc` json/, /`ref` char\(36\)/, /`digest` binary\(16\)/, /`weight` float/, /`at` datetime\(3\)/],
        sqlite: [/`price` float/, /`doc` json/, /`ref` varchar\(36\)/, /`extra` money/],
      };
      for (const re of expected[dialectName]) expect(create).toMatch(re);
      expect((await liveSchema(db.connect(), dialectName)).tables).toEqual([]);
    } finally {
      rmProject(dir);
      await db.cleanup();
    }
  });

  if (dialectName !== 'postgres') {
    test('Array() is refused with one error line', async () => {
      const db = await freshDatabase(dialect);
      const dir = makeProject({
        'kiln.config.ts': "export default { models: 'models', migrations: 'migrations' };\n",
        'models/m.ts': `${IMPORTS}export const T = model('T', { id: Integer().primaryKey(), tags: Array(Integer()) }, { tableName: 't' });\n`,
      });
      try {
        fs.mkdirSync(path.join(dir, 'migrations'));
        const r = await kiln(['db', 'migrate', '-m', 'x'], { cwd: dir, env: { DATABASE_URL: db.url } });
        expectUserError(r, /table 't' column 'tags': .* no array type/);
        expect(fs.readdirSync(path.join(dir, 'migrations'))).toEqual([]);
      } finally {
        rmProject(dir);
        await db.cleanup();
      }
    });
  }
});

const CREATE_SQL: Record<DialectName, string> = {
  postgres: `create table item (id serial primary key, qty smallint, price numeric(10,2) default 9.90, total numeric(12),
    loose numeric, ratio double precision, weight real, code character(3), ref uuid, doc jsonb, at timestamp(3) with time zone,
    naive timestamp(0) without time zone, opens time(0), alarm time with time zone, digest bytea, extra inet,
    tags varchar(20)[], scores integer[][], amounts numeric(10,2)[])`,
  mysql: `create table item (id int unsigned auto_increment primary key, qty smallint, price decimal(10,2) default 9.90,
    total decimal(12), loose decimal, ratio double, weight float, code char(3), ref char(36), doc json, at datetime(3),
    opens time, digest binary(16), bytes varbinary(64), extra point)`,
  sqlite: `create table item (id integer primary key autoincrement, qty smallint, price decimal(10,2) default 9.9,
    total numeric(12), loose numeric, ratio double precision, weight real, code char(3), ref varchar(36), doc json,
    at datetime, opens time, digest blob, bytes blob, extra money)`,
};

function SQL_MODELS(dialect: DialectName): string {
  const byDialect: Record<DialectName, string> = {
    postgres: `naive: DateTime({ timezone: false, precision: 0 }), alarm: Time({ timezone: true }), extra: Custom('INET'),
  tags: Array(String(20)), scores: Array(Integer()), amounts: Array(Numeric(10, 2)),`,
    mysql: `bytes: VarBinary(64), extra: Custom('point'),`,
    sqlite: `bytes: VarBinary(64), extra: Custom('money'),`,
  };
  // SQLite's hand-written DECIMAL/NUMERIC columns have NUMERIC affinity, which kiln's Numeric()
  // (a REAL-affinity float there) would not keep: the models say their spelling.
  const numerics =
    dialect === 'sqlite'
      ? `price: Custom('decimal(10,2)').defaultRaw('9.9'),
  total: Custom('numeric(12)'),
  loose: Custom('numeric'),`
      : `price: Numeric(10, 2).default(9.9),
  total: Numeric(12),
  loose: Numeric(),`;
  return `${IMPORTS}
export const Item = model('Item', {
  id: Integer().primaryKey(),
  qty: SmallInteger(),
  ${numerics}
  ratio: Double(),
  weight: Real(),
  code: Char(3),
  ref: Uuid(),
  doc: Jsonb(),
  at: DateTime({ precision: 3 }),
  opens: Time({ precision: 0 }),
  digest: Binary(16),
  ${byDialect[dialect]}
}, { tableName: 'item' });
`;
}
