/**
 * A MySQL/MariaDB SET (or any custom type) keeps the case of its quoted values. The type's
 * spelling was lower-cased as a whole, so `db pull` wrote `Custom("set('trailers', ...)")` for
 * `SET('Trailers', ...)`, `db check` agreed (both sides lower-cased), and a database built from
 * the models or a baseline stored 'trailers' where the original stored 'Trailers', in silence.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { normalizeTypeSpelling } from '../../src/schema/element';
import { withAdoption } from '../helpers/adoption';
import { kiln } from '../helpers/cli';
import { testDialects } from '../helpers/dialects';

jest.setTimeout(120000);

test('a type spelling keeps the case of quoted values and names, and only theirs', () => {
  expect(normalizeTypeSpelling("SET ( 'Trailers' , 'Deleted Scenes' )")).toBe("set('Trailers','Deleted Scenes')");
  expect(normalizeTypeSpelling("ENUM('it''s', 'A\\'B')")).toBe("enum('it''s','A\\'B')");
  expect(normalizeTypeSpelling('"MyType" ( 10 )')).toBe('"MyType"(10)');
  expect(normalizeTypeSpelling('Numeric (10, 2)')).toBe('numeric(10,2)');
});

describe.each(testDialects().filter((d) => d.name === 'mysql'))('SET values on $name', (dialect) => {
  test('pull, check and a database made from the models keep their case', () =>
    withAdoption(dialect, 2, {}, async ({ dir, dbs: [db, second] }) => {
      await db.connect().raw("CREATE TABLE film (id INT PRIMARY KEY, features SET('Trailers','Deleted Scenes') DEFAULT 'Trailers')");
      expect((await kiln(['db', 'pull'], { cwd: dir, env: { DATABASE_URL: db.url } })).code).toBe(0);
      expect(fs.readFileSync(path.join(dir, 'models', 'film.ts'), 'utf8')).toContain("features: Custom('set(\\'Trailers\\',\\'Deleted Scenes\\')').default('Trailers'),");
      const check = await kiln(['db', 'check'], { cwd: dir, env: { DATABASE_URL: db.url } });
      expect(check.stdout).toContain('No new upgrade operations detected');
      expect((await kiln(['initdb'], { cwd: dir, env: { DATABASE_URL: second.url } })).code).toBe(0);
      const type = async (knex: import('knex').Knex) =>
        (await knex.raw("SELECT COLUMN_TYPE AS t FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'film' AND COLUMN_NAME = 'features'"))[0][0].t;
      expect(await type(second.connect())).toBe("set('Trailers','Deleted Scenes')");
      await second.connect()('film').insert({ id: 1 });
      expect(await second.connect()('film').select('features')).toEqual([{ features: 'Trailers' }]);
    }));
});
