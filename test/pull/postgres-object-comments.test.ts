/**
 * Comments on PostgreSQL indexes and constraints (COMMENT ON INDEX / COMMENT ON CONSTRAINT): the
 * models say comments on tables and columns only, and a baseline dropped these in silence. They
 * are now unmanaged entries: db pull warns, db check lists them, and a table re-created from the
 * database (a baseline, a down()) sets them again, a '?' in the text included.
 */
import type { Knex } from 'knex';
import { expectNoDrift, withAdoption } from '../helpers/adoption';
import { expectUserError, kiln, ok } from '../helpers/cli';
import { testDialects } from '../helpers/dialects';

jest.setTimeout(180000);

const SCHEMA = [
  'CREATE TABLE author (id int PRIMARY KEY, email text CONSTRAINT author_email_key UNIQUE, age int CONSTRAINT author_age_check CHECK (age >= 0))',
  'CREATE TABLE book (id int PRIMARY KEY, author_id int CONSTRAINT book_author_fk REFERENCES author (id), title text)',
  'CREATE INDEX book_title_idx ON book (title)',
  "COMMENT ON INDEX book_title_idx IS 'for the search page: is it still used\\?'",
  "COMMENT ON CONSTRAINT author_email_key ON author IS 'one account per address'",
  "COMMENT ON CONSTRAINT author_age_check ON author IS 'no one''s age is negative'",
  "COMMENT ON CONSTRAINT book_author_fk ON book IS 'a book keeps its author'",
  // The indexes behind a primary key and a unique constraint; a backslash before a '?' (knex
  // drops such a backslash: kiln writes these as U&'' strings). In this test's own knex.raw, \\?
  // is a plain '?', and U&'\\005C' a backslash.
  "COMMENT ON INDEX author_pkey IS U&'the key: a\\005C\\?b'",
  "COMMENT ON INDEX author_email_key IS 'unique index'",
];

const COMMENTS = `SELECT 'constraint ' || conname AS what, obj_description(oid, 'pg_constraint') AS comment FROM pg_constraint
  WHERE connamespace = 'public'::regnamespace AND obj_description(oid, 'pg_constraint') IS NOT NULL
UNION ALL SELECT 'index ' || relname, obj_description(oid, 'pg_class') FROM pg_class
  WHERE relkind = 'i' AND relnamespace = 'public'::regnamespace AND obj_description(oid, 'pg_class') IS NOT NULL
ORDER BY 1`;


const comments = async (knex: Knex) => (await knex.raw(COMMENTS)).rows;

describe.each(testDialects().filter((d) => d.name === 'postgres'))('index and constraint comments on $name', (dialect) => {
  test('pull warns, check is clean, a baseline sets them again', () =>
    withAdoption(dialect, 2, {}, async ({ dir, dbs: [db, copy] }) => {
      const env = { DATABASE_URL: db.url };
      const knex = db.connect();
      for (const sql of SCHEMA) await knex.raw(sql);
      const original = await comments(knex);
      expect(original).toHaveLength(6);
      expect(original).toContainEqual({ what: 'index author_pkey', comment: 'the key: a\\?b' });
      expect(original).toContainEqual({ what: 'index book_title_idx', comment: 'for the search page: is it still used?' });
      const pulled = ok(await kiln(['db', 'pull'], { cwd: dir, env }));
      expect(pulled.stderr).toContain("warning: table 'book': comment on index book_title_idx is not managed by kiln (kept as it is)");
      expect(pulled.stderr).toContain("warning: table 'author': comment on constraint author_age_check is not managed by kiln (kept as it is)");
      await expectNoDrift(dir, db.url);
      ok(await kiln(['db', 'baseline', '-m', 'base'], { cwd: dir, env }));
      ok(await kiln(['db', 'upgrade'], { cwd: dir, env: { DATABASE_URL: copy.url } }));
      expect(await comments(copy.connect())).toEqual(original);
      await expectNoDrift(dir, copy.url);
    }));
});

describe.each(testDialects().filter((d) => d.name === 'postgres'))('comments knex cannot pass on $name', (dialect) => {
  // knex on PostgreSQL drops the backslashes before a '?' (its escape): a model's column comment
  // `a\?b` cannot reach the database through knex's .comment(); it is refused, naming it.
  test('a column comment with a backslash before a question mark is refused', () =>
    withAdoption(dialect, 1, { 'models/t.ts': "import { table, Integer } from 'kiln';\nexport const T = table('t', { id: Integer().primaryKey(), n: Integer().comment('a\\\\?b') });\n" }, async ({ dir, dbs: [db] }) => {
      const r = await kiln(['db', 'migrate', '-m', 'one'], { cwd: dir, env: { DATABASE_URL: db.url } });
      expectUserError(r, /table 't' field 'n': comment contains '\\\?', which Knex on PostgreSQL cannot pass through/);
    }));
});
