import type { Knex } from 'knex';
import { transform } from 'sucrase';
import * as kilnMigrate from 'kiln/migrate';
import * as kilnGuard from 'kiln/guard';
import { introspectMysql } from '../../src/dialect/mysql/introspect';
import { introspectPostgres } from '../../src/dialect/postgres/introspect';
import { reverseOp } from '../../src/ops/reverse';
import type { Operation } from '../../src/ops/types';
import { renderMigration } from '../../src/render';
import { column } from '../../src/schema/build';
import type { Column, Schema, Table } from '../../src/schema/types';
import { freshDatabase, type FreshDatabase } from '../helpers/databases';

/**
 * Rendered migrations run on PostgreSQL and MySQL/MariaDB: every op kind the servers get, up
 * then down, with rows in the tables; the introspected result is what the ops describe.
 */

type ServerDialect = 'postgres' | 'mysql';
const SERVERS: { name: ServerDialect; env: string }[] = [
  { name: 'postgres', env: 'KILN_TEST_PG_URL' },
  { name: 'mysql', env: 'KILN_TEST_MYSQL_URL' },
];

interface Migration {
  up(knex: Knex): Promise<void>;
  down(knex: Knex): Promise<void>;
}

function load(up: Operation[], dialect: ServerDialect): Migration {
  const down = [...up].reverse().map(reverseOp);
  const src = renderMigration({ message: 'm', revision: 'r', createdAt: new Date(0), dialect, up, down });
  const { code } = transform(src, { transforms: ['typescript', 'imports'] });
  const mod: { exports: Record<string, unknown> } = { exports: {} };
  const req = (id: string) => {
    if (id === 'kiln/migrate') return kilnMigrate; // MySQL: several ops run as undoable steps
    if (id === 'kiln/guard') return kilnGuard; // value guards
    return {};
  };
  new Function('require', 'module', 'exports', code)(req, mod, mod.exports);
  return mod.exports as unknown as Migration;
}

function tables(dialect: ServerDialect) {
  const my = dialect === 'mysql';
  const id = column('id', 'integer', { nullable: false, autoIncrement: true, unsigned: my });
  const author: Table = {
    name: 'author',
    columns: [id, column('name', 'string', { length: 70 }), column('phone', 'string', { length: 20 })],
    primaryKey: { name: 'author_pkey', columns: ['id'] },
    indexes: [],
    uniques: [{ name: 'author_name_unique', columns: ['name'] }],
    foreignKeys: [],
  };
  const article: Table = {
    name: 'article',
    columns: [
      id,
      column('title', 'string', { length: 50, nullable: false }),
      column('rank', 'text'),
      column('author_id', 'integer', { unsigned: my }),
    ],
    primaryKey: { name: 'article_pkey', columns: ['id'] },
    indexes: [{ name: 'article_title_index', columns: ['title'] }],
    uniques: [],
    foreignKeys: [
      { name: 'article_author_id_foreign', columns: ['author_id'], refTable: 'author', refColumns: ['id'], onDelete: 'CASCADE', onUpdate: 'NO ACTION' },
    ],
  };
  const kinds: Table = {
    name: 'kinds',
    columns: [
      column('a', 'integer', { nullable: false }),
      column('b', 'bigint', { nullable: false, default: { kind: 'literal', value: 7 } }),
      column('d', 'date'),
      column('tm', 'time'),
      column('dt', 'datetime', { default: { kind: 'expression', sql: 'CURRENT_TIMESTAMP' } }),
      column('iv', my ? 'time' : 'interval'),
      column('f', 'float', { default: { kind: 'literal', value: 1.5 } }),
      column('ok', 'boolean', { default: { kind: 'literal', value: true } }),
      column('j', 'json'),
      column('bin', 'binary'),
      column('s', 'string', { length: 30, default: { kind: 'literal', value: "it's ${x} \\" } }),
    ],
    primaryKey: { name: 'kinds_pkey', columns: ['a', 'b'] },
    indexes: [],
    uniques: [],
    foreignKeys: [],
  };
  return { author, article, kinds };
}

function introspect(dialect: ServerDialect, knex: Knex): Promise<Schema> {
  return dialect === 'postgres' ? introspectPostgres(knex, {}) : introspectMysql(knex, {});
}

