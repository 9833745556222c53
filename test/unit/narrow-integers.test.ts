/**
 * TinyInteger (MySQL `tinyint`) and MediumInteger (MySQL `mediumint`): the canonical IR, each
 * dialect's projection (PostgreSQL smallint/integer, SQLite integer), MySQL's reading of its
 * spellings (display widths dropped, tinyint(1) still boolean, YEAR a custom type), the
 * narrowing guard and the value guard's ranges.
 */
import { compileModels } from '../../src/model/compile';
import { projectSchema } from '../../src/dialect/project';
import { mapType } from '../../src/dialect/mysql/introspect';
import { canChangeValues } from '../../src/render/guard';
import { changedValueCondition } from '../../src/public/guard';
import { column } from '../../src/schema/build';
import type { Column, Schema } from '../../src/schema/types';
import { Custom, Integer, MediumInteger, model, String, TinyInteger } from 'kiln';

function schemaOf(): Schema {
  return compileModels([
    model('Language', { language_id: TinyInteger().primaryKey().autoIncrement(), name: String(20) }),
    model('Store', { store_id: MediumInteger().primaryKey().autoIncrement() }),
    model('Film', {
      id: Integer().primaryKey(),
      language_id: TinyInteger().notNull().references('language.language_id'),
      store_id: MediumInteger().references('store.store_id'),
      signed_language: TinyInteger().unsigned(false).references('language.language_id'),
      rental_duration: TinyInteger().unsigned().default(3),
      plain_tiny: TinyInteger().default(-1).index(),
      plain_medium: MediumInteger(),
      release_year: Custom('year').default('2006'),
    }),
    model('Code', { id: TinyInteger().primaryKey() }),
  ]);
}

/** `table.column` -> type, sign, auto-increment, default. */
function columns(s: Schema): Record<string, string> {
  const out: Record<string, string> = {};
  for (const t of s.tables) {
    for (const c of t.columns) {
      out[`${t.name}.${c.name}`] = [c.type, c.custom ?? '', c.unsigned ? 'unsigned' : '', c.autoIncrement ? 'auto' : '', c.default?.kind === 'literal' ? JSON.stringify(c.default.value) : '']
        .filter(Boolean)
        .join(' ');
    }
  }
  return out;
}

describe('TinyInteger and MediumInteger in the model compiler', () => {
  it('are their own canonical types; a lone key auto-increments only when said', () => {
    const c = columns(schemaOf());
    expect(c['language.language_id']).toBe('tinyint auto');
    expect(c['store.store_id']).toBe('mediumint auto');
    expect(c['film.rental_duration']).toBe('tinyint unsigned 3');
    expect(c['film.plain_tiny']).toBe('tinyint -1');
    expect(c['film.plain_medium']).toBe('mediumint');
    expect(c['code.id']).toBe('tinyint');
  });
});

describe('the projections', () => {
  it('MySQL stores them as they are: unsigned keys and the foreign keys that follow them', () => {
    const c = columns(projectSchema(schemaOf(), 'mysql'));
    expect(c['language.language_id']).toBe('tinyint unsigned auto');
    expect(c['store.store_id']).toBe('mediumint unsigned auto');
    expect(c['film.language_id']).toBe('tinyint unsigned');
    expect(c['film.store_id']).toBe('mediumint unsigned');
    expect(c['film.signed_language']).toBe('tinyint');
    expect(c['film.plain_tiny']).toBe('tinyint -1');
    expect(c['film.release_year']).toBe('custom year "2006"');
  });

  it('PostgreSQL stores tinyint as smallint and mediumint as integer, keys auto-incrementing', () => {
    const c = columns(projectSchema(schemaOf(), 'postgres'));
    expect(c['language.language_id']).toBe('smallint auto');
    expect(c['store.store_id']).toBe('integer auto');
    expect(c['film.language_id']).toBe('smallint');
    expect(c['film.store_id']).toBe('integer');
    expect(c['film.rental_duration']).toBe('smallint 3');
    expect(c['film.plain_medium']).toBe('integer');
  });

  it('SQLite stores both as integer', () => {
    const c = columns(projectSchema(schemaOf(), 'sqlite'));
    expect(c['language.language_id']).toBe('integer auto');
    expect(c['store.store_id']).toBe('integer auto');
    expect(c['film.language_id']).toBe('integer');
    expect(c['film.plain_tiny']).toBe('integer -1');
    expect(c['film.plain_medium']).toBe('integer');
  });
});

