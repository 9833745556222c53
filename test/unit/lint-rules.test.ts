/**
 * Every lint rule, on the SQL each dialect's reader sees: one statement list that triggers it
 * and one that does not. The PostgreSQL reader is PostgreSQL's own parser (libpg-query).
 */
import { DIALECTS } from '../../src/dialect/registry';
import type { DialectName } from '../../src/dialect/types';
import { RuleState } from '../../src/lint/rules';
import type { StatementReader } from '../../src/lint/types';
import { makeSchema } from '../../src/schema/build';
import type { Column, Schema, Table } from '../../src/schema/types';

const col = (name: string, type: Column['type'] = 'integer', extra: Partial<Column> = {}): Column => ({
  name,
  type,
  length: type === 'string' ? 50 : null,
  nullable: true,
  default: null,
  autoIncrement: false,
  unsigned: false,
  ...extra,
});
const tbl = (name: string, columns: Column[], extra: Partial<Table> = {}): Table => ({
  name,
  columns,
  primaryKey: { name: `${name}_pkey`, columns: ['id'] },
  indexes: [],
  uniques: [],
  foreignKeys: [],
  ...extra,
});

const SCHEMA: Schema = makeSchema([
  tbl('account', [col('id', 'integer', { nullable: false }), col('email', 'string'), col('note', 'text')]),
  tbl('post', [col('id', 'integer', { nullable: false }), col('account_id'), col('title', 'string')], {
    indexes: [{ name: 'post_title_index', columns: ['title'] }],
  }),
  tbl('empty', [col('id', 'integer', { nullable: false }), col('x')]),
]);
const ROWS = new Map([
  ['account', 1000],
  ['post', 5_000_000],
  ['empty', 0],
]);

const readers = new Map<DialectName, StatementReader>();
beforeAll(async () => {
  for (const d of Object.values(DIALECTS)) readers.set(d.name, await d.lint.reader());
});

/** The rule ids found over `statements`, run in order as one kiln run, with file-level allows. */
function rulesOf(dialect: DialectName, statements: string[], allows: string[] = []): string[] {
  const state = new RuleState({ rows: ROWS, transactional: true });
  const reader = readers.get(dialect)!;
  return statements.flatMap((sql) => state.analyze(sql, reader.read(sql, SCHEMA), new Set(allows)).findings.filter((f) => !f.allowed).map((f) => f.rule));
}

const PG_TIMEOUT = "set lock_timeout = '5s'";
const MY_TIMEOUT = 'set session lock_wait_timeout = 5';

