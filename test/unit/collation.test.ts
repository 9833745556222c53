/**
 * Issue 11 item 7: column collations (`.collate()`): the model compiled and projected per
 * dialect, one op -> one rendered string, SQLite's CREATE TABLE text read back, and the
 * database's collation kept where the models do not say one (src/diff/keep-unsaid.ts).
 */
import { compare } from '../../src/diff';
import { keepUnsaid } from '../../src/diff/keep-unsaid';
import { projectSchema } from '../../src/dialect/project';
import { columnTexts, sqliteColumnExtras, tableOptionsOf } from '../../src/dialect/sqlite/introspect-extras';
import { compileModels } from '../../src/model/compile';
import { Integer, String as Str, Text, model } from '../../src';
import type { Operation } from '../../src/ops/types';
import { renderOp } from '../../src/render';
import { column, makeSchema } from '../../src/schema/build';
import type { Column, Schema } from '../../src/schema/types';

const email: Column = { ...column('email', 'string', { length: 100 }), collation: 'NOCASE' };
const add = (c: Column): Operation => ({ kind: 'addColumn', table: 'person', column: c });
const person = (c: Column): Schema =>
  makeSchema([{ name: 'person', columns: [column('id', 'integer', { nullable: false }), c], primaryKey: { name: 'person_pkey', columns: ['id'] }, indexes: [], uniques: [], foreignKeys: [] }]);

describe('collation', () => {
  test('rendered per dialect: a COLLATE in the type on SQLite and PostgreSQL, knex .collate() on MySQL', () => {
    expect(renderOp(add(email), 'sqlite')).toContain(`t.specificType('email', 'varchar(100) COLLATE NOCASE')`);
    expect(renderOp(add({ ...email, collation: 'C' }), 'postgres')).toContain(`t.specificType('email', 'varchar(100) COLLATE "C"')`);
    expect(renderOp(add({ ...email, collation: 'utf8mb4_bin' }), 'mysql')).toContain(`t.string('email', 100).collate('utf8mb4_bin')`);
    const alter = renderOp({ kind: 'alterColumn', table: 'person', from: { ...email, collation: 'C' }, to: { ...email, collation: 'C', length: 120 } }, 'postgres');
    expect(alter).toContain(`t.specificType('email', 'varchar(120) COLLATE "C"').nullable().alter(`);
    expect(() => renderOp(add({ ...column('n', 'integer'), collation: 'C' }), 'postgres')).toThrow(/cannot give a integer column a collation on PostgreSQL/);
  });

  test('compiled and projected: SQLite upper case, MySQL lower case, the default said as removal', () => {
    const compiled = compileModels([model('Person', { id: Integer().primaryKey(), email: Str(100).collate('nocase'), bio: Text().collate('binary') })]);
    const sqlite = projectSchema(compiled, 'sqlite').tables[0].columns;
    expect(sqlite.map((c) => c.collation)).toEqual([undefined, 'NOCASE', '']);
    expect(projectSchema(compiled, 'mysql').tables[0].columns[1].collation).toBe('nocase');
    expect(() => compileModels([model('P', { id: Integer().primaryKey(), n: Integer().collate('C') })])).toThrow(/collate\(\) applies to String, Text, Char, Enum and Custom columns/);
    expect(() => compileModels([model('P', { id: Integer().primaryKey(), n: Str().collate("C' --") })])).toThrow(/is not a collation name/);
  });

  test('a collation the models do not say is kept; one they say is compared; the default said removes it', async () => {
    const live = person(email);
    const unsaid = keepUnsaid(person({ ...email, collation: undefined }), live);
    expect(unsaid.kept).toEqual([{ kind: 'collation', table: 'person', column: 'email', value: 'NOCASE' }]);
    expect(await compare(live, unsaid.models)).toEqual([]);
    const widened = keepUnsaid(person({ ...email, collation: undefined, length: 120 }), live).models;
    const [op] = await compare(live, widened);
    expect(op.kind === 'alterColumn' && op.to.collation).toBe('NOCASE');
    const removed = keepUnsaid(person({ ...email, collation: '' }), live);
    expect(removed.kept).toEqual([]);
    const [drop] = await compare(live, removed.models);
    expect(drop.kind === 'alterColumn' && [drop.from.collation, drop.to.collation]).toEqual(['NOCASE', undefined]);
  });

  test("SQLite: the column's own COLLATE, not one inside a CHECK; table options after the column list", () => {
    const texts = columnTexts(`CREATE TABLE t (a varchar(10) COLLATE nocase, b text CHECK (b COLLATE NOCASE <> 'x'), "c d" text collate "RTRIM" NOT NULL, e text COLLATE BINARY)`);
    expect(sqliteColumnExtras(texts.get('a'), 0).collation).toBe('NOCASE');
    expect(sqliteColumnExtras(texts.get('b'), 0).collation).toBeUndefined();
    expect(sqliteColumnExtras(texts.get('c d'), 0).collation).toBe('RTRIM');
    expect(sqliteColumnExtras(texts.get('e'), 0).collation).toBeUndefined();
    expect(tableOptionsOf('CREATE TABLE t (k text primary key) without  rowid, strict')).toEqual(['WITHOUT ROWID', 'STRICT']);
    expect(tableOptionsOf('CREATE TABLE t (a text)')).toEqual([]);
  });
});
