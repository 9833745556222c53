/**
 * Name lengths are each database's: SQLite has no limit, MySQL/MariaDB keep 64 characters,
 * PostgreSQL 63 bytes. The model compiler refused every name past 63 characters, so a SQLite
 * table whose unnamed foreign key kiln names `<table>_<column>_foreign` (past 63) and a
 * 64-character MariaDB table could not be pulled. Now the projection checks each database's limit.
 */
import { expectNoDrift, withAdoption } from '../helpers/adoption';
import { expectUserError, kiln, ok } from '../helpers/cli';
import { testDialects } from '../helpers/dialects';

jest.setTimeout(180000);


const PARENT = 'customer_account_billing_address_history_entries';
const CHILD = `${'x'.repeat(64)}`;

const SCHEMA: Record<string, string[]> = {
  sqlite: [
    `CREATE TABLE ${PARENT} (id integer PRIMARY KEY, note text)`,
    `CREATE TABLE invoice_line_item_adjustment (id integer PRIMARY KEY, ${PARENT}_id integer REFERENCES ${PARENT} (id))`,
  ],
  mysql: [
    `CREATE TABLE ${CHILD} (id int AUTO_INCREMENT PRIMARY KEY, ${'c'.repeat(64)} int, KEY ${'k'.repeat(64)} (${'c'.repeat(64)}))`,
  ],
};

describe.each(testDialects().filter((d) => d.name !== 'postgres'))('long names on $name', (dialect) => {
  test('a hand-made schema with names past 63 characters pulls, checks clean and re-creates', () =>
    withAdoption(dialect, 2, {}, async ({ dir, dbs: [db, copy] }) => {
      const env = { DATABASE_URL: db.url };
      for (const sql of SCHEMA[dialect.name]) await db.connect().raw(sql);
      const pulled = ok(await kiln(['db', 'pull'], { cwd: dir, env }));
      expect(pulled.stderr).toBe('');
      await expectNoDrift(dir, db.url);
      ok(await kiln(['db', 'baseline', '-m', 'base'], { cwd: dir, env }));
      ok(await kiln(['db', 'upgrade'], { cwd: dir, env: { DATABASE_URL: copy.url } }));
      await expectNoDrift(dir, copy.url);
    }));
});

describe.each(testDialects().filter((d) => d.name !== 'sqlite'))('names past the limit on $name', (dialect) => {
  // PostgreSQL would cut a 64-byte name to 63 in silence; MySQL/MariaDB refuse 65 characters.
  const name = dialect.name === 'postgres' ? 'é'.repeat(32) : 'y'.repeat(65);
  test('a model naming one is refused with one error line naming it', () =>
    withAdoption(dialect, 1, { 'models/t.ts': `import { table, Integer } from 'kiln';\nexport const T = table('t', { id: Integer().primaryKey(), '${name}': Integer() });\n` }, async ({ dir, dbs: [db] }) => {
      const limit = dialect.name === 'postgres' ? "PostgreSQL's 63 bytes \\(64\\)" : "MySQL/MariaDB's 64 characters \\(65\\)";
      expectUserError(await kiln(['db', 'check'], { cwd: dir, env: { DATABASE_URL: db.url } }), new RegExp(`table 't' column '${name}': name '${name}' is longer than ${limit}`));
    }));
});
