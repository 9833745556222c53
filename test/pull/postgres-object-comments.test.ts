/**
 * Comments on PostgreSQL indexes and constraints (COMMENT ON INDEX / COMMENT ON CONSTRAINT): the
 * models say comments on tables and columns only, and a baseline dropped these in silence. They
 * are now unmanaged entries: db pull warns, db check lists them, and a table re-created from the
 * database (a baseline, a down()) sets them again, a '?' in the text included.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
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

describe.each(testDialects().filter((d) => d.name === 'postgres'))('comments on what a migration re-creates on $name', (dialect) => {
  // The models change an index's columns, a unique constraint's columns and a check's expression
  // (each dropped and created again under its name) and drop a foreign key for good: up carries
  // each comment to the new object, down gives every comment back to the old ones.
  test.each([[[]], [['--no-online']]])('up sets them on the re-created objects, down on the old ones (db migrate %j)', (flags: string[]) =>
    withAdoption(dialect, 1, {}, async ({ dir, dbs: [db] }) => {
      const env = { DATABASE_URL: db.url };
      const knex = db.connect();
      for (const sql of SCHEMA) await knex.raw(sql);
      const original = await comments(knex);
      ok(await kiln(['db', 'pull'], { cwd: dir, env }));
      ok(await kiln(['db', 'baseline', '-m', 'base'], { cwd: dir, env }));
      const edit = (file: string, from: RegExp, to: string) => {
        const p = path.join(dir, 'models', file);
        const text = fs.readFileSync(p, 'utf8');
        expect(text).toMatch(from);
        fs.writeFileSync(p, text.replace(from, to));
      };
      edit('book.ts', /title: Text\(\)\.index\('book_title_idx'\)/, 'title: Text()');
      edit('book.ts', /\{ relationships:/, "{ indexes: [{ columns: ['title', 'author_id'], name: 'book_title_idx' }], relationships:");
      edit('book.ts', /\{ name: 'book_author_fk' \}/, "{ name: 'book_author_fk', onDelete: 'CASCADE' }");
      edit('author.ts', /email: Text\(\)\.unique\('author_email_key'\)/, 'email: Text()');
      edit('author.ts', /\(age >= 0\)/, '(age >= 1)');
      const made = ok(await kiln(['db', 'migrate', '-m', 'reshape', ...flags], { cwd: dir, env }));
      const file = /Generating (\S+) \.\.\. done/.exec(made.stdout)![1];
      expect(fs.readFileSync(file, 'utf8')).toContain(`COMMENT ON INDEX "book_title_idx" IS \\'for the search page`);
      ok(await kiln(['db', 'upgrade'], { cwd: dir, env }));
      const after = await comments(knex);
      // The unique constraint is gone for good, and its two comments with it; the others moved to the new objects.
      expect(after).toEqual(original.filter((r: { what: string }) => !r.what.endsWith(' author_email_key')));
      expect(after).toHaveLength(4);
      const defs = (await knex.raw("SELECT pg_get_indexdef('book_title_idx'::regclass) AS idx, pg_get_constraintdef(oid) AS fk FROM pg_constraint WHERE conname = 'book_author_fk'")).rows[0];
      expect(defs).toEqual({ idx: expect.stringContaining('(title, author_id)'), fk: expect.stringContaining('ON DELETE CASCADE') });
      await expectNoDrift(dir, db.url);
      ok(await kiln(['db', 'downgrade'], { cwd: dir, env }));
      expect(await comments(knex)).toEqual(original);
      expect((await knex.raw("SELECT pg_get_indexdef('book_title_idx'::regclass) AS idx")).rows[0].idx).toContain('(title)');
    }));
});

describe.each(testDialects().filter((d) => d.name === 'postgres'))('comments on a renamed table on $name', (dialect) => {
  // The table is renamed first, then its index re-created: the comment is found by the new name.
  test('an index re-created on a renamed table keeps its comment', () =>
    withAdoption(dialect, 1, {}, async ({ dir, dbs: [db] }) => {
      const env = { DATABASE_URL: db.url };
      const knex = db.connect();
      for (const sql of SCHEMA) await knex.raw(sql);
      ok(await kiln(['db', 'pull'], { cwd: dir, env }));
      ok(await kiln(['db', 'baseline', '-m', 'base'], { cwd: dir, env }));
      const file = path.join(dir, 'models', 'book.ts');
      const text = fs.readFileSync(file, 'utf8');
      expect(text).toContain("title: Text().index('book_title_idx')");
      fs.writeFileSync(
        file,
        text
          .replace("title: Text().index('book_title_idx')", 'title: Text()')
          .replace('{ relationships:', "{ tableName: 'volume', indexes: [{ columns: ['title', 'id'], name: 'book_title_idx' }], relationships:"),
      );
      ok(await kiln(['db', 'migrate', '-m', 'rename', '--rename', 'book=volume'], { cwd: dir, env }));
      ok(await kiln(['db', 'upgrade'], { cwd: dir, env }));
      const idx = (await knex.raw("SELECT pg_get_indexdef('book_title_idx'::regclass) AS def, obj_description('book_title_idx'::regclass, 'pg_class') AS comment")).rows[0];
      expect(idx).toEqual({ def: expect.stringContaining('ON public.volume USING btree (title, id)'), comment: 'for the search page: is it still used?' });
      await expectNoDrift(dir, db.url);
      ok(await kiln(['db', 'downgrade'], { cwd: dir, env }));
      const back = (await knex.raw("SELECT pg_get_indexdef('book_title_idx'::regclass) AS def, obj_description('book_title_idx'::regclass, 'pg_class') AS comment")).rows[0];
      expect(back).toEqual({ def: expect.stringContaining('ON public.book USING btree (title)'), comment: 'for the search page: is it still used?' });
    }));
});

describe.each(testDialects().filter((d) => d.name === 'postgres'))('comments on a primary key that changes name on $name', (dialect) => {
  // A table has one primary key: a new one under kiln's name (acct_pkey) gets the comments of
  // the old one (acct_main), and down() gives them back to it.
  test('the new primary key gets the old one\'s comments', () =>
    withAdoption(dialect, 1, {}, async ({ dir, dbs: [db] }) => {
      const env = { DATABASE_URL: db.url };
      const knex = db.connect();
      for (const sql of [
        'CREATE TABLE acct (id int NOT NULL, region int NOT NULL, CONSTRAINT acct_main PRIMARY KEY (id))',
        "COMMENT ON CONSTRAINT acct_main ON acct IS 'one row per account'",
        "COMMENT ON INDEX acct_main IS 'the key''s index'",
      ]) await knex.raw(sql);
      const original = await comments(knex);
      expect(original).toHaveLength(2);
      ok(await kiln(['db', 'pull'], { cwd: dir, env }));
      ok(await kiln(['db', 'baseline', '-m', 'base'], { cwd: dir, env }));
      const file = path.join(dir, 'models', 'acct.ts');
      const text = fs.readFileSync(file, 'utf8');
      expect(text).toContain("{ primaryKey: { columns: ['id'], name: 'acct_main' } }");
      fs.writeFileSync(file, text.replace("{ primaryKey: { columns: ['id'], name: 'acct_main' } }", "{ primaryKey: { columns: ['id', 'region'] } }"));
      ok(await kiln(['db', 'migrate', '-m', 'wider key'], { cwd: dir, env }));
      ok(await kiln(['db', 'upgrade'], { cwd: dir, env }));
      expect(await comments(knex)).toEqual([
        { what: 'constraint acct_pkey', comment: 'one row per account' },
        { what: 'index acct_pkey', comment: "the key's index" },
      ]);
      await expectNoDrift(dir, db.url);
      ok(await kiln(['db', 'downgrade'], { cwd: dir, env }));
      expect(await comments(knex)).toEqual(original);
    }));
});
