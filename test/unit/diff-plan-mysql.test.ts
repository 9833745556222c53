import { compare, fixedRenames, parseRenameFlags } from '../../src/diff';
import { planForMysql } from '../../src/dialect/mysql/plan';
import type { Operation } from '../../src/ops/types';
import { reverseOps } from '../../src/ops/reverse';
import { column, makeSchema } from '../../src/schema/build';
import type { Column, ForeignKey, Schema, Table } from '../../src/schema/types';

const id = column('id', 'integer', { nullable: false, autoIncrement: true, unsigned: true });
function table(name: string, columns: Column[], extra: Partial<Table> = {}): Table {
  return { name, columns: [id, ...columns], primaryKey: { name: `${name}_pkey`, columns: ['id'] }, indexes: [], uniques: [], foreignKeys: [], ...extra };
}
const fk = (tbl: string, col: string, ref: string, onDelete: ForeignKey['onDelete'] = 'NO ACTION'): ForeignKey => ({
  name: `${tbl}_${col}_foreign`,
  columns: [col],
  refTable: ref,
  refColumns: ['id'],
  onDelete,
  onUpdate: 'NO ACTION',
});
const schema = (...tables: Table[]): Schema => makeSchema(tables);
const show = (ops: readonly Operation[]) =>
  ops.map((o) => {
    if (o.kind === 'addIndex' || o.kind === 'dropIndex') return `${o.kind} ${o.table}.${o.index.name}`;
    if (o.kind === 'addForeignKey' || o.kind === 'dropForeignKey') return `${o.kind} ${o.table}.${o.foreignKey.name}`;
    if (o.kind === 'alterColumn') return `${o.kind} ${o.table}.${o.to.name}`;
    if (o.kind === 'renameColumn') return `${o.kind} ${o.table}.${o.from}`;
    return o.kind;
  });

async function plan(from: Schema, to: Schema, renames: string[] = []) {
  const ops = await compare(from, to, fixedRenames(parseRenameFlags(renames)));
  return planForMysql(ops, from, to);
}

const writer = table('writer', [column('name', 'string')]);
const writerId = column('writer_id', 'integer', { unsigned: true });
const book = table('book', [column('title', 'string'), writerId], { foreignKeys: [fk('book', 'writer_id', 'writer')] });
const bookIndexed = { ...book, indexes: [{ name: 'book_writer_id_index', columns: ['writer_id'] }] };

describe('planForMysql', () => {
  test('an index on a foreign key column: the key is dropped first, added back last (both ways)', async () => {
    const up = await plan(schema(writer, book), schema(writer, bookIndexed));
    // The key had InnoDB's implicit index: dropped with it; the new index serves the key again.
    expect(show(up)).toEqual(['dropForeignKey book.book_writer_id_foreign', 'dropIndex book.book_writer_id_foreign', 'addIndex book.book_writer_id_index', 'addForeignKey book.book_writer_id_foreign']);
    expect(show(reverseOps(up))).toEqual(['dropForeignKey book.book_writer_id_foreign', 'dropIndex book.book_writer_id_index', 'addIndex book.book_writer_id_foreign', 'addForeignKey book.book_writer_id_foreign']);
    expect(show(await plan(schema(writer, bookIndexed), schema(writer, book)))).toEqual(show(reverseOps(up)));
  });

  test('an added foreign key gets its index under its own name; a dropped one loses it', async () => {
    const plain = { ...book, foreignKeys: [] };
    const up = await plan(schema(writer, plain), schema(writer, book));
    expect(show(up)).toEqual(['addIndex book.book_writer_id_foreign', 'addForeignKey book.book_writer_id_foreign']);
    expect(show(await plan(schema(writer, book), schema(writer, plain)))).toEqual(['dropForeignKey book.book_writer_id_foreign', 'dropIndex book.book_writer_id_foreign']);
    // Served by another index: nothing implicit.
    const up2 = await plan(schema(writer, { ...bookIndexed, foreignKeys: [] }), schema(writer, bookIndexed));
    expect(show(up2)).toEqual(['addForeignKey book.book_writer_id_foreign']);
  });

  test('a type change of a column a key uses or references', async () => {
    const wider = { ...book, columns: book.columns.map((c) => (c.name === 'writer_id' ? { ...c, type: 'bigint' as const } : c)) };
    expect(show(await plan(schema(writer, book), schema(writer, wider)))).toEqual([
      'dropForeignKey book.book_writer_id_foreign',
      'dropIndex book.book_writer_id_foreign',
      'alterColumn book.writer_id',
      'addIndex book.book_writer_id_foreign',
      'addForeignKey book.book_writer_id_foreign',
    ]);
    // Nullability alone: MySQL allows it with the key in place.
    const notNull = { ...book, columns: book.columns.map((c) => (c.name === 'writer_id' ? { ...c, nullable: false } : c)) };
    expect(show(await plan(schema(writer, book), schema(writer, notNull)))).toEqual(['alterColumn book.writer_id']);
  });

  test('with renames, the key is dropped by its database names and added by the models\'', async () => {
    const renamed = { ...bookIndexed, name: 'volume', columns: [id, column('title', 'string'), { ...writerId, name: 'author_id' }], indexes: [{ name: 'volume_author_id_index', columns: ['author_id'] }], foreignKeys: [{ ...fk('volume', 'author_id', 'writer') }] };
    const up = await plan(schema(writer, book), schema(writer, renamed), ['book=volume', 'volume.writer_id=author_id']);
    expect(show(up)).toEqual([
      'dropForeignKey book.book_writer_id_foreign',
      'dropIndex book.book_writer_id_foreign',
      'renameTable',
      'renameColumn volume.writer_id',
      'addIndex volume.volume_author_id_index',
      'addForeignKey volume.volume_author_id_foreign',
    ]);
  });
});
