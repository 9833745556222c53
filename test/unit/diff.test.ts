import { compare, fixedRenames, NO_RENAMES, parseRenameFlags, type RenameResolver } from '../../src/diff';
import { reverseOps } from '../../src/ops/reverse';
import type { Operation } from '../../src/ops/types';
import { column, makeSchema } from '../../src/schema/build';
import type { ForeignKey, Schema, Table } from '../../src/schema/types';

function table(name: string, extra: Partial<Table> = {}): Table {
  return {
    name,
    columns: extra.columns ?? [column('id', 'integer', { nullable: false, autoIncrement: true })],
    primaryKey: extra.primaryKey === undefined ? { name: `${name}_pkey`, columns: ['id'] } : extra.primaryKey,
    indexes: extra.indexes ?? [],
    uniques: extra.uniques ?? [],
    foreignKeys: extra.foreignKeys ?? [],
  };
}

const id = column('id', 'integer', { nullable: false, autoIncrement: true });
const fk = (tbl: string, cols: string[], ref: string, extra: Partial<ForeignKey> = {}): ForeignKey => ({
  name: extra.name ?? `${tbl}_${cols.join('_')}_foreign`,
  columns: cols,
  refTable: ref,
  refColumns: extra.refColumns ?? ['id'],
  onDelete: extra.onDelete ?? 'NO ACTION',
  onUpdate: extra.onUpdate ?? 'NO ACTION',
});
const schema = (...tables: Table[]): Schema => makeSchema(tables);
const kinds = (ops: readonly Operation[]) => ops.map((o) => o.kind);

const post = table('post', { columns: [id, column('title', 'string', { length: 70, nullable: false })] });
const comment = table('comment', {
  columns: [id, column('post_id', 'integer'), column('body', 'text')],
  foreignKeys: [fk('comment', ['post_id'], 'post', { onDelete: 'CASCADE' })],
});

/** A resolver that records what it was asked and answers from a list of "yes" pairs. */
function recording(yes: string[]): RenameResolver & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    confirmTableRename: async (f, t) => (asked.push(`${f}->${t}`), yes.includes(`${f}->${t}`)),
    confirmColumnRename: async (tb, f, t) => (asked.push(`${tb}.${f}->${t}`), yes.includes(`${tb}.${f}->${t}`)),
  };
}

describe('compare: tables', () => {
  test('same schema: no ops', async () => {
    expect(await compare(schema(post, comment), schema(post, comment))).toEqual([]);
  });

  test('added table carries its foreign keys inline, parents first', async () => {
    const ops = await compare(schema(), schema(comment, post));
    expect(kinds(ops)).toEqual(['createTable', 'createTable']);
    expect(ops.map((o) => (o.kind === 'createTable' ? o.table.name : ''))).toEqual(['post', 'comment']);
    expect(ops[1]).toEqual({ kind: 'createTable', table: comment });
  });

  test('removed table carries the full table, children first', async () => {
    const ops = await compare(schema(post, comment), schema());
    expect(ops).toEqual([
      { kind: 'dropTable', table: comment },
      { kind: 'dropTable', table: post },
    ]);
  });

  test('a foreign key cycle among new tables: created without it, then addForeignKey', async () => {
    const a = table('a', { columns: [id, column('b_id', 'integer')], foreignKeys: [fk('a', ['b_id'], 'b')] });
    const b = table('b', { columns: [id, column('a_id', 'integer')], foreignKeys: [fk('b', ['a_id'], 'a')] });
    const ops = await compare(schema(), schema(a, b));
    expect(kinds(ops)).toEqual(['createTable', 'createTable', 'addForeignKey']);
    expect(ops[0]).toEqual({ kind: 'createTable', table: { ...a, foreignKeys: [] } });
    expect(ops[2]).toEqual({ kind: 'addForeignKey', table: 'a', foreignKey: a.foreignKeys[0] });
    const back = await compare(schema(a, b), schema());
    expect(kinds(back)).toEqual(['dropForeignKey', 'dropTable', 'dropTable']);
    expect(kinds(reverseOps(ops))).toEqual(kinds(back));
  });

  test('self-referencing table is created in one op', async () => {
    const node = table('node', { columns: [id, column('parent_id', 'integer')], foreignKeys: [fk('node', ['parent_id'], 'node')] });
    expect(await compare(schema(), schema(node))).toEqual([{ kind: 'createTable', table: node }]);
  });
});

