import * as path from 'node:path';
import { column } from '../../src/schema/build';
import type { Table } from '../../src/schema/types';
import { loadModels } from '../../src/model/load';
import { compileModels } from '../../src/model/compile';
import { snakeCase } from '../../src/model/definition';
import { Integer, model, String } from 'kiln';

const MODELS = path.join(__dirname, '..', '..', 'models');

async function example(): Promise<Map<string, Table>> {
  const { schema } = await loadModels(MODELS);
  return new Map(schema.tables.map((t) => [t.name, t]));
}

const id = column('id', 'integer', { nullable: false, autoIncrement: true });

describe('the example models', () => {
  it('compile to the 19 tables of the example, sorted by name', async () => {
    const { schema, files } = await loadModels(MODELS);
    expect(schema.tables.map((t) => t.name)).toEqual([
      'article', 'association', 'author', 'book', 'capital', 'citizen', 'city', 'comment',
      'country', 'draft', 'note', 'post', 'product', 'shop_order', 'singer', 'song', 'student', 'teacher', 'writer',
    ]);
    expect(files.map((f) => path.basename(f))).toEqual([...files.map((f) => path.basename(f))].sort());
    expect(Object.isFrozen(schema.tables[0].columns[0])).toBe(true);
  });

  it('author: unique name, plain phone, auto-increment id', async () => {
    expect((await example()).get('author')).toEqual({
      name: 'author',
      columns: [id, column('name', 'string', { length: 70 }), column('phone', 'string', { length: 20 })],
      primaryKey: { name: 'author_pkey', columns: ['id'] },
      indexes: [],
      uniques: [{ name: 'author_name_unique', columns: ['name'] }],
      foreignKeys: [],
    });
  });

  it('article: indexed title and a NO ACTION foreign key to author', async () => {
    const article = (await example()).get('article')!;
    expect(article.indexes).toEqual([{ name: 'article_title_index', columns: ['title'] }]);
    expect(article.foreignKeys).toEqual([
      { name: 'article_author_id_foreign', columns: ['author_id'], refTable: 'author', refColumns: ['id'], onDelete: 'NO ACTION', onUpdate: 'NO ACTION' },
    ]);
  });

  it('comment: the cascade on Post.comments makes post_id ON DELETE CASCADE', async () => {
    expect((await example()).get('comment')).toEqual({
      name: 'comment',
      columns: [id, column('body', 'text'), column('post_id', 'integer')],
      primaryKey: { name: 'comment_pkey', columns: ['id'] },
      indexes: [],
      uniques: [],
      foreignKeys: [
        { name: 'comment_post_id_foreign', columns: ['post_id'], refTable: 'post', refColumns: ['id'], onDelete: 'CASCADE', onUpdate: 'NO ACTION' },
      ],
    });
  });

  it('association: no primary key, foreign keys to both sides', async () => {
    expect((await example()).get('association')).toEqual({
      name: 'association',
      columns: [column('student_id', 'integer'), column('teacher_id', 'integer')],
      primaryKey: null,
      indexes: [],
      uniques: [],
      foreignKeys: [
        { name: 'association_student_id_foreign', columns: ['student_id'], refTable: 'student', refColumns: ['id'], onDelete: 'NO ACTION', onUpdate: 'NO ACTION' },
        { name: 'association_teacher_id_foreign', columns: ['teacher_id'], refTable: 'teacher', refColumns: ['id'], onDelete: 'NO ACTION', onUpdate: 'NO ACTION' },
      ],
    });
  });

  it('capital: uselist false on Country.capital makes country_id unique', async () => {
    const capital = (await example()).get('capital')!;
    expect(capital.uniques).toEqual([
      { name: 'capital_name_unique', columns: ['name'] },
      { name: 'capital_country_id_unique', columns: ['country_id'] },
    ]);
    expect(capital.foreignKeys[0].onDelete).toBe('NO ACTION');
  });

  it('draft: edit_time has the database default 0', async () => {
    expect((await example()).get('draft')!.columns).toEqual([
      id,
      column('body', 'text'),
      column('edit_time', 'integer', { default: { kind: 'literal', value: 0 } }),
    ]);
  });

  it('relationships without a database effect change nothing', async () => {
    const tables = await example();
    expect(tables.get('song')!.uniques).toEqual([]);
    expect(tables.get('book')!.foreignKeys[0].onDelete).toBe('NO ACTION');
    expect(tables.get('citizen')!.foreignKeys[0].refTable).toBe('city');
  });
});

