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

describe.each(testDialects().filter((d) => d.name === 'mysql'))('index comments on $name', (dialect) => {
  // knex's index builder cannot write COMMENT: such an index was read as a plain one and a
  // baseline made it without its comment, in silence. It is now kept as it is, like the others.
  test('an index or unique with a COMMENT is kept with its exact statement', () =>
    withAdoption(dialect, 2, {}, async ({ dir, dbs: [db, fresh] }) => {
      const env = { DATABASE_URL: db.url };
      const knex = db.connect();
      await knex.raw('CREATE TABLE parent (id INT PRIMARY KEY)');
      await knex.raw(`CREATE TABLE note (
        id INT PRIMARY KEY, title VARCHAR(50), code VARCHAR(10), parent_id INT,
        KEY note_title (title) COMMENT 'for the list page: it''s sorted by title',
        UNIQUE KEY note_code (code) COMMENT 'back\\\\slash',
        KEY note_parent (parent_id) COMMENT 'the foreign key''s',
        CONSTRAINT note_parent_fk FOREIGN KEY (parent_id) REFERENCES parent (id))`);
      const pulled = await kiln(['db', 'pull'], { cwd: dir, env });
      expect(pulled.code).toBe(0);
      expect(pulled.stderr).toContain("index note_title is not managed by kiln (kept as it is)");
      const check = await kiln(['db', 'check'], { cwd: dir, env });
      expect(check.stdout).toContain('No new upgrade operations detected');
      expect((await kiln(['db', 'baseline', '-m', 'baseline'], { cwd: dir, env })).code).toBe(0);
      const upgraded = await kiln(['db', 'upgrade'], { cwd: dir, env: { DATABASE_URL: fresh.url } });
      expect({ code: upgraded.code, err: upgraded.stderr }).toEqual({ code: 0, err: '' });
      const comments = async (k: import('knex').Knex) =>
        (await k.raw("SELECT INDEX_NAME AS i, NON_UNIQUE AS u, INDEX_COMMENT AS c FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'note'"))[0].sort((a: { i: string }, b: { i: string }) => (a.i < b.i ? -1 : 1));
      const original = await comments(knex);
      expect(original).toEqual([
        { i: 'PRIMARY', u: 0, c: '' },
        { i: 'note_code', u: 0, c: 'back\\slash' },
        { i: 'note_parent', u: 1, c: "the foreign key's" },
        { i: 'note_title', u: 1, c: "for the list page: it's sorted by title" },
      ]);
      expect(await comments(fresh.connect())).toEqual(original);
      expect((await kiln(['db', 'check'], { cwd: dir, env: { DATABASE_URL: fresh.url } })).stdout).toContain('No new upgrade operations detected');
    }));
});