describe("MySQL/MariaDB's spellings", () => {
  it.each([
    ['tinyint', 'tinyint(4)', 'tinyint'],
    ['tinyint', 'tinyint(3) unsigned', 'tinyint'],
    ['tinyint', 'tinyint', 'tinyint'],
    ['tinyint', 'tinyint unsigned', 'tinyint'],
    ['tinyint', 'tinyint(1)', 'boolean'],
    ['mediumint', 'mediumint(9)', 'mediumint'],
    ['mediumint', 'mediumint(8) unsigned', 'mediumint'],
    ['smallint', 'smallint(6)', 'smallint'],
    ['int', 'int(11)', 'integer'],
  ])('%s %s reads as %s', (dataType, columnType, type) => {
    expect(mapType(dataType, columnType, null).type).toBe(type);
  });

  it('YEAR is a custom type, without MariaDB display width', () => {
    expect(mapType('year', 'year(4)', null)).toEqual({ type: 'custom', length: null, custom: 'year' });
    expect(mapType('year', 'year', null)).toEqual({ type: 'custom', length: null, custom: 'year' });
  });
});

describe('guards', () => {
  const col = (type: Column['type'], unsigned = false) => column('c', type, { unsigned });

  it('a narrowing to tinyint or mediumint can change values; widening from them cannot', () => {
    expect(canChangeValues(col('integer'), col('tinyint'))).toBe(true);
    expect(canChangeValues(col('smallint'), col('tinyint'))).toBe(true);
    expect(canChangeValues(col('integer'), col('mediumint'))).toBe(true);
    expect(canChangeValues(col('mediumint'), col('smallint'))).toBe(true);
    expect(canChangeValues(col('tinyint'), col('smallint'))).toBe(false);
    expect(canChangeValues(col('tinyint'), col('integer'))).toBe(false);
    expect(canChangeValues(col('smallint'), col('mediumint'))).toBe(false);
    expect(canChangeValues(col('mediumint'), col('integer'))).toBe(false);
    expect(canChangeValues(col('tinyint', true), col('smallint'))).toBe(false);
    expect(canChangeValues(col('tinyint'), col('tinyint', true))).toBe(true);
    expect(canChangeValues(col('tinyint', true), col('tinyint'))).toBe(true);
  });

  it("the value guard counts the rows outside the new type's range", () => {
    expect(changedValueCondition('mysql', { type: 'integer' }, { type: 'tinyint' })).toBe('(?? < -128) OR (?? > 127)');
    expect(changedValueCondition('mysql', { type: 'integer' }, { type: 'tinyint', unsigned: true })).toBe('(?? < 0) OR (?? > 255)');
    expect(changedValueCondition('mysql', { type: 'integer' }, { type: 'mediumint' })).toBe('(?? < -8388608) OR (?? > 8388607)');
    expect(changedValueCondition('mysql', { type: 'integer' }, { type: 'mediumint', unsigned: true })).toBe('(?? < 0) OR (?? > 16777215)');
    expect(changedValueCondition('mysql', { type: 'tinyint', unsigned: true }, { type: 'tinyint' })).toBe('(?? > 127)');
    expect(changedValueCondition('mysql', { type: 'tinyint' }, { type: 'smallint' })).toBeNull();
    expect(changedValueCondition('mysql', { type: 'mediumint', unsigned: true }, { type: 'integer' })).toBeNull();
    expect(changedValueCondition('mysql', { type: 'float' }, { type: 'tinyint' })).toBe('(?? <> floor(??)) OR (?? < -128) OR (?? > 127)');
    expect(changedValueCondition('mysql', { type: 'tinyint' }, { type: 'decimal', precision: 2 })).toBe('(abs(??) >= 100)');
    expect(changedValueCondition('mysql', { type: 'tinyint' }, { type: 'decimal', precision: 3 })).toBeNull();
  });
});
