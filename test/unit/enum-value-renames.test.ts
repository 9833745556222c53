/**
 * Renamed enum values (issue 11 item 2): the --rename parser, the fixed resolver, the pure
 * diff, reverse, the SQLite plan, the guards and the per-dialect render.
 */
import { compare, fixedRenames, NO_RENAMES, parseRenameFlags, type RenameResolver, type ValueSubject } from '../../src/diff';
import { planForSqlite } from '../../src/dialect/sqlite/plan';
import { describeOp, losesData } from '../../src/ops/describe';
import { reverseOp, reverseOps } from '../../src/ops/reverse';
import type { Operation, OperationOf } from '../../src/ops/types';
import { renderOp } from '../../src/render';
import { renderGuards } from '../../src/render/guard';
import { column, makeSchema } from '../../src/schema/build';
import type { Column, Schema, Table } from '../../src/schema/types';

const id = column('id', 'integer', { nullable: false });
const table = (name: string, columns: Column[]): Table => ({
  name,
  columns: [id, ...columns],
  primaryKey: { name: `${name}_pkey`, columns: ['id'] },
  indexes: [],
  uniques: [],
  foreignKeys: [],
});
const status = (values: string[], typeName: string | null, def: string) =>
  column('status', 'enum', { nullable: false, enum: { name: typeName, values }, default: { kind: 'literal', value: def } });
const posts = (values: string[], typeName: string | null, def = 'draft'): Schema => makeSchema([table('post', [status(values, typeName, def)])]);

describe('parseRenameFlags: enum values', () => {
  test('type:old=new and table.column:old=new, beside tables and columns', () => {
    const map = parseRenameFlags(['post_status:published=live', 'post.status:a b=c=d', 'x=y', 'post.title=headline']);
    expect([...map.values!.get('post_status')!]).toEqual([['published', 'live']]);
    // A value is taken as written: inner spaces, and "=" in the new value.
    expect([...map.values!.get('post.status')!]).toEqual([['a b', 'c=d']]);
    expect([...map.tables]).toEqual([['x', 'y']]);
    expect([...map.columns.get('post')!]).toEqual([['title', 'headline']]);
  });

  test.each(['post.status:published', 'post.status:=live', 'post.status:published=', ':a=b', 'a.b.c:x=y', 'post.status:a=a'])('refuses %s', (bad) => {
    expect(() => parseRenameFlags([bad])).toThrow(expect.objectContaining({ code: 'BAD_ARGUMENT' }));
  });

  test('refuses two renames of one value, or two onto one', () => {
    expect(() => parseRenameFlags(['t.c:a=b', 't.c:a=c'])).toThrow(expect.objectContaining({ code: 'BAD_ARGUMENT' }));
    expect(() => parseRenameFlags(['t.c:a=c', 't.c:b=c'])).toThrow(expect.objectContaining({ code: 'BAD_ARGUMENT' }));
  });

  test('fixedRenames: matched by the type or by a column of it; the rest is unmatched', async () => {
    const resolver = fixedRenames(parseRenameFlags(['post_status:published=live', 'post.status:published=live', 'post.kind:x=y']));
    const subject: ValueSubject = { type: 'post_status', columns: ['post.status'] };
    expect(await resolver.confirmValueRename!(subject, 'published', 'gone')).toBe(false);
    expect(await resolver.confirmValueRename!(subject, 'published', 'live')).toBe(true);
    expect(resolver.unmatched()).toEqual(['post.kind:x=y']);
  });
});

