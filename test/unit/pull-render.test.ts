/**
 * The pure renderer of `kiln db pull` (src/pull/): Schema -> model files. The files are loaded
 * back with the model loader and must compile to the same Schema (the diff finds nothing).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vm from 'node:vm';
import { transform } from 'sucrase';
import { compare } from '../../src/diff';
import { loadModels } from '../../src/model/load';
import { renderModels, pullNotes } from '../../src/pull/render';
import { renderViews } from '../../src/pull/views';
import { renderSequences } from '../../src/pull/sequences';
import { column, makeSchema } from '../../src/schema/build';
import type { ForeignKey, Schema, Table } from '../../src/schema/types';

function tbl(name: string, extra: Partial<Table> & Pick<Table, 'columns'>): Table {
  return { name, primaryKey: null, indexes: [], uniques: [], foreignKeys: [], ...extra };
}
const id = (table: string) => ({ columns: [column('id', 'integer', { nullable: false, autoIncrement: true })], primaryKey: { name: `${table}_pkey`, columns: ['id'] } });
const fk = (table: string, col: string, ref: string, extra: Partial<ForeignKey> = {}): ForeignKey => ({
  name: `${table}_${col}_foreign`.toLowerCase(),
  columns: [col],
  refTable: ref,
  refColumns: ['id'],
  onDelete: 'NO ACTION',
  onUpdate: 'NO ACTION',
  ...extra,
});

/** Writes the files to a fresh folder and loads them as `db check` would. */
async function roundTrip(schema: Schema): Promise<{ files: Record<string, string>; compiled: Schema }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-pull-unit-'));
  try {
    const files: Record<string, string> = {};
    for (const f of renderModels(schema)) {
      files[f.path] = f.source;
      fs.writeFileSync(path.join(dir, f.path), f.source);
    }
    return { files, compiled: (await loadModels(dir)).schema };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const SCHEMA = makeSchema([
  tbl('Album', {
    columns: [column('AlbumId', 'integer', { nullable: false }), column('Title', 'string', { length: 160, nullable: false }), column('ArtistId', 'integer')],
    primaryKey: { name: 'PK_Album', columns: ['AlbumId'] },
    indexes: [{ name: 'IFK_AlbumArtistId', columns: ['ArtistId'] }],
    foreignKeys: [fk('Album', 'ArtistId', 'artist', { name: 'FK_AlbumArtistId', refColumns: ['id'], onDelete: 'CASCADE' })],
  }),
  tbl('artist', { ...id('artist'), columns: [...id('artist').columns, column('name', 'string', { default: { kind: 'literal', value: "it's" } })], uniques: [{ name: 'artist_name_unique', columns: ['name'] }] }),
  tbl('invoice_line', {
    columns: [column('id', 'integer', { nullable: false }), column('line', 'integer', { nullable: false }), column('price', 'float', { default: { kind: 'literal', value: -1.5 } })],
    primaryKey: { name: 'invoice_line_pkey', columns: ['line', 'id'] },
    indexes: [{ name: 'by_price_and_line', columns: ['price', 'line'] }],
  }),
  // a one-to-one (unique foreign key), a self-reference and two foreign keys to the same table
  tbl('person', {
    columns: [...id('person').columns, column('manager_id', 'integer'), column('home_id', 'integer'), column('work_id', 'integer'), column('created', 'datetime', { default: { kind: 'expression', sql: 'CURRENT_TIMESTAMP' } })],
    primaryKey: id('person').primaryKey,
    uniques: [{ name: 'person_home_id_unique', columns: ['home_id'] }],
    foreignKeys: [fk('person', 'manager_id', 'person'), fk('person', 'home_id', 'place'), fk('person', 'work_id', 'place')],
  }),
  tbl('place', id('place')),
  // many-to-many
  tbl('artist_place', { columns: [column('artist_id', 'integer', { nullable: false }), column('place_id', 'integer', { nullable: false })], primaryKey: { name: 'artist_place_pkey', columns: ['artist_id', 'place_id'] }, foreignKeys: [fk('artist_place', 'artist_id', 'artist'), fk('artist_place', 'place_id', 'place')] }),
  // names that need quoting and escaping
  tbl("it's */ \\ ${x}", { columns: [column('Mixed Case', 'text'), column('__proto__', 'boolean', { default: { kind: 'literal', value: true } }), column('default', 'json'), column('b', 'binary')] }),
]);

describe('db pull renderer', () => {
  test('the files compile back to the same schema', async () => {
    const { compiled } = await roundTrip(SCHEMA);
    expect(await compare(SCHEMA, compiled)).toEqual([]);
    expect(await compare(compiled, SCHEMA)).toEqual([]);
  });

  test('model names, table names, files and relationships', async () => {
    const { files } = await roundTrip(SCHEMA);
    expect(Object.keys(files).sort()).toEqual(['album.ts', 'artist-place.ts', 'artist.ts', 'invoice-line.ts', 'it-sx.ts', 'person.ts', 'place.ts']);
    expect(files['album.ts']).toContain("tableName: 'Album',");
    expect(files['album.ts']).toContain("primaryKey: { columns: ['AlbumId'], name: 'PK_Album' },");
    expect(files['album.ts']).toContain("ArtistId: Integer().index('IFK_AlbumArtistId').references('artist.id', { onDelete: 'CASCADE', name: 'FK_AlbumArtistId' }),");
    expect(files['invoice-line.ts']).toMatch(/export const InvoiceLine = model\(\n {2}'InvoiceLine',/);
    expect(files['invoice-line.ts']).not.toContain('tableName');
    expect(files['invoice-line.ts']).toContain("primaryKey: ['line', 'id']");
    expect(files['invoice-line.ts']).toContain("indexes: [{ columns: ['price', 'line'], name: 'by_price_and_line' }]");
    expect(files['artist-place.ts']).toMatch(/export const artistPlace = table\(/);
    expect(files['artist.ts']).toContain("places: relationship('Place', { secondary: 'artist_place', backPopulates: 'artists' }),");
    expect(files['artist.ts']).toContain("albums: relationship('Album', { backPopulates: 'artist' }),");
    expect(files['person.ts']).toContain("manager: relationship('Person', { backPopulates: 'persons' }),");
    expect(files['person.ts']).toContain("home: relationship('Place', { backPopulates: 'person', foreignKeys: 'person.home_id' }),");
    expect(files['place.ts']).toContain("person: relationship('Person', { backPopulates: 'home', uselist: false, foreignKeys: 'person.home_id' }),");
    expect(files['place.ts']).toContain("personsByWorkId: relationship('Person', { backPopulates: 'work', foreignKeys: 'person.work_id' }),");
    expect(files['person.ts']).toContain("created: DateTime().defaultRaw('CURRENT_TIMESTAMP'),");
    expect(files['artist.ts']).toContain("name: String().default('it\\'s').unique(),");
  });

  test('a lone SmallInteger key: autoIncrement() or identity() said where it auto-increments, nothing where not', async () => {
    const key = (name: string, extra: Parameters<typeof column>[2]) =>
      tbl(name, { columns: [column('id', 'smallint', { nullable: false, ...extra }), column('note', 'text')], primaryKey: { name: `${name}_pkey`, columns: ['id'] } });
    const schema = makeSchema([
      key('serial_small', { autoIncrement: true }),
      key('always_small', { autoIncrement: true, identity: 'always' }),
      key('default_small', { autoIncrement: true, identity: 'by default' }),
      key('plain_small', {}),
      // the old rule stands: a lone Integer key auto-increments unless told otherwise
      tbl('plain_int', { columns: [column('id', 'integer', { nullable: false })], primaryKey: { name: 'plain_int_pkey', columns: ['id'] } }),
    ]);
    const { files, compiled } = await roundTrip(schema);
    expect(await compare(schema, compiled)).toEqual([]);
    expect(await compare(compiled, schema)).toEqual([]);
    expect(files['serial-small.ts']).toContain('id: SmallInteger().primaryKey().autoIncrement(),');
    expect(files['always-small.ts']).toContain('id: SmallInteger().primaryKey().identity({ always: true }),');
    expect(files['default-small.ts']).toContain('id: SmallInteger().primaryKey().identity(),');
    expect(files['plain-small.ts']).toContain('id: SmallInteger().primaryKey(),');
    expect(files['plain-int.ts']).toContain('id: Integer().primaryKey().autoIncrement(false),');
  });

  test('names from the database are escaped: quotes, backslashes, */, ${}, __proto__', async () => {
    const { files } = await roundTrip(SCHEMA);
    const source = files['it-sx.ts'];
    expect(source).toContain("export const itSX = table(\n  'it\\'s */ \\\\ \\${x}',");
    expect(source).toContain(" * Table 'it\\'s *\\/ \\\\ \\${x}', pulled from the database");
    expect(source).toContain("'Mixed Case': Text(),");
    expect(source).toContain("['__proto__']: Boolean().default(true),");
    expect(source).toContain('default: JSON(),');
  });

  test('a name with a line break or a bidi control stays inside its literal and its comment', () => {
    const nasty = 'a\n*/ b\u202e\u2028c';
    const [file] = renderModels(makeSchema([tbl(nasty, { columns: [column(nasty, 'integer')] })]));
    expect(file.source).not.toMatch(/[\u202e\u2028]/);
    // the first `*/` is the one closing the header comment
    expect(file.source.indexOf('*/')).toBe(file.source.indexOf('\n */\n') + 2);
    const js = transform(file.source, { transforms: ['typescript', 'imports'] }).code;
    expect(() => new vm.Script(js)).not.toThrow();
  });

  test("tables, views and sequences named like a CommonJS wrapper's names or like their own builder get another export name, and load", async () => {
    // Without a primary key a table's export is its camelCase name: `export const module = table(...)`
    // did not load (the module wrapper's own names), and `export const view = view(...)` does not type-check.
    const names = ['module', 'exports', 'require', '__filename', '__dirname', 'view', 'trigger', 'sequence'];
    const schema = makeSchema([...names.map((n) => tbl(n, { columns: [column('x', 'integer')] })), tbl('item', id('item'))]);
    const files = renderModels(schema);
    for (const f of files) expect(names).not.toContain(f.exportName);
    expect(files.find((f) => f.table === 'module')!.exportName).toBe('moduleTable');
    const { compiled } = await roundTrip(schema);
    expect(await compare(schema, compiled)).toEqual([]);
    const [view] = renderViews([{ name: 'view', definition: 'select 1 as x', dependsOn: [] }], new Set());
    expect(view.exportName).toBe('viewView');
    expect(view.source).toContain("import { view } from 'kiln';");
    expect(view.source).toContain('export const viewView = view(');
    const [seq] = renderSequences([{ name: 'sequence', as: 'bigint', start: '1', increment: '1', minValue: '1', maxValue: '9223372036854775807', cache: '1', cycle: false }], new Set(), 'postgres');
    expect(seq.exportName).toBe('sequenceSequence');
  });

  test('a relationship named like an Object.prototype member is renamed, and compiles', async () => {
    const schema = makeSchema([
      tbl('maker', id('maker')),
      tbl('car', { ...id('car'), columns: [...id('car').columns, column('constructor_id', 'integer')], foreignKeys: [fk('car', 'constructor_id', 'maker')] }),
    ]);
    const { files, compiled } = await roundTrip(schema);
    expect(files['car.ts']).toContain("constructorRel: relationship('Maker', { backPopulates: 'cars' })");
    expect(await compare(schema, compiled)).toEqual([]);
  });

  test('deterministic, whatever the order of the input', () => {
    const reversed: Schema = { tables: [...SCHEMA.tables].reverse() };
    expect(renderModels(reversed)).toEqual(renderModels(SCHEMA));
    expect(renderModels(makeSchema(SCHEMA.tables))).toEqual(renderModels(SCHEMA));
  });

  test('a foreign key over several columns goes to the foreignKeys option, with no note', () => {
    const composite = makeSchema([
      tbl('p', { columns: [column('a', 'integer', { nullable: false }), column('b', 'integer', { nullable: false })], primaryKey: { name: 'p_pkey', columns: ['a', 'b'] } }),
      tbl('c', { ...id('c'), columns: [...id('c').columns, column('a', 'integer'), column('b', 'integer')], foreignKeys: [{ ...fk('c', 'a', 'p'), columns: ['a', 'b'], refColumns: ['a', 'b'], name: 'c_a_b_foreign' }] }),
    ]);
    expect(pullNotes(composite)).toEqual([]);
    const c = renderModels(composite).find((f) => f.table === 'c')!;
    expect(c.source).toContain("{ foreignKeys: [{ columns: ['a', 'b'], references: ['p.a', 'p.b'] }] }");
    expect(c.source).not.toContain('relationship');
  });
});
