/**
 * MySQL/MariaDB's narrow integers. Hand-written schemas (Sakila's
 * `rental_duration TINYINT UNSIGNED NOT NULL DEFAULT 3`, `language_id TINYINT UNSIGNED
 * AUTO_INCREMENT` and the film's TINYINT UNSIGNED foreign key to it, MEDIUMINT UNSIGNED
 * AUTO_INCREMENT keys, `release_year YEAR`) were read as integer: `db pull` wrote Integer(),
 * `db check` was clean, and a database made from those models (initdb, or db baseline) had INT
 * columns, in silence. Now they read back as TinyInteger() / MediumInteger() / Custom('year'),
 * and a database made from the pulled models, or from a baseline, has the same columns as the
 * server's own catalog prints them (display widths aside). Models saying the new types work on
 * every dialect (PostgreSQL stores smallint/integer, SQLite integer).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Knex } from 'knex';
import { introspect } from '../../src/introspect';
import type { DialectName } from '../../src/dialect/types';
import { expectInitdb, withAdoption } from '../helpers/adoption';
import { kiln, makeProject, rmProject } from '../helpers/cli';
import { freshDatabase } from '../helpers/databases';
import { testDialects } from '../helpers/dialects';

jest.setTimeout(240000);

const CONFIG = { 'kiln.config.ts': "export default { models: 'models', migrations: 'migrations' };\n" };

const SAKILA = [
  'CREATE TABLE language (language_id TINYINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY, name CHAR(20) NOT NULL)',
  `CREATE TABLE film (
     film_id SMALLINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
     title VARCHAR(128) NOT NULL,
     release_year YEAR DEFAULT 2006,
     language_id TINYINT UNSIGNED NOT NULL,
     rental_duration TINYINT UNSIGNED NOT NULL DEFAULT 3,
     rating_delta TINYINT DEFAULT -1,
     length MEDIUMINT,
     active TINYINT(1) NOT NULL DEFAULT 1,
     CONSTRAINT fk_film_language FOREIGN KEY (language_id) REFERENCES language (language_id) ON UPDATE CASCADE)`,
  'CREATE TABLE store (store_id MEDIUMINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY, film_id SMALLINT UNSIGNED, KEY idx_store_film (film_id))',
  `CREATE TABLE inventory (
     inventory_id MEDIUMINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
     store_id MEDIUMINT UNSIGNED NOT NULL,
     CONSTRAINT fk_inventory_store FOREIGN KEY (store_id) REFERENCES store (store_id))`,
];

const PULLED: Record<string, string[]> = {
  'language.ts': ['language_id: TinyInteger().primaryKey().autoIncrement(),'],
  'film.ts': [
    "release_year: Custom('year').default('2006'),",
    "language_id: TinyInteger().notNull().references('language.language_id', { onUpdate: 'CASCADE', name: 'fk_film_language' }),",
    'rental_duration: TinyInteger().unsigned().notNull().default(3),',
    'rating_delta: TinyInteger().default(-1),',
    'length: MediumInteger(),',
    'active: Boolean().notNull().default(true),',
  ],
  'store.ts': ['store_id: MediumInteger().primaryKey().autoIncrement(),'],
  'inventory.ts': ["store_id: MediumInteger().notNull().references('store.store_id', { name: 'fk_inventory_store' }),"],
};

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

describe.each(testDialects().filter((d) => d.name === 'mysql'))('a hand-written Sakila-like schema on $name', (dialect) => {
  test('pull says TinyInteger/MediumInteger/year; check is clean; initdb and a baseline make the same columns', async () => {
    const db = await freshDatabase(dialect);
    const second = await freshDatabase(dialect);
    const third = await freshDatabase(dialect);
    const dir = makeProject(CONFIG);
    fs.mkdirSync(path.join(dir, 'migrations'));
    const env = { DATABASE_URL: db.url };
    try {
      const knex = db.connect();
      for (const sql of SAKILA) await knex.raw(sql);
      const before = await reading(knex, 'mysql');
      expect(before['language.language_id']).toBe('tinyint unsigned auto not null null');
      expect(before['film.language_id']).toBe('tinyint unsigned not null null');
      expect(before['film.rental_duration']).toBe('tinyint unsigned not null {"kind":"literal","value":3}');
      expect(before['film.rating_delta']).toBe('tinyint null {"kind":"literal","value":-1}');
      expect(before['film.length']).toBe('mediumint null null');
      expect(before['film.release_year']).toBe('custom year null {"kind":"literal","value":"2006"}');
      expect(before['film.active']).toBe('boolean not null {"kind":"literal","value":true}');
      expect(before['store.store_id']).toBe('mediumint unsigned auto not null null');

      const pulled = await kiln(['db', 'pull'], { cwd: dir, env });
      expect(pulled.stderr).toBe('');
      expect(pulled.code).toBe(0);
      for (const [file, lines] of Object.entries(PULLED)) {
        const source = fs.readFileSync(path.join(dir, 'models', file), 'utf8');
        for (const line of lines) expect(source).toContain(line);
        expect(source).not.toMatch(/\bInteger\(\)/);
      }

      const check = await kiln(['db', 'check'], { cwd: dir, env });
      expect(check.stdout).toContain('No new upgrade operations detected');
      expect(check.code).toBe(0);
      const migrate = await kiln(['db', 'migrate', '-m', 'nothing'], { cwd: dir, env });
      expect(migrate.code).toBe(0);
      expect(fs.readdirSync(path.join(dir, 'migrations'))).toEqual([]);

      await expectInitdb(dir, second.url);
      const base = await kiln(['db', 'baseline', '-m', 'baseline'], { cwd: dir, env });
      expect(base.code).toBe(0);
      const upgraded = await kiln(['db', 'upgrade'], { cwd: dir, env: { DATABASE_URL: third.url } });
      expect(upgraded.stderr).toBe('');
      expect(upgraded.code).toBe(0);

      const want = await catalog(knex);
      expect(want['language.language_id']).toBe('tinyint unsigned | auto_increment | NO | NULL');
      expect(want['film.release_year']).toBe('year |  | YES | 2006');
      for (const copy of [second.connect(), third.connect()]) {
        expect(await catalog(copy)).toEqual(want);
        expect(await reading(copy, 'mysql')).toEqual(before);
        await copy('language').insert({ name: 'English' });
        await copy('language').insert({ name: 'Italian' });
        expect((await copy('language').select('language_id').orderBy('language_id')).map((r) => r.language_id)).toEqual([1, 2]);
        await copy('film').insert({ title: 'ACADEMY DINOSAUR', language_id: 2 });
        expect(await copy('film').first('release_year', 'rental_duration', 'rating_delta', 'active')).toEqual({ release_year: 2006, rental_duration: 3, rating_delta: -1, active: 1 });
        await copy('store').insert({ film_id: 1 });
        await copy('inventory').insert({ store_id: 1 });
        await expect(copy('film').insert({ title: 'TOO LONG', language_id: 2, rental_duration: 256 })).rejects.toThrow(/out of range/i);
      }
    } finally {
      await db.cleanup();
      await second.cleanup();
      await third.cleanup();
      rmProject(dir);
    }
  });
});

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
  test('migrate, upgrade, check clean; the stored types; inserts get ids', () =>
    withAdoption(dialect, 1, { 'models/m.ts': MODELS }, async ({ dir, dbs: [db] }) => {
      const env = { DATABASE_URL: db.url };
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
    }));
});

describe.each(testDialects().filter((d) => d.name === 'mysql'))('an Integer() model over a hand-made TINYINT column on $name', (dialect) => {
  test('is drift: widened to int, and the downgrade narrows it back behind the value guard', async () => {
    const model = (type: string) => `import { model, Integer, TinyInteger } from 'kiln';
export const Film = model('Film', { id: Integer().primaryKey().autoIncrement(false), rental_duration: ${type}.notNull().default(3) });
`;
    const db = await freshDatabase(dialect);
    const dir = makeProject({ ...CONFIG, 'models/film.ts': model('Integer()') });
    fs.mkdirSync(path.join(dir, 'migrations'));
    const env = { DATABASE_URL: db.url };
    const type = async (k: Knex) => {
      const [rows] = await k.raw("SELECT COLUMN_TYPE AS t FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'film' AND COLUMN_NAME = 'rental_duration'");
      return String(rows[0].t).replace(/\(\d+\)/, '');
    };
    try {
      const knex = db.connect();
      await knex.raw('CREATE TABLE film (id INT NOT NULL PRIMARY KEY, rental_duration TINYINT NOT NULL DEFAULT 3)');
      const check = await kiln(['db', 'check'], { cwd: dir, env });
      expect(check.code).not.toBe(0);
      expect(check.stdout).toMatch(/rental_duration/);
      const migrate = await kiln(['db', 'migrate', '-m', 'widen'], { cwd: dir, env });
      expect(migrate.code).toBe(0);
      const [file] = fs.readdirSync(path.join(dir, 'migrations'));
      const source = fs.readFileSync(path.join(dir, 'migrations', file), 'utf8');
      const [up, down] = source.split('export async function up')[1].split('export async function down');
      // A plain widening: no guard, and nothing said of narrowing.
      expect(up).not.toMatch(/guardValues|narrows/);
      expect(up).toContain("t.integer('rental_duration').notNullable().defaultTo(3).alter(");
      // The exact way back, behind the value guard with tinyint's range.
      expect(down).toContain("await guardValues(knex, { table: 'film', column: 'rental_duration', from: { type: 'integer' }, to: { type: 'tinyint' }, allowValueChanges: false });");
      expect(down).toContain("t.tinyint('rental_duration').notNullable().defaultTo(3).alter(");

      expect((await kiln(['db', 'upgrade'], { cwd: dir, env })).code).toBe(0);
      expect(await type(knex)).toBe('int');
      expect((await kiln(['db', 'check'], { cwd: dir, env })).code).toBe(0);
      await knex('film').insert({ id: 1, rental_duration: 300 });
      const refused = await kiln(['db', 'downgrade'], { cwd: dir, env });
      expect(refused.code).not.toBe(0);
      expect(refused.stderr).toMatch(/rental_duration/);
      expect(await type(knex)).toBe('int');
      await knex('film').where({ id: 1 }).update({ rental_duration: 100 });
      expect((await kiln(['db', 'downgrade'], { cwd: dir, env })).code).toBe(0);
      expect(await type(knex)).toBe('tinyint');

      // Back where it started: the model saying TinyInteger() is what the table is.
      fs.rmSync(path.join(dir, 'migrations', file));
      fs.writeFileSync(path.join(dir, 'models', 'film.ts'), model('TinyInteger()'));
      expect((await kiln(['db', 'check'], { cwd: dir, env })).stdout).toContain('No new upgrade operations detected');
    } finally {
      await db.cleanup();
      rmProject(dir);
    }
  });
});