describe('compare: columns', () => {
  const base = table('t', { columns: [id, column('a', 'string'), column('b', 'integer')] });

  test('added column', async () => {
    const to = table('t', { columns: [...base.columns, column('c', 'boolean')] });
    expect(await compare(schema(base), schema(to))).toEqual([{ kind: 'addColumn', table: 't', column: column('c', 'boolean') }]);
  });

  test('removed column carries the column', async () => {
    const to = table('t', { columns: [id, column('a', 'string')] });
    expect(await compare(schema(base), schema(to))).toEqual([{ kind: 'dropColumn', table: 't', column: column('b', 'integer') }]);
  });

  test.each([
    ['type', column('b', 'bigint')],
    ['length', column('b', 'string', { length: 70 })],
    ['nullable', column('b', 'integer', { nullable: false })],
    ['default', column('b', 'integer', { default: { kind: 'literal', value: 0 } })],
    ['unsigned', column('b', 'integer', { unsigned: true })],
  ])('changed column (%s)', async (_what, changed) => {
    const to = table('t', { columns: [id, column('a', 'string'), changed] });
    expect(await compare(schema(base), schema(to))).toEqual([
      { kind: 'alterColumn', table: 't', from: column('b', 'integer'), to: changed },
    ]);
  });

  test('changed autoIncrement', async () => {
    const to = table('t', { columns: [column('id', 'integer', { nullable: false }), ...base.columns.slice(1)] });
    expect(kinds(await compare(schema(base), schema(to)))).toEqual(['alterColumn']);
  });

  test('defaults compare structurally', async () => {
    const d = (sql: string) => column('b', 'datetime', { default: { kind: 'expression', sql } });
    const a = table('t', { columns: [id, d('CURRENT_TIMESTAMP')] });
    expect(await compare(schema(a), schema(table('t', { columns: [id, d(' CURRENT_TIMESTAMP ')] })))).toEqual([]);
    const lit = table('t', { columns: [id, column('b', 'string', { default: { kind: 'literal', value: '0' } })] });
    const num = table('t', { columns: [id, column('b', 'string', { default: { kind: 'literal', value: 0 } })] });
    expect(kinds(await compare(schema(lit), schema(num)))).toEqual(['alterColumn']);
  });
});

describe('compare: constraints', () => {
  const plain = table('post', { columns: [id, column('title', 'string'), column('slug', 'string')] });

  test('index and unique added / removed', async () => {
    const to = { ...plain, indexes: [{ name: 'post_title_index', columns: ['title'] }], uniques: [{ name: 'post_slug_unique', columns: ['slug'] }] };
    const ops = await compare(schema(plain), schema(to));
    expect(ops).toEqual([
      { kind: 'addIndex', table: 'post', index: to.indexes[0] },
      { kind: 'addUnique', table: 'post', unique: to.uniques[0] },
    ]);
    expect(await compare(schema(to), schema(plain))).toEqual([
      { kind: 'dropIndex', table: 'post', index: to.indexes[0] },
      { kind: 'dropUnique', table: 'post', unique: to.uniques[0] },
    ]);
  });

  test('different constraint names: no spurious diff', async () => {
    const db = { ...comment, foreignKeys: [{ ...comment.foreignKeys[0], name: 'fk_1' }], indexes: [{ name: 'ix', columns: ['body'] }], uniques: [{ name: 'sqlite_autoindex_comment_1', columns: ['post_id'] }], primaryKey: { name: 'pk', columns: ['id'] } };
    const models = { ...comment, indexes: [{ name: 'comment_body_index', columns: ['body'] }], uniques: [{ name: 'comment_post_id_unique', columns: ['post_id'] }] };
    expect(await compare(schema(post, db), schema(post, models))).toEqual([]);
  });

  test('foreign key added / removed / action changed', async () => {
    const bare = { ...comment, foreignKeys: [] };
    expect(kinds(await compare(schema(post, bare), schema(post, comment)))).toEqual(['addForeignKey']);
    expect(kinds(await compare(schema(post, comment), schema(post, bare)))).toEqual(['dropForeignKey']);
    const setNull = { ...comment, foreignKeys: [fk('comment', ['post_id'], 'post', { onDelete: 'SET NULL', name: 'other' })] };
    const ops = await compare(schema(post, comment), schema(post, setNull));
    expect(ops).toEqual([
      { kind: 'dropForeignKey', table: 'comment', foreignKey: comment.foreignKeys[0] },
      { kind: 'addForeignKey', table: 'comment', foreignKey: setNull.foreignKeys[0] },
    ]);
  });

  test('primary key change', async () => {
    const to = { ...plain, primaryKey: { name: 'post_pkey', columns: ['id', 'slug'] } };
    expect(await compare(schema(plain), schema(to))).toEqual([
      { kind: 'alterPrimaryKey', table: 'post', from: plain.primaryKey, to: to.primaryKey },
    ]);
  });
});