/** Column order is not compared: a dropped column comes back at the end. */
const sortTable = (t: Table): Table => ({
  ...t,
  columns: [...t.columns].sort((a, b) => a.name.localeCompare(b.name)),
  primaryKey: t.primaryKey ? { ...t.primaryKey, name: '' } : null,
  indexes: [...t.indexes].sort((a, b) => a.name.localeCompare(b.name)),
  uniques: [...t.uniques].sort((a, b) => a.name.localeCompare(b.name)),
  foreignKeys: [...t.foreignKeys].sort((a, b) => a.name.localeCompare(b.name)),
});

for (const server of SERVERS) {
  const url = process.env[server.env];
  const d = server.name;
  (url ? describe : describe.skip)(`rendered migrations on ${d}`, () => {
    let db: FreshDatabase;
    let knex: Knex;
    beforeAll(async () => {
      db = await freshDatabase({ name: d, adminUrl: url });
      knex = db.connect();
    });
    afterAll(() => db?.cleanup());

    const expectTables = async (expected: Table[]) => {
      const schema = await introspect(d, knex);
      const got = schema.tables.filter((t) => !t.name.startsWith('knex_')).map(sortTable);
      expect(got).toEqual([...expected].sort((a, b) => a.name.localeCompare(b.name)).map(sortTable));
    };

    test('every server op kind, up and down, rows kept', async () => {
      const { author, article, kinds } = tables(d);
      const m1 = load([{ kind: 'createTable', table: author }, { kind: 'createTable', table: article }, { kind: 'createTable', table: kinds }], d);
      await knex.transaction((trx) => m1.up(trx));
      await expectTables([author, article, kinds]);
      await knex('author').insert({ name: 'Foo', phone: '1' });
      await knex('article').insert({ title: 'Spam', rank: '10', author_id: 1 });
      await knex('kinds').insert({ a: 1 });
      expect((await knex('kinds').first()).s).toBe("it's ${x} \\");

      const rankTo: Column = column('rank', 'integer', { nullable: false, default: { kind: 'literal', value: 0 } });
      const phoneTo: Column = column('phone', 'string', { length: 40, nullable: false, default: { kind: 'literal', value: 'n/a' } });
      const newPk = { name: 'kinds_pkey', columns: ['a'] };
      const ops: Operation[] = [
        { kind: 'alterColumn', table: 'article', from: article.columns[2], to: rankTo },
        { kind: 'alterColumn', table: 'author', from: author.columns[2], to: phoneTo },
        // MySQL refuses to change a column a foreign key uses: drop the key first.
        { kind: 'dropForeignKey', table: 'article', foreignKey: article.foreignKeys[0] },
        { kind: 'alterColumn', table: 'author', from: author.columns[0], to: { ...author.columns[0], type: 'bigint' } },
        { kind: 'alterColumn', table: 'article', from: article.columns[3], to: { ...article.columns[3], type: 'bigint' } },
        { kind: 'addForeignKey', table: 'article', foreignKey: { ...article.foreignKeys[0], onDelete: 'SET NULL', onUpdate: 'CASCADE' } },
        { kind: 'dropIndex', table: 'article', index: article.indexes[0] },
        { kind: 'addUnique', table: 'article', unique: { name: 'article_title_unique', columns: ['title'] } },
        { kind: 'dropUnique', table: 'author', unique: author.uniques[0] },
        { kind: 'addIndex', table: 'author', index: { name: 'author_name_index', columns: ['name'] } },
        { kind: 'alterPrimaryKey', table: 'kinds', from: kinds.primaryKey, to: newPk },
        { kind: 'renameColumn', table: 'kinds', from: 's', to: 's2' },
        { kind: 'dropColumn', table: 'kinds', column: kinds.columns[9] },
        { kind: 'addColumn', table: 'kinds', column: column('extra', 'string', { length: 5, nullable: false, default: { kind: 'literal', value: 'e' } }) },
        { kind: 'renameTable', from: 'kinds', to: 'kinds2' },
      ];
      const m2 = load(ops, d);
      await knex.transaction((trx) => m2.up(trx));
      expect(await knex('article').first()).toMatchObject({ title: 'Spam', rank: 10 });
      expect((await knex('author').first()).phone).toBe('1');
      expect((await knex('kinds2').first()).extra).toBe('e');
      await knex('author').insert({ name: 'Bar' });
      expect((await knex('author').where({ name: 'Bar' }).first()).phone).toBe('n/a');

      await knex.transaction((trx) => m2.down(trx));
      await knex('author').where({ name: 'Bar' }).delete();
      await expectTables([author, article, kinds]);
      expect(await knex('article').first()).toMatchObject({ title: 'Spam', rank: '10' });

      await knex.transaction((trx) => m1.down(trx));
      await expectTables([]);
    });
  });
}
