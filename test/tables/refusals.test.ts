/**
 * What a database cannot do is refused with one `error:` line naming the table, the index and
 * why, and nothing is written; model mistakes in checks, indexes and comments likewise.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { kiln, makeProject, rmProject } from '../helpers/cli';
import { freshDatabase } from '../helpers/databases';
import { testDialects } from '../helpers/dialects';

const model = (options: string, column = "email: String(100),") => `import { model, Integer, String } from 'kiln';
export const Item = model('Item', { id: Integer().primaryKey(), ${column} qty: Integer() }, ${options});
`;

async function migrate(files: Record<string, string>, url?: string) {
  const dir = makeProject(files);
  try {
    fs.mkdirSync(path.join(dir, 'migrations'));
    const env = { DATABASE_URL: url ?? `sqlite:///${path.join(dir, 'x.db')}` };
    const result = await kiln(['db', 'migrate', '-m', 'x'], { cwd: dir, env });
    return { ...result, written: fs.readdirSync(path.join(dir, 'migrations')) };
  } finally {
    rmProject(dir);
  }
}

function expectRefused(r: { code: number; stderr: string; written: string[] }, message: RegExp): void {
  expect(r.code).not.toBe(0);
  const lines = r.stderr.trim().split('\n').filter((l) => l.startsWith('error:'));
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(message);
  expect(r.written).toEqual([]);
}

// Runs where this run has a MySQL/MariaDB server (as every dialect-looping test does).
describe.each(testDialects().filter((d) => d.name === 'mysql'))('on $name', (dialect) => {
test('MySQL/MariaDB refuses a partial index and an index on an expression, naming them', async () => {
  const db = await freshDatabase(dialect);
  try {
    const partial = await migrate({ 'models/m.ts': model("{ indexes: [{ columns: ['email'], where: 'qty > 0', name: 'item_live' }] }") }, db.url);
    expectRefused(partial, /table 'item' index 'item_live': MySQL\/MariaDB cannot do a partial index \('where'\): MySQL and MariaDB have no partial indexes/);
    const expression = await migrate({ 'models/m.ts': model("{ indexes: [{ on: 'lower(email)' }] }") }, db.url);
    expectRefused(expression, /index 'item_lower_email_index': MySQL\/MariaDB cannot do an expression key/);
  } finally {
    await db.cleanup();
  }
});
});

test('SQLite refuses a PostgreSQL index method and INCLUDE columns', async () => {
  expectRefused(await migrate({ 'models/m.ts': model("{ indexes: [{ columns: ['email'], method: 'gin' }] }") }), /index 'item_email_index': SQLite cannot do an index method/);
  expectRefused(await migrate({ 'models/m.ts': model("{ indexes: [{ columns: ['email'], include: ['qty'] }] }") }), /SQLite cannot do INCLUDE columns/);
});

test.each([
  ["{ indexes: [{ columns: ['email'], on: 'lower(email)' }] }", undefined, /give exactly one of 'columns' and 'on'/],
  ["{ indexes: [{ columns: ['email', 'qty'], order: ['desc'] }] }", undefined, /order must list 'asc' or 'desc' for each of its 2 key/],
  ["{ indexes: [{ columns: ['email'], method: 'rtree' }] }", undefined, /unknown method 'rtree'/],
  ["{ checks: [{ expression: 'qty > ?' }] }", undefined, /contains '\?', which Knex on PostgreSQL reads as a parameter/],
  ["{ checks: [{ expression: '' }] }", undefined, /needs a SQL expression/],
  ['{}', "email: String(100).check('email <> 1; drop table item'),", /contains ';'/],
  ['{ comment: 5 as unknown as string }', undefined, /comment 5 is not a string/],
])('a model mistake is refused: %s %s', async (options, column, message) => {
  expectRefused(await migrate({ 'models/m.ts': model(options, column) }), message);
});
