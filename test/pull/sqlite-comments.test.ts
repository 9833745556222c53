/**
 * SQLite keeps a CREATE statement's text as written, comments included, and kiln reads CHECKs,
 * COLLATEs, generated columns and special indexes from that text. An apostrophe in a comment
 * (`-- it's the key`) used to open a "string" that swallowed the rest of the statement: the
 * pull wrote plain columns, `db check` agreed (the same reading on both sides), and a database
 * made from the models lost them. Hand-written SQL with comments everywhere, read by
 * introspection and by `kiln db pull` -> `db check` -> `initdb` on a fresh database.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import knexFactory from 'knex';
import { introspectSqlite } from '../../src/dialect/sqlite/introspect';
import { withoutComments } from '../../src/dialect/sqlite/introspect-table-extras';
import { kiln, makeProject, rmProject } from '../helpers/cli';

jest.setTimeout(120000);

const SQL = [
  `CREATE TABLE item (
    id INTEGER PRIMARY KEY, -- it's the key
    /* a block comment with a quote: ' and a "double" one */
    qty INTEGER CHECK (qty > 0), -- don't go negative
    name TEXT COLLATE NOCASE DEFAULT 'a--b /* not a comment */',
    total INTEGER GENERATED ALWAYS AS (qty * 2) STORED, /* it's computed */
    CONSTRAINT item_name_check CHECK (length(name) < 50 /* 'short' */)
  )`,
  `CREATE INDEX item_lower_name ON item (lower(name)) -- it's an expression
   WHERE qty > 1`,
];

describe('SQLite statements with comments', () => {
  test('withoutComments: comments become a space, quoted text stays', () => {
    expect(withoutComments("a -- it's\nb")).toBe('a  \nb');
    expect(withoutComments("x /* it's */ y")).toBe('x   y');
    expect(withoutComments("'--' \"/*\" `--` [/*] -- tail")).toBe("'--' \"/*\" `--` [/*]  ");
    expect(withoutComments('a /* never closed')).toBe('a  ');
    expect(withoutComments('no comment at all')).toBe('no comment at all');
  });

  test('introspection reads through the comments; pull -> check clean -> a fresh database keeps the checks, collation, generated column and index', async () => {
    const dir = makeProject({ 'kiln.config.ts': "export default { database: 'sqlite:///data.db', models: 'models', migrations: 'migrations' };\n" });
    fs.mkdirSync(path.join(dir, 'migrations'));
    const knex = knexFactory({ client: 'sqlite3', connection: { filename: path.join(dir, 'data.db') }, useNullAsDefault: true });
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-comments-'));
    const fresh = knexFactory({ client: 'sqlite3', connection: { filename: path.join(tmp, 'fresh.db') }, useNullAsDefault: true });
    try {
      for (const s of SQL) await knex.raw(s);
      const schema = await introspectSqlite(knex);
      const item = schema.tables.find((t) => t.name === 'item')!;
      const col = (n: string) => item.columns.find((c) => c.name === n)!;
      expect(col('name').collation).toBe('NOCASE');
      expect(col('name').default).toEqual({ kind: 'literal', value: 'a--b /* not a comment */' });
      expect(col('total').generated).toEqual({ expression: 'qty * 2', stored: true });
      expect(item.checks?.map((c) => c.name).sort()).toEqual(['item_1_check', 'item_name_check']);
      expect(item.indexes.find((i) => i.name === 'item_lower_name')).toMatchObject({ where: 'qty > 1' });

      const pulled = await kiln(['db', 'pull'], { cwd: dir });
      expect(pulled.code).toBe(0);
      const model = fs.readFileSync(path.join(dir, 'models', 'item.ts'), 'utf8');
      expect(model).toContain(".collate('NOCASE')");
      expect(model).toContain(".computed('qty * 2')");
      expect(model).toContain('item_name_check');
      const check = await kiln(['db', 'check'], { cwd: dir });
      expect(check.stdout).toContain('No new upgrade operations detected');
      expect(check.code).toBe(0);

      // The models make the same table on a database of their own.
      const made = await kiln(['initdb'], { cwd: dir, env: { DATABASE_URL: `sqlite:///${path.join(tmp, 'fresh.db')}` } });
      expect(made.code).toBe(0);
      const again = (await introspectSqlite(fresh)).tables.find((t) => t.name === 'item')!;
      expect(again.columns.find((c) => c.name === 'total')!.generated).toEqual({ expression: 'qty * 2', stored: true });
      expect(again.columns.find((c) => c.name === 'name')!.collation).toBe('NOCASE');
      expect(again.checks?.map((c) => c.name).sort()).toEqual(['item_1_check', 'item_name_check']);
      expect(again.indexes.find((i) => i.name === 'item_lower_name')).toMatchObject({ where: 'qty > 1' });
    } finally {
      await knex.destroy();
      await fresh.destroy();
      fs.rmSync(tmp, { recursive: true, force: true });
      rmProject(dir);
    }
  });
});
