/**
 * A new table's foreign key to a column that the same migration alters (an auto-increment key
 * becoming bigint) is added after the alter: MySQL refuses a foreign key between columns of
 * different types ("Foreign key constraint is incorrectly formed"). Found by the seeded random
 * round trip (seed 1000 on MySQL once issue 11's types joined its vocabulary).
 */
import { compare } from '../../src/diff';
import { column, makeSchema } from '../../src/schema/build';
import type { Table } from '../../src/schema/types';

const parent = (type: 'integer' | 'bigint'): Table => ({
  name: 'parent',
  columns: [column('id', type, { nullable: false, autoIncrement: true })],
  primaryKey: { name: 'parent_pkey', columns: ['id'] },
  indexes: [],
  uniques: [],
  foreignKeys: [],
});

const fk = { name: 'child_parent_id_foreign', columns: ['parent_id'], refTable: 'parent', refColumns: ['id'], onDelete: 'NO ACTION', onUpdate: 'NO ACTION' } as const;
const child: Table = {
  name: 'child',
  columns: [column('id', 'integer', { nullable: false, autoIncrement: true }), column('parent_id', 'bigint')],
  primaryKey: { name: 'child_pkey', columns: ['id'] },
  indexes: [],
  uniques: [],
  foreignKeys: [fk],
};

test('the foreign key of a new table to an altered column comes after the alter', async () => {
  const ops = await compare(makeSchema([parent('integer')]), makeSchema([parent('bigint'), child]));
  expect(ops.map((o) => o.kind)).toEqual(['createTable', 'alterColumn', 'addForeignKey']);
  const created = ops[0];
  expect(created.kind === 'createTable' && created.table.foreignKeys).toEqual([]);
  expect(ops[2]).toEqual({ kind: 'addForeignKey', table: 'child', foreignKey: fk });
});

test('a new table referencing an unchanged table keeps its foreign key inline', async () => {
  const ops = await compare(makeSchema([parent('bigint')]), makeSchema([parent('bigint'), child]));
  expect(ops.map((o) => o.kind)).toEqual(['createTable']);
});
