import { compare, fixedRenames, parseRenameFlags } from '../../src/diff';
import { planForSqlite } from '../../src/dialect/sqlite/plan';
import type { Operation } from '../../src/ops/types';
import { column, makeSchema } from '../../src/schema/build';
import type { Column, ForeignKey, Schema, Table } from '../../src/schema/types';

const id = column('id', 'integer', { nullable: false, autoIncrement: true });
function table(name: string, columns: Column[], extra: Partial<Table> = {}): Table {
  return { name, columns: [id, ...columns], primaryKey: { name: `${name}_pkey`, columns: ['id'] }, indexes: [], uniques: [], foreignKeys: [], ...extra };
}
const fk = (tbl: string, col: string, ref: string, refCol = 'id'): ForeignKey => ({
  name: `${tbl}_${col}_foreign`,
  columns: [col],
  refTable: ref,
  refColumns: [refCol],
  onDelete: 'NO ACTION',
  onUpdate: 'NO ACTION',
});
const schema = (...tables: Table[]): Schema => makeSchema(tables);
const kinds = (ops: readonly Operation[]) => ops.map((o) => o.kind);

async function plan(from: Schema, to: Schema, renames: string[] = []) {
  const ops = await compare(from, to, fixedRenames(parseRenameFlags(renames)));
  return { ops, up: planForSqlite(ops, from, to) };
}

const post = table('post', [column('title', 'string'), column('body', 'text')]);

