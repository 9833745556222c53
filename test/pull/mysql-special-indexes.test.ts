/**
 * MySQL/MariaDB FULLTEXT and SPATIAL indexes and indexes on a column prefix (`title(10)`): the
 * model language cannot say them. They used to read back as plain b-tree indexes on whole
 * columns, so `db pull` wrote `index()` for them, `db check` agreed, and a database built from
 * the pulled models or from a baseline had b-tree indexes instead (FULLTEXT searches then fail,
 * a prefix unique rule becomes a whole-column one), in silence. Now they are kept as they are:
 * listed as unmanaged, left alone by migrations, and recreated exactly by a baseline.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { withAdoption } from '../helpers/adoption';
import { kiln } from '../helpers/cli';
import { testDialects } from '../helpers/dialects';

jest.setTimeout(180000);

const SCHEMA = `CREATE TABLE doc (
  id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  title VARCHAR(200) NOT NULL,
  body TEXT,
  place POINT NOT NULL,
  code VARCHAR(40),
  FULLTEXT KEY doc_search (title, body),
  KEY doc_title_start (title(10)),
  UNIQUE KEY doc_code_start (code(8) DESC),
  SPATIAL KEY doc_place (place),
  KEY doc_code (code)
) ENGINE=InnoDB`;

type IndexRow = { name: string; seq: number; col: string; sub: number | null; type: string; nonUnique: number; coll: string | null };

async function indexes(knex: import('knex').Knex): Promise<IndexRow[]> {
  const [rows] = await knex.raw(
    `SELECT INDEX_NAME AS name, SEQ_IN_INDEX AS seq, COLUMN_NAME AS col, SUB_PART AS sub, INDEX_TYPE AS type, NON_UNIQUE AS nonUnique, COLLATION AS coll
     FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'doc' ORDER BY INDEX_NAME, SEQ_IN_INDEX`,
  );
  return (rows as IndexRow[]).map((r) => ({ ...r, sub: r.sub === null ? null : Number(r.sub), nonUnique: Number(r.nonUnique) }));
}

describe.each(testDialects().filter((d) => d.name === 'mysql'))('special indexes on $name', (dialect) => {
  test('pull keeps them unmanaged, check lists them, a baseline recreates them exactly', () =>
    withAdoption(dialect, 2, {}, async ({ dir, dbs: [db, fresh] }) => {
      const env = { DATABASE_URL: db.url };
      const knex = db.connect();
      await knex.raw(SCHEMA);
      const pulled = await kiln(['db', 'pull'], { cwd: dir, env });
      expect(pulled.code).toBe(0);
      for (const name of ['doc_search', 'doc_title_start', 'doc_code_start', 'doc_place']) {
        expect(pulled.stderr).toContain(`index ${name} is not managed by kiln (kept as it is)`);
      }
      const model = fs.readFileSync(path.join(dir, 'models', 'doc.ts'), 'utf8');
      expect(model).toContain("code: String(40).index('doc_code'),");
      // Only in the notes: no index() or indexes option says them.
      expect(model.split(' */')[1]).not.toMatch(/doc_search|doc_title_start|doc_code_start|doc_place/);
      expect(model).toContain(' * Note: index doc_search is not managed by kiln (kept as it is).');

      const check = await kiln(['db', 'check'], { cwd: dir, env });
      expect(check.code).toBe(0);
      expect(check.stdout).toContain('No new upgrade operations detected');
      expect(check.stdout).toContain("Unmanaged index 'doc_search' on 'doc'");
      expect(check.stdout).toContain("Unmanaged index 'doc_code_start' on 'doc'");

      const baseline = await kiln(['db', 'baseline', '-m', 'baseline'], { cwd: dir, env });
      expect(baseline.code).toBe(0);
      const upgraded = await kiln(['db', 'upgrade'], { cwd: dir, env: { DATABASE_URL: fresh.url } });
      expect(upgraded.stderr).toBe('');
      expect(upgraded.code).toBe(0);
      const [before, after] = [await indexes(knex), await indexes(fresh.connect())];
      expect(after).toEqual(before);
      expect(before.find((r) => r.name === 'doc_search')!.type).toBe('FULLTEXT');
      expect(before.find((r) => r.name === 'doc_code_start')).toMatchObject({ sub: 8, nonUnique: 0 });
      // FULLTEXT works on the copy.
      await fresh.connect()('doc').insert({ title: 'kiln migrations', body: 'schema tools', place: fresh.connect().raw('POINT(1, 2)'), code: 'a' });
      const [hits] = await fresh.connect().raw("SELECT id FROM doc WHERE MATCH (title, body) AGAINST ('migrations')");
      expect(hits).toHaveLength(1);
    }));
});
