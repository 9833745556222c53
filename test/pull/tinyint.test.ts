/**
 * TinyInteger() and MediumInteger() in models: MySQL/MariaDB store `tinyint` / `mediumint`
 * (a lone key said `.autoIncrement()` is `TINYINT UNSIGNED AUTO_INCREMENT`, and foreign keys to
 * it follow its sign), PostgreSQL the nearest `smallint` / `integer` (smallserial / serial keys),
 * SQLite `integer`; each migrates, upgrades, checks clean and gives ids.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Knex } from 'knex';
import { introspect } from '../../src/introspect';
import type { DialectName } from '../../src/dialect/types';
import { kiln, makeProject, rmProject } from '../helpers/cli';
import { freshDatabase } from '../helpers/databases';
import { testDialects } from '../helpers/dialects';

jest.setTimeout(240000);

const CONFIG = { 'kiln.config.ts': "export default { models: 'models', migrations: 'migrations' };\n" };

/** The server's own catalog: COLUMN_TYPE without display widths, EXTRA, nullability, default. */
async function catalog(knex: Knex): Promise<Record<string, string>> {
  const [rows] = await knex.raw(
    `SELECT TABLE_NAME AS t, COLUMN_NAME AS c, COLUMN_TYPE AS type, EXTRA AS extra, IS_NULLABLE AS n, COLUMN_DEFAULT AS d
     FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME IN ('language', 'film', 'store', 'inventory') ORDER BY TABLE_NAME, COLUMN_NAME`,
  );
  const out: Record<string, string> = {};
  for (const r of rows as Record<string, unknown>[]) {
    // MariaDB prints tinyint(4) / mediumint(9) / year(4); MySQL 8 none (but tinyint(1)).
    const type = String(r.type).replace(/^(tinyint|smallint|mediumint|int|bigint|year)\((?!1\))\d+\)/, '$1');
    out[`${r.t}.${r.c}`] = [type, r.extra, r.n, r.d === null ? 'NULL' : String(r.d).replace(/^'(.*)'$/, '$1')].join(' | ');
  }
  return out;
}

/** kiln's reading of every column: type, sign, auto-increment, nullability, default. */
async function reading(knex: Knex, dialect: DialectName): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const t of (await introspect(knex, dialect)).tables) {
    for (const c of t.columns) {
      out[`${t.name}.${c.name}`] = [c.type, c.custom ?? '', c.unsigned ? 'unsigned' : '', c.autoIncrement ? 'auto' : '', c.nullable ? 'null' : 'not null', JSON.stringify(c.default)]
        .filter(Boolean)
        .join(' ');
    }
  }
  return out;
}

const MODELS = `import { model, Integer, TinyInteger, MediumInteger, String } from 'kiln';
export const Language = model('Language', { language_id: TinyInteger().primaryKey().autoIncrement(), name: String(20).notNull() });
export const Store = model('Store', { store_id: MediumInteger().primaryKey().autoIncrement(), name: String(20) });
export const Film = model('Film', {
  id: Integer().primaryKey(),
  language_id: TinyInteger().notNull().references('language.language_id'),
  store_id: MediumInteger().references('store.store_id').index(),
  rental_duration: TinyInteger().notNull().unsigned().default(3),
  rating_delta: TinyInteger().default(-1),
  length: MediumInteger().unique(),
});
`;

describe.each(testDialects().map((d) => [d.name, d] as const))('TinyInteger and MediumInteger in models on %s', (name, dialect) => {
  test('migrate, upgrade, check clean; the stored types; inserts get ids', async () => {
    const db = await freshDatabase(dialect);
    const dir = makeProject({ ...CONFIG, 'models/m.ts': MODELS });
    fs.mkdirSync(path.join(dir, 'migrations'));
    const env = { DATABASE_URL: db.url };
    try {
      const migrate = await kiln(['db', 'migrate', '-m', 'init'], { cwd: dir, env });
      expect(migrate.stderr).toBe('');
      expect(migrate.code).toBe(0);
      const upgrade = await kiln(['db', 'upgrade'], { cwd: dir, env });
      expect(upgrade.stderr).toBe('');
      expect(upgrade.code).toBe(0);
      const check = await kiln(['db', 'check'], { cwd: dir, env });
      expect(check.stdout).toContain('No new upgrade operations detected');
      expect(check.code).toBe(0);

      const knex = db.connect();
      const r = await reading(knex, name);
      const [tiny, medium] = { mysql: ['tinyint', 'mediumint'], postgres: ['smallint', 'integer'], sqlite: ['integer', 'integer'] }[name]!;
      const unsigned = name === 'mysql' ? ' unsigned' : '';
      expect(r['language.language_id']).toBe(`${tiny}${unsigned} auto not null null`);
      expect(r['store.store_id']).toBe(`${medium}${unsigned} auto not null null`);
      expect(r['film.language_id']).toBe(`${tiny}${unsigned} not null null`);
      expect(r['film.store_id']).toBe(`${medium}${unsigned} null null`);
      expect(r['film.rental_duration']).toBe(`${tiny}${unsigned} not null {"kind":"literal","value":3}`);
      expect(r['film.rating_delta']).toBe(`${tiny} null {"kind":"literal","value":-1}`);
      expect(r['film.length']).toBe(`${medium} null null`);
      if (name === 'mysql') {
        const c = await catalog(knex);
        expect(c['language.language_id']).toBe('tinyint unsigned | auto_increment | NO | NULL');
        expect(c['store.store_id']).toBe('mediumint unsigned | auto_increment | NO | NULL');
      }

      for (const [table, key, row] of [
        ['language', 'language_id', { name: 'English' }],
        ['store', 'store_id', { name: 'a' }],
      ] as const) {
        await knex(table).insert(row);
        await knex(table).insert(row);
        expect((await knex(table).select(key).orderBy(key)).map((x: Record<string, unknown>) => x[key])).toEqual([1, 2]);
      }
      await knex('film').insert({ id: 1, language_id: 2, store_id: 2, length: 8000000 });
      expect(await knex('film').first('rental_duration', 'rating_delta')).toEqual({ rental_duration: 3, rating_delta: -1 });
    } finally {
      await db.cleanup();
      rmProject(dir);
    }
  });
});