describe('snakeCase (Flask-SQLAlchemy rule)', () => {
  it.each([
    ['Note', 'note'],
    ['BlogPost', 'blog_post'],
    ['HTTPRequest', 'http_request'],
    ['UserV2', 'user_v2'],
    ['already_snake', 'already_snake'],
    ['ABC', 'abc'],
    ['OAuthToken', 'o_auth_token'],
  ])('%s -> %s', (name, table) => {
    expect(snakeCase(name)).toBe(table);
  });

  it('names a model table unless tableName is given', () => {
    const schema = compileModels([
      model('BlogPost', { id: Integer().primaryKey() }),
      model('Thing', { id: Integer().primaryKey() }, { tableName: 'things' }),
    ]);
    expect(schema.tables.map((t) => t.name)).toEqual(['blog_post', 'things']);
  });
});

describe('compileModels normal forms', () => {
  it('ignores non-definitions and counts a re-exported definition once', () => {
    const Note = model('Note', { id: Integer().primaryKey() });
    expect(compileModels([Note, 42, null, { a: 1 }, Note]).tables).toHaveLength(1);
  });

  it('a lone integer key auto-increments unless opted out; a composite key never does', () => {
    const schema = compileModels([
      model('A', { id: Integer().primaryKey().autoIncrement(false) }),
      model('B', { a: Integer().primaryKey(), b: Integer().primaryKey() }),
      model('C', { code: String(10).primaryKey() }),
      model('D', { a: Integer(), b: String() }, { primaryKey: { columns: ['a', 'b'], name: 'd_key' } }),
    ]);
    const [a, b, c, d] = schema.tables;
    expect(a.columns[0]).toEqual(column('id', 'integer', { nullable: false }));
    expect(b.primaryKey).toEqual({ name: 'b_pkey', columns: ['a', 'b'] });
    expect(b.columns.map((x) => [x.autoIncrement, x.nullable])).toEqual([[false, false], [false, false]]);
    expect(c.columns[0]).toEqual(column('code', 'string', { length: 10, nullable: false }));
    expect(d.primaryKey).toEqual({ name: 'd_key', columns: ['a', 'b'] });
    expect(d.columns.every((x) => !x.nullable)).toBe(true);
  });

  it('multi-column indexes and uniques, named or not; unique + index is one unique', () => {
    const [t] = compileModels([
      model(
        'T',
        { id: Integer().primaryKey(), a: Integer().name('col_a'), b: String().unique().index(), c: Integer().index('my_c') },
        { indexes: [{ columns: ['a', 'c'] }, { columns: ['c', 'b'], unique: true, name: 'cb' }], uniques: [{ columns: ['col_a', 'b'] }] },
      ),
    ]).tables;
    expect(t.columns.map((c) => c.name)).toEqual(['id', 'col_a', 'b', 'c']);
    expect(t.indexes).toEqual([
      { name: 'my_c', columns: ['c'] },
      { name: 't_col_a_c_index', columns: ['col_a', 'c'] },
    ]);
    expect(t.uniques).toEqual([
      { name: 't_b_unique', columns: ['b'] },
      { name: 'cb', columns: ['c', 'b'] },
      { name: 't_col_a_b_unique', columns: ['col_a', 'b'] },
    ]);
  });

  it('defaults, lengths, nullability and foreign key actions', () => {
    const [child] = compileModels([
      model('Parent', { id: Integer().primaryKey() }),
      model('Child', {
        id: Integer().primaryKey(),
        parent_id: Integer().notNull().references('parent.id', { onDelete: 'set null', onUpdate: 'CASCADE', name: 'fk_parent' }),
        s: String().default('x').nullable(false),
        made: String(30).defaultRaw('current_timestamp'),
        on: String(5).defaultRaw("('a' || 'b')"),
        f: String().nullable(),
      }),
    ]).tables;
    expect(child.columns.slice(1)).toEqual([
      column('parent_id', 'integer', { nullable: false }),
      column('s', 'string', { nullable: false, default: { kind: 'literal', value: 'x' } }),
      column('made', 'string', { length: 30, default: { kind: 'expression', sql: 'CURRENT_TIMESTAMP' } }),
      column('on', 'string', { length: 5, default: { kind: 'expression', sql: "'a' || 'b'" } }),
      column('f', 'string'),
    ]);
    expect(child.foreignKeys).toEqual([
      { name: 'fk_parent', columns: ['parent_id'], refTable: 'parent', refColumns: ['id'], onDelete: 'SET NULL', onUpdate: 'CASCADE' },
    ]);
  });

  it('builders are immutable', () => {
    const base = Integer();
    base.primaryKey();
    base.unique();
    expect(base.spec.primaryKey).toBe(false);
    expect(base.spec.unique).toBe(false);
    expect(Object.isFrozen(base)).toBe(true);
  });
});
