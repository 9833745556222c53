/**
 * SQLite accepts, in CREATE TABLE, a foreign key whose target is not a key: a table that no
 * longer exists (dropped with foreign keys off) or columns that are neither its primary key nor
 * unique. `db pull` refused the whole database (the pulled models did not compile). Now such a
 * foreign key reads as loose, the pulled model says it with `loose: true`, `db pull` and
 * `db check` say what kiln does not do with it, and every re-creation of the table (a later
 * rebuild, a baseline run on a fresh database, initdb) writes it back as it was. PostgreSQL and
 * MySQL/MariaDB refuse such a foreign key, so there a model saying one is refused.
 */
import type { Knex } from 'knex';
import { expectInitdb, expectNoDrift, withAdoption } from '../helpers/adoption';
import { expectUserError, handMigration, kiln, writeFile } from '../helpers/cli';
import { testDialects } from '../helpers/dialects';

jest.setTimeout(180000);

const SCHEMA = [
  'CREATE TABLE parent (id INTEGER PRIMARY KEY, code TEXT)',
  'CREATE TABLE child (id INTEGER PRIMARY KEY, parent_code TEXT REFERENCES parent(code), gone_id INTEGER REFERENCES gone(id) ON DELETE CASCADE)',
  "INSERT INTO parent (id, code) VALUES (1, 'a'), (2, 'a'), (3, 'b')",
  // Row 3 already breaks both: no parent with code 'zz', and no table 'gone' at all.
  "INSERT INTO child (id, parent_code, gone_id) VALUES (1, 'a', NULL), (2, 'b', NULL), (3, 'zz', 7), (4, NULL, NULL)",
];

/** SQLite's own account of the foreign keys (`id` numbers them in reverse order of writing: left out). */
const FOREIGN_KEYS = `SELECT "table", "from", "to", seq, on_update, on_delete, "match" FROM pragma_foreign_key_list('child') ORDER BY "from", seq`;

async function load(knex: Knex): Promise<void> {
  // Writes to child involve a table that does not exist: SQLite refuses them with foreign keys on.
  await knex.raw('PRAGMA foreign_keys = OFF');
  for (const sql of SCHEMA) await knex.raw(sql);
}

const rowsOf = async (knex: Knex, sql: string) => (await knex.raw(sql)) as unknown[];

const SQLITE = testDialects().find((d) => d.name === 'sqlite')!;

describe('loose foreign keys on sqlite', () => {
  const dialect = SQLITE;

  test('pull writes them with loose: true and says so; check names them and is clean; initdb makes them', () =>
    withAdoption(dialect, 2, {}, async ({ dir, dbs: [db, other], model }) => {
      const knex = db.connect();
      await load(knex);
      const pulled = await kiln(['db', 'pull'], { cwd: dir, env: { DATABASE_URL: db.url } });
      expect(pulled.code).toBe(0);
      expect(pulled.stderr).toContain("warning: table 'child': foreign key child_gone_id_foreign (gone_id) -> gone(id) is loose");
      expect(pulled.stderr).toContain("warning: table 'child': foreign key child_parent_code_foreign (parent_code) -> parent(code) is loose");
      const child = model('child.ts');
      expect(child).toContain("parent_code: Text().references('parent.code', { loose: true }),");
      expect(child).toContain("gone_id: Integer().references('gone.id', { onDelete: 'CASCADE', loose: true }),");
      // No relationship: a loose target has no row, or several, to relate to.
      expect(child).not.toContain('relationship');
      expect(model('parent.ts')).not.toContain('relationship');

      const check = await kiln(['db', 'check'], { cwd: dir, env: { DATABASE_URL: db.url } });
      expect(check.stdout).toContain("Loose foreign key 'child_gone_id_foreign' on 'child': table 'gone' does not exist; kept as SQLite has it");
      expect(check.stdout).toContain("Loose foreign key 'child_parent_code_foreign' on 'child': 'parent.code' is neither a primary key nor unique; kept as SQLite has it");
      await expectNoDrift(dir, db.url);

      await expectInitdb(dir, other.url);
      expect(await rowsOf(other.connect(), FOREIGN_KEYS)).toEqual(await rowsOf(knex, FOREIGN_KEYS));
      expect(await rowsOf(knex, FOREIGN_KEYS)).toHaveLength(2);
    }));

  test('a later rebuild of both tables keeps the foreign keys and the rows; a migration breaking one is still caught', () =>
    withAdoption(dialect, 1, {}, async ({ dir, dbs: [db], model }) => {
      const env = { DATABASE_URL: db.url };
      const knex = db.connect();
      await load(knex);
      expect((await kiln(['db', 'pull'], { cwd: dir, env })).code).toBe(0);
      const before = await rowsOf(knex, FOREIGN_KEYS);
      const rows = await rowsOf(knex, 'SELECT * FROM child ORDER BY id');
      // Column type changes: SQLite rebuilds child (which holds the loose foreign keys) and parent
      // (whose rebuild checks the rows of child, which SQLite's foreign_key_check refuses to do).
      const child = model('child.ts').replace('gone_id: Integer()', 'gone_id: BigInteger()').replace('parent_code: Text()', 'parent_code: String(20)');
      writeFile(dir, 'models/child.ts', child.replace('import { model, Integer, Text }', 'import { model, BigInteger, Integer, String }'));
      writeFile(dir, 'models/parent.ts', model('parent.ts').replace('code: Text()', 'code: String(20)').replace('import { model, Integer, Text }', 'import { model, Integer, String, Text }'));
      const migrate = await kiln(['db', 'migrate', '-m', 'widen'], { cwd: dir, env });
      expect(migrate.code).toBe(0);
      expect(migrate.stdout).toContain("Detected changed column 'child.gone_id'");
      const up = await kiln(['db', 'upgrade'], { cwd: dir, env });
      expect(up.stderr).toBe('');
      expect(up.code).toBe(0);
      expect(await rowsOf(knex, "SELECT type FROM pragma_table_info('child') WHERE name = 'gone_id'")).toEqual([{ type: 'bigint' }]);
      expect(await rowsOf(knex, FOREIGN_KEYS)).toEqual(before);
      expect(await rowsOf(knex, 'SELECT * FROM child ORDER BY id')).toEqual(rows);
      const check = await kiln(['db', 'check'], { cwd: dir, env });
      expect(check.stdout).toContain('No new upgrade operations detected');
      expect(check.code).toBe(0);

      // The rows are still checked, one foreign key at a time, where SQLite's pragma gives up.
      writeFile(dir, 'migrations/29990101000000_orphan.ts', handMigration('orphan', "  await knex('child').insert({ id: 5, parent_code: 'nope' });", "  await knex('child').where({ id: 5 }).del();"));
      const broken = await kiln(['db', 'upgrade'], { cwd: dir, env });
      expectUserError(broken, /orphan\.ts leaves 1 row\(s\) breaking foreign keys \(first: .*\); rolled back$/);
      expect(await rowsOf(knex, 'SELECT id FROM child WHERE id = 5')).toEqual([]);
    }));

  test('baseline: a fresh database upgraded from it has the same foreign keys', () =>
    withAdoption(dialect, 2, {}, async ({ dir, dbs: [db, fresh] }) => {
      const knex = db.connect();
      await load(knex);
      expect((await kiln(['db', 'pull'], { cwd: dir, env: { DATABASE_URL: db.url } })).code).toBe(0);
      expect((await kiln(['db', 'baseline', '-m', 'baseline'], { cwd: dir, env: { DATABASE_URL: db.url } })).code).toBe(0);
      const up = await kiln(['db', 'upgrade'], { cwd: dir, env: { DATABASE_URL: fresh.url } });
      expect(up.stderr).toBe('');
      expect(up.code).toBe(0);
      expect(await rowsOf(fresh.connect(), FOREIGN_KEYS)).toEqual(await rowsOf(knex, FOREIGN_KEYS));
      await expectNoDrift(dir, fresh.url);
    }));

  test('a model without loose: true is refused, with a hint naming it', () =>
    withAdoption(dialect, 1, {}, async ({ dir, dbs: [db] }) => {
      writeFile(dir, 'models/m.ts', MODELS.replace(", { loose: true }", ''));
      const r = await kiln(['db', 'check'], { cwd: dir, env: { DATABASE_URL: db.url } });
      expectUserError(r, /^error: model 'Child' field 'parent_code': foreign key to 'parent.code', which is neither a primary key nor unique$/);
      expect(r.stderr).toContain("hint: make the target unique; or, on SQLite only (which accepts such a foreign key), say 'loose: true'");
    }));
});

