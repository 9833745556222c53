/**
 * MySQL/MariaDB table options the models cannot say: a storage engine other than the server's
 * default (MyISAM), a default character set and collation other than those of kiln's tables
 * (latin1, utf8mb4_bin). A baseline made InnoDB utf8mb4 tables of them in silence: latin1
 * columns became utf8mb4, a case-sensitive unique (utf8mb4_bin) became case-insensitive. Now they
 * are unmanaged table options: db pull warns, db check lists them, and a table re-created from
 * the database (a baseline, a down()) restates them in its CREATE TABLE.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Knex } from 'knex';
import { expectNoDrift, withAdoption } from '../helpers/adoption';
import { kiln, ok } from '../helpers/cli';
import { testDialects } from '../helpers/dialects';

jest.setTimeout(180000);

const SCHEMA = [
  'CREATE TABLE legacy (id int PRIMARY KEY, name varchar(20)) ENGINE=MyISAM DEFAULT CHARSET=latin1',
  'CREATE TABLE code (id int PRIMARY KEY, code varchar(10), UNIQUE KEY code_code_unique (code)) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin',
  'CREATE TABLE mixed (id int PRIMARY KEY, a varchar(10), b varchar(10) CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci) DEFAULT CHARSET=latin1',
];


/** Each table's engine and collation, each column's collation, as the catalog says. */
async function catalog(knex: Knex) {
  const [tables] = await knex.raw('SELECT TABLE_NAME AS t, ENGINE AS e, TABLE_COLLATION AS c FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME <> \'knex_migrations\' AND TABLE_NAME NOT LIKE \'knex\\_%\' AND TABLE_NAME NOT LIKE \'kiln\\_%\' ORDER BY 1');
  const [columns] = await knex.raw("SELECT TABLE_NAME AS t, COLUMN_NAME AS c, COLLATION_NAME AS k FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME IN ('legacy', 'code', 'mixed') ORDER BY 1, 2");
  return { tables, columns };
}

describe.each(testDialects().filter((d) => d.name === 'mysql'))('table options on $name', (dialect) => {
  test('pull warns, check is clean and lists them, a baseline re-creates the engine and collations', () =>
    withAdoption(dialect, 2, {}, async ({ dir, dbs: [db, copy] }) => {
      const env = { DATABASE_URL: db.url };
      const knex = db.connect();
      for (const sql of SCHEMA) await knex.raw(sql);
      const original = await catalog(knex);
      expect(original.tables).toEqual([
        { t: 'code', e: 'InnoDB', c: 'utf8mb4_bin' },
        { t: 'legacy', e: 'MyISAM', c: 'latin1_swedish_ci' },
        { t: 'mixed', e: 'InnoDB', c: 'latin1_swedish_ci' },
      ]);

      const pulled = ok(await kiln(['db', 'pull'], { cwd: dir, env }));
      expect(pulled.stderr).toContain("warning: table 'legacy': table option ENGINE=MyISAM is not managed by kiln (kept as it is)");
      expect(pulled.stderr).toContain("warning: table 'legacy': table option DEFAULT CHARSET=latin1 COLLATE=latin1_swedish_ci is not managed by kiln (kept as it is)");
      expect(pulled.stderr).toContain("warning: table 'code': table option DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin is not managed by kiln (kept as it is)");
      await expectNoDrift(dir, db.url);
      const check = ok(await kiln(['db', 'check'], { cwd: dir, env }));
      expect(check.stdout).toContain('ENGINE=MyISAM');

      const base = ok(await kiln(['db', 'baseline', '-m', 'base'], { cwd: dir, env }));
      expect(base.stderr).toBe('');
      ok(await kiln(['db', 'upgrade'], { cwd: dir, env: { DATABASE_URL: copy.url } }));
      const other = copy.connect();
      expect(await catalog(other)).toEqual(original);
      // utf8mb4_bin kept: the unique tells 'a' from 'A'.
      await other('code').insert([{ id: 1, code: 'a' }, { id: 2, code: 'A' }]);
      expect(await other('code').count('* as n')).toEqual([{ n: 2 }]);
      await expectNoDrift(dir, copy.url);

      // A model deleted: up drops its table, down() re-creates it with its options.
      fs.rmSync(path.join(dir, 'models', 'legacy.ts'));
      const env2 = { DATABASE_URL: copy.url };
      ok(await kiln(['db', 'migrate', '-m', 'drop legacy'], { cwd: dir, env: env2 }));
      ok(await kiln(['db', 'upgrade'], { cwd: dir, env: env2 }));
      expect((await catalog(other)).tables.map((r: { t: string }) => r.t)).toEqual(['code', 'mixed']);
      ok(await kiln(['db', 'downgrade'], { cwd: dir, env: env2 }));
      expect(await catalog(other)).toEqual(original);
    }));
});