describe('PostgreSQL rules', () => {
  const pg = (...s: string[]) => rulesOf('postgres', s);
  const quiet = (...s: string[]) => rulesOf('postgres', [PG_TIMEOUT, ...s]);

  test('blocking-index-build', () => {
    expect(quiet('create index "post_account_id_index" on "post" ("account_id")')).toEqual(['blocking-index-build']);
    expect(quiet('create index "empty_x_index" on "empty" ("x")')).toEqual([]);
    expect(quiet('create table "fresh" ("id" serial primary key, "a" int)', 'create index "fresh_a" on "fresh" ("a")')).toEqual([]);
  });
  test('concurrently-in-transaction', () => {
    expect(quiet('create index concurrently "p_a" on "post" ("account_id")')).toEqual(['concurrently-in-transaction']);
    const state = new RuleState({ rows: ROWS, transactional: false });
    const sql = 'create index concurrently "p_a" on "post" ("account_id")';
    expect(state.analyze(sql, readers.get('postgres')!.read(sql, SCHEMA), new Set()).findings.map((f) => f.rule)).toEqual([]);
  });
  test('blocking-index-drop', () => {
    expect(quiet('drop index "post_title_index"')).toEqual(['blocking-index-drop']);
    expect(quiet('drop index concurrently "post_title_index"')).toEqual(['concurrently-in-transaction']);
  });
  test('validation-under-lock', () => {
    expect(quiet('alter table "post" add constraint "post_account_id_foreign" foreign key ("account_id") references "account" ("id")')).toEqual(['validation-under-lock']);
    expect(quiet('alter table "post" add constraint "post_account_id_foreign" foreign key ("account_id") references "account" ("id") not valid')).toEqual([]);
    expect(quiet('alter table "account" add constraint "c" check (id > 0)')).toEqual(['validation-under-lock']);
    expect(quiet('alter table "account" add constraint "c" check (id > 0) not valid', 'alter table "account" validate constraint "c"')).toEqual([]);
  });
  test('unique-over-duplicates', () => {
    expect(quiet('alter table "account" add constraint "account_email_unique" unique ("email")')).toEqual(['blocking-index-build', 'unique-over-duplicates']);
    expect(quiet('alter table "account" add constraint "account_email_unique" unique using index "account_email_idx"')).toEqual([]);
    expect(quiet('create unique index "e_x" on "empty" ("x")')).toEqual([]);
  });
  test('not-null-scan', () => {
    expect(quiet('alter table "account" alter column "email" set not null')).toEqual(['not-null-scan']);
    expect(quiet('alter table "empty" alter column "x" set not null')).toEqual([]);
    // kiln/online's setNotNull: a validated CHECK (col IS NOT NULL) is the proof, no scan.
    const proven = ['alter table "account" add constraint "nn" check ("email" is not null) not valid', 'alter table "account" validate constraint "nn"'];
    expect(quiet(...proven, 'alter table "account" alter column "email" set not null')).toEqual([]);
    expect(quiet(proven[0], 'alter table "account" alter column "email" set not null')).toEqual(['not-null-scan']);
    expect(quiet(...proven, 'alter table "account" alter column "id" set not null')).toEqual(['not-null-scan']);
  });
  test('not-null-without-default', () => {
    expect(quiet('alter table "account" add column "flag" boolean not null')).toEqual(['not-null-without-default']);
    expect(quiet('alter table "account" add column "flag" boolean not null default false')).toEqual([]);
    expect(quiet('alter table "empty" add column "flag" boolean not null')).toEqual([]);
  });
  test('volatile-default', () => {
    expect(quiet('alter table "account" add column "token" uuid default gen_random_uuid()')).toEqual(['volatile-default']);
    expect(quiet('alter table "account" add column "made" timestamptz default now()')).toEqual([]);
  });
  test('type-change-rewrite', () => {
    expect(quiet('alter table "account" alter column "id" type bigint')).toEqual(['type-change-rewrite']);
    expect(quiet('alter table "account" alter column "email" type varchar(100) using ("email"::varchar(100))')).toEqual([]);
    expect(quiet('alter table "account" alter column "email" type text')).toEqual([]);
  });
  test('backward-incompatible', () => {
    expect(quiet('alter table "account" drop column "note"')).toEqual(['backward-incompatible']);
    expect(quiet('alter table "account" rename column "note" to "remark"')).toEqual(['backward-incompatible']);
    expect(quiet('alter table "account" rename to "member"')).toEqual(['backward-incompatible']);
    expect(quiet('drop table "account"')).toEqual(['backward-incompatible']);
    expect(quiet('alter table "account" add column "extra" int')).toEqual([]);
  });
  test('missing-lock-timeout, reported once per run', () => {
    expect(pg('alter table "account" add column "extra" int', 'alter table "post" add column "extra" int')).toEqual(['missing-lock-timeout']);
    expect(pg("set lock_timeout = '2s'", 'alter table "account" add column "extra" int')).toEqual([]);
    expect(pg('set lock_timeout = 0', 'alter table "account" add column "extra" int')).toEqual(['missing-lock-timeout']);
    expect(pg('create table "fresh" ("id" int)', 'insert into "account" ("email") values (\'a\')')).toEqual([]);
  });
  test('a kiln-lint-allow comment accepts a finding', () => {
    expect(rulesOf('postgres', [PG_TIMEOUT, 'create index "p" on "post" ("account_id") /* kiln-lint-allow: blocking-index-build */'])).toEqual([]);
    expect(rulesOf('postgres', [PG_TIMEOUT, 'create index "p" on "post" ("account_id")'], ['blocking-index-build'])).toEqual([]);
  });
  test('locks and rewrites as PostgreSQL documents them', () => {
    const r = readers.get('postgres')!;
    expect(r.read('alter table "post" add constraint "f" foreign key ("account_id") references "account" ("id")', SCHEMA).locks).toEqual([
      { table: 'post', mode: 'SHARE ROW EXCLUSIVE', blocksReads: false, blocksWrites: true, queues: true },
      { table: 'account', mode: 'SHARE ROW EXCLUSIVE', blocksReads: false, blocksWrites: true, queues: true },
    ]);
    expect(r.read('create index concurrently "i" on "post" ("title")', SCHEMA).locks[0]).toMatchObject({ mode: 'SHARE UPDATE EXCLUSIVE', blocksWrites: false });
    expect(r.read('alter table "account" alter column "id" type bigint', SCHEMA).rewrites).toEqual(['account']);
    expect(r.read('this is not sql', SCHEMA).kind).toBe('UNPARSED');
  });
});