describe('compare: renamed enum values', () => {

  test('PostgreSQL type: rename in place, the default follows (no alterColumn), reverse renames back', async () => {
    const from = posts(['draft', 'published'], 'post_status', 'published');
    const to = posts(['draft', 'live'], 'post_status', 'live');
    const asked: string[] = [];
    const resolver: RenameResolver = {
      ...NO_RENAMES,
      confirmValueRename: async (s, a, b) => (asked.push(`${s.type}|${s.columns.join()}|${a}=${b}`), true),
    };
    const ops = await compare(from, to, resolver);
    expect(asked).toEqual(['post_status|post.status|published=live']);
    expect(ops).toEqual([
      {
        kind: 'alterEnumType',
        name: 'post_status',
        from: ['draft', 'published'],
        to: ['draft', 'live'],
        columns: [{ table: 'post', column: 'status', default: { kind: 'literal', value: 'published' } }],
        method: 'add',
        renamedValues: [['published', 'live']],
      },
    ]);
    expect(describeOp(ops[0])).toBe("changed enum type 'post_status' ('draft', 'published') -> ('draft', 'live') (renamed value 'published' to 'live')");
    expect(renderOp(ops[0], 'postgres')).toBe(`await knex.raw('ALTER TYPE "post_status" RENAME VALUE \\'published\\' TO \\'live\\'');`);
    const down = reverseOps(ops);
    expect(down).toEqual([{ ...ops[0], from: ops[0].kind === 'alterEnumType' && ops[0].to, to: ['draft', 'published'], method: 'add', renamedValues: [['live', 'published']] }]);
    expect(renderOp(down[0], 'postgres')).toBe(`await knex.raw('ALTER TYPE "post_status" RENAME VALUE \\'live\\' TO \\'published\\'');`);
    expect(renderGuards([...ops, ...down])).toEqual([]);
    // Without the answer: a removal plus an addition, refused by the guard when rows hold it.
    const plain = await compare(from, to, NO_RENAMES);
    expect(plain).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'alterEnumType', method: 'swap' })]));
    expect(plain[0]).not.toHaveProperty('renamedValues');
    expect(renderGuards(plain).join('\n')).toMatch(/guardValues/);
  });

  test('PostgreSQL type: a rename with an added and a removed value renames first, then swaps; the guard counts only the removed value', async () => {
    const ops = await compare(posts(['draft', 'published', 'old'], 'post_status', 'published'), posts(['draft', 'live', 'archived'], 'post_status', 'live'), {
      ...NO_RENAMES,
      confirmValueRename: async (_s, a, b) => a === 'published' && b === 'live',
    });
    expect(ops).toHaveLength(1);
    const op = ops[0] as OperationOf<'alterEnumType'>;
    expect(op.method).toBe('swap');
    const sql = renderOp(op, 'postgres').split('\n');
    expect(sql[0]).toBe(`await knex.raw('ALTER TYPE "post_status" RENAME VALUE \\'published\\' TO \\'live\\'');`);
    expect(sql[1]).toMatch(/RENAME TO "_kiln_old_post_status"/);
    // The swap sets the default back as renamed.
    expect(sql.join('\n')).toMatch(/SET DEFAULT \\'live\\'/);
    const guard = renderGuards(ops).join('\n');
    expect(guard).toMatch(/from: \{ type: 'enum', values: \['draft', 'published', 'old'\] \}/);
    expect(guard).toMatch(/to: \{ type: 'enum', values: \['draft', 'live', 'archived', 'published'\] \}/);
    const down = reverseOp(op) as OperationOf<'alterEnumType'>;
    expect(down).toEqual(expect.objectContaining({ from: op.to, to: op.from, method: 'swap', renamedValues: [['live', 'published']] }));
    expect(renderOp(down, 'postgres').split('\n')[0]).toBe(`await knex.raw('ALTER TYPE "post_status" RENAME VALUE \\'live\\' TO \\'published\\'');`);
  });

  test('a column enum (MySQL): alterColumn with renamedValues; MODIFY to the union, UPDATE, MODIFY', async () => {
    const resolver = fixedRenames(parseRenameFlags(['post.status:published=live']));
    const ops = await compare(posts(['draft', 'published'], null, 'published'), posts(['draft', 'live'], null, 'live'), resolver);
    expect(resolver.unmatched()).toEqual([]);
    expect(ops).toEqual([expect.objectContaining({ kind: 'alterColumn', table: 'post', renamedValues: [['published', 'live']] })]);
    expect(describeOp(ops[0])).toMatch(/renamed value 'published' to 'live'/);
    expect(losesData(ops[0])).toBeNull();
    expect(renderGuards(ops)).toEqual([]);
    const code = renderOp(ops[0], 'mysql');
    const lines = code.split('\n').filter((l) => !l.startsWith('//'));
    expect(lines).toEqual([
      "await knex.schema.alterTable('post', (t) => {",
      "  t.specificType('status', 'enum(\\'draft\\',\\'published\\',\\'live\\')').notNullable().defaultTo('published').alter({ alterNullable: false });",
      '});',
      "await knex('post').where('status', 'published').update('status', 'live');",
      "await knex.schema.alterTable('post', (t) => {",
      "  t.specificType('status', 'enum(\\'draft\\',\\'live\\')').notNullable().defaultTo('live').alter({ alterNullable: false });",
      '});',
    ]);
    expect(code.split('\n')[0]).toBe("// kiln: renames values of 'post.status' ('published' -> 'live'): the rows that hold them keep their meaning");
    const down = reverseOps(ops);
    expect(down).toEqual([expect.objectContaining({ kind: 'alterColumn', renamedValues: [['live', 'published']] })]);
    expect(renderOp(down[0], 'mysql')).toMatch(/where\('status', 'live'\)\.update\('status', 'published'\)/);
  });

  test('SQLite: the rebuild carries the renamed values by the new column name, reversed exactly', async () => {
    const from = makeSchema([table('post', [{ ...status(['draft', 'published'], null, 'draft'), name: 'state' }])]);
    const to = posts(['draft', 'live'], null);
    const ops = await compare(from, to, fixedRenames(parseRenameFlags(['post.state=status', 'post.status:published=live'])));
    const up = planForSqlite(ops, from, to);
    expect(up).toEqual([expect.objectContaining({ kind: 'rebuildTable', renamed: [['state', 'status']], renamedValues: [['status', 'published', 'live']] })]);
    const code = renderOp(up[0], 'sqlite');
    expect(code).toMatch(/values: \[\n\s+\['status', 'published', 'live'\],\n\s+\],/);
    expect(code).toMatch(/column 'status': .*renamed value 'published' to 'live'/);
    expect(renderGuards(up)).toEqual([]);
    const down = reverseOp(up[0]) as Operation;
    expect(down).toEqual(expect.objectContaining({ renamed: [['status', 'state']], renamedValues: [['state', 'live', 'published']] }));
  });

  test('the unmatched flag of a value that is not removed + added', async () => {
    const resolver = fixedRenames(parseRenameFlags(['post.status:publish=live']));
    await compare(posts(['draft', 'published'], null), posts(['draft', 'live'], null), resolver);
    expect(resolver.unmatched()).toEqual(['post.status:publish=live']);
  });

  test('a resolver without confirmValueRename renames nothing', async () => {
    const ops = await compare(posts(['a', 'b'], 'e'), posts(['a', 'c'], 'e'), { confirmTableRename: async () => false, confirmColumnRename: async () => false });
    expect(ops).toEqual([expect.objectContaining({ kind: 'alterEnumType', method: 'swap' })]);
    expect(ops[0]).not.toHaveProperty('renamedValues');
  });
});