const MODELS = `import { model, Integer, String } from 'kiln';
export const Parent = model('Parent', { id: Integer().primaryKey(), code: String(20) });
export const Child = model('Child', {
  id: Integer().primaryKey(),
  parent_code: String(20).references('parent.code', { loose: true }),
  gone_id: Integer().references('gone.id', { loose: true }),
});
`;

/** The same targets made keys: `loose: true` then changes nothing, on every database. */
const KEYED = `import { model, Integer, String } from 'kiln';
export const Parent = model('Parent', { id: Integer().primaryKey(), code: String(20).unique() });
export const Child = model('Child', {
  id: Integer().primaryKey(),
  parent_code: String(20).references('parent.code', { loose: true }),
  gone_id: Integer().references('parent.id', { loose: true }),
});
`;

// The servers' block runs where their URLs are set (KILN_OWN_SERVERS / scripts/test-servers.sh).
for (const dialect of testDialects().filter((d) => d.name !== 'sqlite')) describe(`loose foreign keys on ${dialect.name}`, () => {
  test('a model saying one is refused, naming it; loose: true on a foreign key to a key is a plain one', () =>
    withAdoption(dialect, 1, {}, async ({ dir, dbs: [db] }) => {
      const env = { DATABASE_URL: db.url };
      const label = dialect.name === 'postgres' ? 'PostgreSQL' : 'MySQL/MariaDB';
      writeFile(dir, 'models/m.ts', MODELS);
      const r = await kiln(['db', 'migrate', '-m', 'first'], { cwd: dir, env });
      expectUserError(r, new RegExp(`^error: table 'child' foreign key 'child_parent_code_foreign' is loose \\('parent.code' is neither a primary key nor unique\\): ${label} refuses such a foreign key$`));
      writeFile(dir, 'models/m.ts', MODELS.replace('code: String(20) }', 'code: String(20).unique() }'));
      const r2 = await kiln(['db', 'migrate', '-m', 'first'], { cwd: dir, env });
      expectUserError(r2, new RegExp(`^error: table 'child' foreign key 'child_gone_id_foreign' is loose \\(table 'gone' does not exist\\): ${label} refuses`));
      expect(r2.stderr).toContain("hint: 'loose: true' is for SQLite only");
      writeFile(dir, 'models/m.ts', KEYED);
      await expectInitdb(dir, db.url);
      const check = await kiln(['db', 'check'], { cwd: dir, env });
      expect(check.stdout).toBe('No new upgrade operations detected.\n');
      expect(check.code).toBe(0);
    }));
});