describe('MySQL/MariaDB rules', () => {
  const quiet = (...s: string[]) => rulesOf('mysql', [MY_TIMEOUT, ...s]);

  test('online index builds pass; COPY ones do not', () => {
    expect(quiet('alter table `post` add index `post_account_id_index`(`account_id`)')).toEqual([]);
    expect(quiet('create index `p` on `post` (`account_id`)')).toEqual([]);
    expect(quiet('alter table `post` add index `p`(`account_id`), algorithm=copy')).toEqual(['table-copy']);
  });
  test('validation-under-lock and table-copy for a foreign key', () => {
    expect(quiet('alter table `post` add constraint `post_account_id_foreign` foreign key (`account_id`) references `account` (`id`)')).toEqual(['validation-under-lock', 'table-copy']);
    expect(quiet('alter table `empty` add constraint `f` foreign key (`x`) references `account` (`id`)')).toEqual([]);
    // ALGORITHM=INPLACE only runs with foreign_key_checks off: no validation, no copy (kiln/online verifies after).
    expect(quiet('alter table `post` add constraint `f` foreign key (`account_id`) references `account` (`id`), algorithm=inplace, lock=none')).toEqual([]);
  });
  test('unique-over-duplicates', () => {
    expect(quiet('alter table `account` add unique `account_email_unique`(`email`)')).toEqual(['unique-over-duplicates']);
    expect(quiet('alter table `empty` add unique `u`(`x`)')).toEqual([]);
  });
  test('type-change-rewrite: a type change copies, a VARCHAR widened in its length class does not', () => {
    expect(quiet('alter table `account` modify `id` bigint not null')).toEqual(['type-change-rewrite', 'table-copy']);
    expect(quiet('alter table `account` modify `email` varchar(60)')).toEqual([]);
    expect(quiet('alter table `account` modify `email` varchar(100)')).toEqual(['type-change-rewrite', 'table-copy']);
  });
  test('not-null-scan on MODIFY ... NOT NULL', () => {
    expect(quiet('alter table `account` modify `email` varchar(50) not null')).toEqual(['not-null-scan']);
    expect(quiet('alter table `account` modify `email` varchar(50) null')).toEqual([]);
  });
  test('backward-incompatible', () => {
    expect(quiet('alter table `account` drop `note`')).toEqual(['backward-incompatible']);
    expect(quiet('alter table `account` rename column `note` to `remark`')).toEqual(['backward-incompatible']);
    expect(quiet('rename table `account` to `member`')).toEqual(['backward-incompatible']);
    expect(quiet('alter table `account` add `extra` int')).toEqual([]);
  });
  test('missing-lock-timeout', () => {
    expect(rulesOf('mysql', ['alter table `account` add `extra` int'])).toEqual(['missing-lock-timeout']);
    expect(rulesOf('mysql', [MY_TIMEOUT, 'alter table `account` add `extra` int'])).toEqual([]);
  });
  test('algorithms', () => {
    const r = readers.get('mysql')!;
    expect(r.read('alter table `account` add `extra` int', SCHEMA).locks[0].mode).toBe('INSTANT, LOCK=NONE');
    expect(r.read('alter table `account` add index `i`(`email`)', SCHEMA).locks[0].mode).toBe('INPLACE, LOCK=NONE');
    expect(r.read('alter table `account` modify `id` bigint', SCHEMA).locks[0]).toMatchObject({ mode: 'COPY, LOCK=SHARED', blocksWrites: true });
  });
});

describe('SQLite', () => {
  test('a kiln rebuild rewrites the table and drops nothing', () => {
    const rules = rulesOf('sqlite', [
      'CREATE TABLE `_kiln_tmp_account` (`id` integer not null primary key)',
      'INSERT INTO `_kiln_tmp_account` (`id`, `email`, `remark`) SELECT `id`, `email`, `note` FROM `account`',
      'DROP TABLE `account`',
      'ALTER TABLE `_kiln_tmp_account` RENAME TO `account`',
    ]);
    expect(rules).toEqual([]);
    // Knex's own rebuild (dropColumn): the column the copy leaves behind is dropped.
    expect(rulesOf('sqlite', ['INSERT INTO "_knex_temp_alter598" SELECT "id", "email" FROM "account";', 'DROP TABLE "account"'])).toEqual(['backward-incompatible']);
    expect(rulesOf('sqlite', ['INSERT INTO "_knex_temp_alter598" SELECT * FROM "account";', 'DROP TABLE "account"'])).toEqual([]);
    expect(readers.get('sqlite')!.read('INSERT INTO `_kiln_tmp_account` (`id`) SELECT `id` FROM `account`', SCHEMA).rewrites).toEqual(['account']);
  });
  test("a rebuild's schema probe (a column renamed to its own name, rolled back) renames nothing", () => {
    expect(rulesOf('sqlite', ['SAVEPOINT kiln_schema_check', 'ALTER TABLE `account` RENAME COLUMN `id` TO `id`', 'ROLLBACK TO kiln_schema_check'])).toEqual([]);
    expect(rulesOf('sqlite', ['ALTER TABLE `account` RENAME COLUMN `id` TO `account_id`'])).toEqual(['backward-incompatible']);
  });
  test('backward-incompatible and unique-over-duplicates', () => {
    expect(rulesOf('sqlite', ['DROP TABLE `account`'])).toEqual(['backward-incompatible']);
    expect(rulesOf('sqlite', ['alter table `account` drop column `note`'])).toEqual(['backward-incompatible']);
    expect(rulesOf('sqlite', ['create unique index `u` on `account` (`email`)'])).toEqual(['unique-over-duplicates']);
    expect(rulesOf('sqlite', ['create index `i` on `account` (`email`)'])).toEqual([]);
  });
});