describe('compare: order', () => {
  test('drops FKs and indexes first, creates parents before children, adds FKs after columns, drops tables last', async () => {
    const author = table('author', { columns: [id, column('name', 'string')] });
    const from = schema(
      table('post', { columns: [id, column('title', 'string'), column('old', 'integer')], indexes: [{ name: 'i', columns: ['old'] }] }),
      table('legacy', { columns: [id, column('post_id', 'integer')], foreignKeys: [fk('legacy', ['post_id'], 'post')] }),
      table('note', { columns: [id, column('post_id', 'integer')], foreignKeys: [fk('note', ['post_id'], 'post')] }),
    );
    const to = schema(
      author,
      table('post', {
        columns: [id, column('title', 'string'), column('author_id', 'integer')],
        indexes: [{ name: 'post_title_index', columns: ['title'] }],
        foreignKeys: [fk('post', ['author_id'], 'author')],
      }),
      table('note', { columns: [id, column('post_id', 'integer')] }),
    );
    const ops = await compare(from, to);
    expect(kinds(ops)).toEqual(['dropForeignKey', 'dropIndex', 'createTable', 'addColumn', 'dropColumn', 'addIndex', 'addForeignKey', 'dropTable']);
    expect(kinds(reverseOps(ops)).sort()).toEqual(kinds(await compare(to, from)).sort());
  });

  test('deterministic: tables by name, columns in order', async () => {
    const to = schema(table('b', { columns: [id, column('y', 'text'), column('x', 'text')] }), table('a', { columns: [id, column('z', 'text')] }));
    const from = schema(table('a'), table('b'));
    const ops = await compare(from, to);
    expect(ops.map((o) => (o.kind === 'addColumn' ? `${o.table}.${o.column.name}` : o.kind))).toEqual(['a.z', 'b.y', 'b.x']);
  });

  test('primary key moves: tighten, change key, loosen, drop', async () => {
    const from = schema(table('t', { columns: [column('a', 'integer', { nullable: false }), column('b', 'integer')], primaryKey: { name: 't_pkey', columns: ['a'] } }));
    const to = schema(table('t', { columns: [column('a', 'integer'), column('b', 'integer', { nullable: false })], primaryKey: { name: 't_pkey', columns: ['b'] } }));
    const ops = await compare(from, to);
    expect(ops.map((o) => (o.kind === 'alterColumn' ? `alter ${o.to.name}` : o.kind))).toEqual(['alter b', 'alterPrimaryKey', 'alter a']);
  });

  test('reverse(compare(a, b)) has the same ops as compare(b, a)', async () => {
    const a = schema(post, comment, table('tag'));
    const b = schema(
      { ...post, columns: [id, column('title', 'string', { length: 100, nullable: false }), column('views', 'integer')], uniques: [{ name: 'u', columns: ['title'] }] },
      { ...comment, foreignKeys: [] },
      table('label'),
    );
    const there = await compare(a, b);
    const back = await compare(b, a);
    const sig = (ops: Operation[]) => ops.map((o) => JSON.stringify(o)).sort();
    expect(sig(reverseOps(there))).toEqual(sig(back));
  });
});