describe('planForSqlite', () => {
  test('in place: nullable addColumn, index/unique add and drop, renames, create/drop table', async () => {
    const to = schema(
      table('article', [column('title', 'string'), column('body', 'text'), column('views', 'integer', { nullable: false, default: { kind: 'literal', value: 0 } }), column('note', 'text')], {
        indexes: [{ name: 'i', columns: ['title'] }],
      }),
      table('tag', []),
    );
    const { ops, up } = await plan(schema(post, table('old', [])), to, ['post=article']);
    expect(up).toEqual(ops);
    expect(kinds(up)).toEqual(['renameTable', 'createTable', 'addColumn', 'addColumn', 'addIndex', 'dropTable']);
  });

  test.each<[string, Schema]>([
    ['dropColumn', schema(table('post', [column('title', 'string')]))],
    ['alterColumn', schema(table('post', [column('title', 'string', { length: 70 }), column('body', 'text')]))],
    ['NOT NULL addColumn without default', schema(table('post', [column('title', 'string'), column('body', 'text'), column('x', 'integer', { nullable: false })]))],
    ['addColumn with an expression default', schema(table('post', [column('title', 'string'), column('body', 'text'), column('at', 'datetime', { default: { kind: 'expression', sql: 'CURRENT_TIMESTAMP' } })]))],
    ['addColumn that is unique', schema(table('post', [column('title', 'string'), column('body', 'text'), column('slug', 'string')], { uniques: [{ name: 'u', columns: ['slug'] }] }))],
    ['alterPrimaryKey', schema({ ...post, primaryKey: { name: 'post_pkey', columns: ['id', 'title'] }, columns: [column('id', 'integer', { nullable: false }), column('title', 'string', { nullable: false }), column('body', 'text')] })],
  ])('%s -> one rebuildTable', async (_what, to) => {
    const { up } = await plan(schema(post), to);
    expect(up).toEqual([{ kind: 'rebuildTable', from: post, to: to.tables[0], renamed: [] }]);
  });

  test('foreign key add and drop rebuild the child, after the parent is created', async () => {
    const comment = table('comment', [column('post_id', 'integer')]);
    const withFk = { ...comment, foreignKeys: [fk('comment', 'post_id', 'post')] };
    const { up } = await plan(schema(comment), schema(post, withFk));
    expect(kinds(up)).toEqual(['createTable', 'rebuildTable']);
    const back = await plan(schema(post, withFk), schema(comment));
    expect(kinds(back.ops)).toEqual(['dropForeignKey', 'dropTable']);
    expect(back.up).toEqual([
      { kind: 'rebuildTable', from: withFk, to: comment, renamed: [] },
      { kind: 'dropTable', table: post },
    ]);
  });

  test('all of a rebuilt table ops fold into it; renames carried; other tables untouched', async () => {
    const from = schema(
      table('post', [column('title', 'string'), column('body', 'text')], { indexes: [{ name: 'post_title_index', columns: ['title'] }] }),
      table('tag', []),
    );
    const to = schema(
      table('article', [column('headline', 'string'), column('extra', 'text')], { indexes: [{ name: 'article_headline_index', columns: ['headline'] }, { name: 'x', columns: ['extra'] }] }),
      table('tag', [column('label', 'text')]),
    );
    const { ops, up } = await plan(from, to, ['post=article', 'article.title=headline']);
    expect(kinds(ops)).toEqual(['renameTable', 'renameColumn', 'addColumn', 'dropColumn', 'addColumn', 'addIndex']);
    expect(kinds(up)).toEqual(['renameTable', 'addColumn', 'rebuildTable']);
    const rebuild = up[2] as Extract<Operation, { kind: 'rebuildTable' }>;
    expect(rebuild.from).toEqual({ ...from.tables[0], name: 'article' });
    expect(rebuild.to).toBe(to.tables[0]);
    expect(rebuild.renamed).toEqual([['title', 'headline']]);
  });

  test('a renamed column another table references is renamed in place, before the rebuild', async () => {
    const from = schema(table('post', [column('code', 'integer'), column('body', 'text')]), table('comment', [column('post_code', 'integer')], { foreignKeys: [fk('comment', 'post_code', 'post', 'code')] }));
    const to = schema(table('post', [column('ref', 'integer')]), table('comment', [column('post_code', 'integer')], { foreignKeys: [fk('comment', 'post_code', 'post', 'ref')] }));
    const { ops, up } = await plan(from, to, ['post.code=ref']);
    expect(kinds(ops)).toEqual(['renameColumn', 'dropColumn']);
    expect(kinds(up)).toEqual(['renameColumn', 'rebuildTable']);
    const rebuild = up[1] as Extract<Operation, { kind: 'rebuildTable' }>;
    expect(rebuild.renamed).toEqual([]);
    expect(rebuild.from.columns.map((c) => c.name)).toEqual(['id', 'ref', 'body']);
  });

  test('a dropped unique: in place, unless it is an autoindex (undroppable)', async () => {
    const unique = { name: 'post_title_unique', columns: ['title'] };
    const to = schema(post);
    const plain = await plan(schema({ ...post, uniques: [unique] }), to);
    expect(kinds(plain.up)).toEqual(['dropUnique']);
    const auto = await plan(schema({ ...post, uniques: [{ ...unique, inline: true }] }), to);
    expect(kinds(auto.up)).toEqual(['rebuildTable']);
  });

  test('foreign key cycles fold back into createTable / dropTable', async () => {
    const a = table('a', [column('b_id', 'integer')], { foreignKeys: [fk('a', 'b_id', 'b')] });
    const b = table('b', [column('a_id', 'integer')], { foreignKeys: [fk('b', 'a_id', 'a')] });
    const { ops, up } = await plan(schema(), schema(a, b));
    expect(kinds(ops)).toEqual(['createTable', 'createTable', 'addForeignKey']);
    expect(up).toEqual([
      { kind: 'createTable', table: a },
      { kind: 'createTable', table: b },
    ]);
    const down = await plan(schema(a, b), schema());
    expect(kinds(down.up)).toEqual(['dropTable', 'dropTable']);
    expect(down.up.map((o) => (o.kind === 'dropTable' ? o.table.foreignKeys.length : -1))).toEqual([1, 1]);
  });

  test('rebuilds run parents first', async () => {
    const p = table('p', [column('x', 'integer')]);
    const c = table('c', [column('p_id', 'integer')]);
    const to = schema({ ...p, columns: [id] }, { ...c, foreignKeys: [fk('c', 'p_id', 'p')] });
    const { up } = await plan(schema(p, c), to);
    expect(up.map((o) => (o.kind === 'rebuildTable' ? o.to.name : o.kind))).toEqual(['p', 'c']);
  });
});