describe('compare: renames', () => {
  test('without a resolver: drop + add, nothing asked', async () => {
    const ops = await compare(schema(post), schema({ ...post, name: 'article', primaryKey: { name: 'article_pkey', columns: ['id'] } }));
    expect(kinds(ops)).toEqual(['createTable', 'dropTable']);
    expect(kinds(await compare(schema(post), schema({ ...post, name: 'article' }), NO_RENAMES))).toEqual(['createTable', 'dropTable']);
  });

  test('table rename confirmed: renameTable, then compared normally; references follow', async () => {
    const article = { ...post, name: 'article', columns: [...post.columns, column('views', 'integer')] };
    const moved = { ...comment, foreignKeys: [{ ...comment.foreignKeys[0], refTable: 'article' }] };
    const resolver = recording(['post->article']);
    const ops = await compare(schema(post, comment), schema(article, moved), resolver);
    expect(ops).toEqual([
      { kind: 'renameTable', from: 'post', to: 'article' },
      { kind: 'addColumn', table: 'article', column: column('views', 'integer') },
    ]);
    expect(resolver.asked).toEqual(['post->article']);
  });

  test('table rename declined: drop + add', async () => {
    const resolver = recording([]);
    const ops = await compare(schema(post), schema({ ...post, name: 'article' }), resolver);
    expect(kinds(ops)).toEqual(['createTable', 'dropTable']);
    expect(resolver.asked).toEqual(['post->article']);
  });

  test('column rename + type change: renameColumn + alterColumn; same-type candidates asked first', async () => {
    const from = schema(table('post', { columns: [id, column('title', 'string'), column('n', 'integer')], indexes: [{ name: 'post_title_index', columns: ['title'] }] }));
    const to = schema(table('post', { columns: [id, column('count', 'text'), column('headline', 'string', { length: 70 })], indexes: [{ name: 'post_headline_index', columns: ['headline'] }] }));
    const resolver = recording(['post.title->headline', 'post.n->count']);
    const ops = await compare(from, to, resolver);
    expect(resolver.asked).toEqual(['post.title->headline', 'post.n->count']);
    expect(ops).toEqual([
      { kind: 'renameColumn', table: 'post', from: 'title', to: 'headline' },
      { kind: 'renameColumn', table: 'post', from: 'n', to: 'count' },
      { kind: 'alterColumn', table: 'post', from: column('count', 'integer'), to: column('count', 'text') },
      { kind: 'alterColumn', table: 'post', from: column('headline', 'string'), to: column('headline', 'string', { length: 70 }) },
    ]);
    const declined = recording([]);
    expect(kinds(await compare(from, to, declined))).toEqual(['dropIndex', 'addColumn', 'addColumn', 'dropColumn', 'dropColumn', 'addIndex']);
    expect(declined.asked).toEqual(['post.title->headline', 'post.title->count', 'post.n->count', 'post.n->headline']);
  });

  test('fixedRenames from --rename flags', async () => {
    const resolver = fixedRenames(parseRenameFlags(['post.title=headline', 'comment=remark']));
    const from = schema(post, comment);
    const to = schema({ ...post, columns: [id, { ...post.columns[1], name: 'headline' }] }, { ...comment, name: 'remark' });
    expect(kinds(await compare(from, to, resolver))).toEqual(['renameTable', 'renameColumn']);
  });

  test('parseRenameFlags', () => {
    const map = parseRenameFlags(['a=b', 'post.title=post.headline']);
    expect([...map.tables]).toEqual([['a', 'b']]);
    expect([...map.columns.get('post')!]).toEqual([['title', 'headline']]);
    for (const bad of ['a', 'a=', '=b', 'a=b=c', 'a.b.c=d', 'a.b=c.d', 'a=a']) {
      expect(() => parseRenameFlags([bad])).toThrow(expect.objectContaining({ code: 'BAD_ARGUMENT' }));
    }
    // Names may hold inner spaces (a table 'order line' exists in real databases).
    expect([...parseRenameFlags(['order line=order_line']).tables]).toEqual([['order line', 'order_line']]);
    expect(() => parseRenameFlags(['a=b', 'a=c'])).toThrow(expect.objectContaining({ code: 'BAD_ARGUMENT' }));
  });
});
