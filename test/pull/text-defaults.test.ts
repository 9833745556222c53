/**
 * TEXT, BLOB and JSON defaults. MariaDB stores them (`notes TEXT NOT NULL DEFAULT ''`,
 * `settings JSON DEFAULT '{}'`), MySQL 8.0.13+ as a parenthesised expression (`DEFAULT ('')`);
 * knex leaves them out on MySQL, and kiln's MySQL projection dropped them from the models. So
 * right after `db pull` of such a database `db check` reported drift (the pulled model said the
 * default, the projection did not) and `db migrate` offered to remove it, and a model saying
 * `Text().default('x')` got no default there. Now the default is kept and written as
 * `DEFAULT (...)`, which both servers take and MariaDB reads back as the literal.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Knex } from 'knex';
import { introspect } from '../../src/introspect';
import type { DialectName } from '../../src/dialect/types';
import type { Column } from '../../src/schema/types';
import { expectInitdb, expectNoDrift, withAdoption } from '../helpers/adoption';
import { kiln, makeProject, rmProject } from '../helpers/cli';
import { freshDatabase } from '../helpers/databases';
import { testDialects } from '../helpers/dialects';

jest.setTimeout(240000);

const CONFIG = { 'kiln.config.ts': "export default { models: 'models', migrations: 'migrations' };\n" };

const HAND_WRITTEN = [
  `CREATE TABLE doc (
     id INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
     notes TEXT NOT NULL DEFAULT '',
     quoted TEXT DEFAULT 'it''s',
     slash MEDIUMTEXT DEFAULT 'back\\\\slash',
     parens TEXT DEFAULT ('in (parens)'),
     data BLOB DEFAULT 'x',
     settings JSON DEFAULT '{}',
     meta JSON NOT NULL DEFAULT ('{"a": [1, "b"]}'),
     joined LONGTEXT DEFAULT (concat('a', 'b')))`,
];

type Read = Record<string, Record<string, Pick<Column, 'type' | 'nullable' | 'default'>>>;

/** Every column's type, nullability and default, from kiln's reading of the database. */
async function defaults(knex: Knex, dialect: DialectName): Promise<Read> {
  const s = await introspect(knex, dialect);
  return Object.fromEntries(s.tables.map((t) => [t.name, Object.fromEntries(t.columns.map((c) => [c.name, { type: c.type, nullable: c.nullable, default: c.default }]))]));
}

const EXPECTED_ROW = { notes: '', quoted: "it's", slash: 'back\\slash', parens: 'in (parens)', data: 'x', settings: '{}', meta: '{"a": [1, "b"]}', joined: 'ab' };

/** The row an INSERT without those columns made, as text. */
async function defaultedRow(knex: Knex): Promise<Record<string, string>> {
  await knex('doc').insert({});
  const [rows] = await knex.raw('SELECT notes, quoted, slash, parens, CAST(data AS CHAR) AS data, CAST(settings AS CHAR) AS settings, CAST(meta AS CHAR) AS meta, joined FROM doc');
  return { ...rows[0] };
}

describe.each(testDialects().filter((d) => d.name === 'mysql'))('hand-written TEXT/BLOB/JSON defaults on $name', (dialect) => {
  test('pull says them, check is clean, migrate writes nothing, a database made from the models has them', () =>
    withAdoption(dialect, 2, {}, async ({ dir, dbs: [db, second] }) => {
      const knex = db.connect();
      for (const sql of HAND_WRITTEN) await knex.raw(sql);
      const pulled = await kiln(['db', 'pull'], { cwd: dir, env: { DATABASE_URL: db.url } });
      expect(pulled.stderr).toBe('');
      expect(pulled.code).toBe(0);
      const model = fs.readFileSync(path.join(dir, 'models', 'doc.ts'), 'utf8');
      expect(model).toContain("notes: Text().notNull().default(''),");
      expect(model).toContain("quoted: Text().default('it\\'s'),");
      expect(model).toContain("settings: JSON().default('{}'),");

      await expectNoDrift(dir, db.url);

      await expectInitdb(dir, second.url);
      const copy = second.connect();
      const read = await defaults(copy, 'mysql');
      expect(read).toEqual(await defaults(knex, 'mysql'));
      expect(read.doc.quoted.default).toEqual({ kind: 'literal', value: "it's" });
      expect(read.doc.joined.default).toEqual({ kind: 'expression', sql: "concat('a', 'b')" });
      expect(await defaultedRow(copy)).toEqual(EXPECTED_ROW);
      expect(await defaultedRow(knex)).toEqual(EXPECTED_ROW);
      expect((await kiln(['db', 'check'], { cwd: dir, env: { DATABASE_URL: second.url } })).code).toBe(0);
    }));
});

const docModel = (v: 1 | 2) => `import { model, Integer, Text, JSON, String } from 'kiln';
export const Doc = model('Doc', {
  id: Integer().primaryKey(),
  body: Text().notNull()${v === 1 ? ".default('x')" : ".default('it\\'s \\\\ (y)')"},
  settings: JSON()${v === 1 ? ".default('{\"a\": 1}')" : ''},
  plain: Text()${v === 1 ? '' : ".default('')"},
  kind: ${v === 1 ? 'String(20)' : 'Text()'}.notNull().default('k'),${v === 2 ? "\n  added: Text().notNull().default('new'),\n" : ''}
});
`;

describe.each(testDialects().map((d) => [d.name, d] as const))('Text()/JSON() defaults on %s', (name, dialect) => {
  test('migrate, upgrade, check clean; changed and removed defaults migrate and downgrade back', () =>
    withAdoption(dialect, 1, { 'models/doc.ts': docModel(1) }, async ({ dir, dbs: [db] }) => {
      const env = { DATABASE_URL: db.url };
      const first = await kiln(['db', 'migrate', '-m', 'init'], { cwd: dir, env });
      expect(first.stderr).toBe('');
      expect(first.code).toBe(0);
      expect((await kiln(['db', 'upgrade'], { cwd: dir, env })).code).toBe(0);
      const check = await kiln(['db', 'check'], { cwd: dir, env });
      expect(check.stdout).toContain('No new upgrade operations detected');
      const knex = db.connect();
      const before = await defaults(knex, name);
      expect(before.doc.body.default).toEqual({ kind: 'literal', value: 'x' });
      expect(before.doc.settings.default).toEqual({ kind: 'literal', value: '{"a": 1}' });
      await knex('doc').insert({ id: 1 });
      const row = await knex('doc').where('id', 1).first();
      expect([row.body, typeof row.settings === 'string' ? globalThis.JSON.parse(row.settings) : row.settings]).toEqual(['x', { a: 1 }]);

      fs.writeFileSync(path.join(dir, 'models', 'doc.ts'), docModel(2));
      const second = await kiln(['db', 'migrate', '-m', 'change'], { cwd: dir, env });
      // MySQL warns that String -> Text copies the table.
      expect(second.stderr).toBe(name === 'mysql' ? "warning: changing the type of 'doc.kind' copies the table (ALGORITHM=COPY): writes to 'doc' wait until the copy ends\n" : '');
      expect(second.code).toBe(0);
      expect((await kiln(['db', 'upgrade'], { cwd: dir, env })).code).toBe(0);
      expect((await kiln(['db', 'check'], { cwd: dir, env })).stdout).toContain('No new upgrade operations detected');
      const after = await defaults(knex, name);
      expect(after.doc.body.default).toEqual({ kind: 'literal', value: "it's \\ (y)" });
      expect(after.doc.settings.default).toBeNull();
      expect(after.doc.plain.default).toEqual({ kind: 'literal', value: '' });
      expect(after.doc.kind).toEqual({ type: 'text', nullable: false, default: { kind: 'literal', value: 'k' } });
      expect(after.doc.added.default).toEqual({ kind: 'literal', value: 'new' });
      expect(await knex('doc').where('id', 1).first()).toMatchObject({ added: 'new' });
      await knex('doc').insert({ id: 2 });
      expect(await knex('doc').where('id', 2).first()).toMatchObject({ body: "it's \\ (y)", settings: null, plain: '', kind: 'k', added: 'new' });
      await knex('doc').where('id', 2).delete();

      expect((await kiln(['db', 'downgrade'], { cwd: dir, env })).code).toBe(0);
      expect(await defaults(knex, name)).toEqual(before);
      expect((await kiln(['db', 'check'], { cwd: dir, env })).code).not.toBe(0);
    }));
});

describe.each(testDialects().filter((d) => d.name === 'mysql'))('a TEXT default kiln could not write before, on $name', (dialect) => {
  test('the migration adding it is one plain ALTER, undone by downgrade', async () => {
    const db = await freshDatabase(dialect);
    const model = "import { model, Integer, Text } from 'kiln';\nexport const Note = model('Note', { id: Integer().primaryKey(), body: Text().notNull().default('x') });\n";
    const dir = makeProject({ ...CONFIG, 'models/note.ts': model });
    fs.mkdirSync(path.join(dir, 'migrations'));
    const env = { DATABASE_URL: db.url };
    try {
      // What kiln wrote for this model before: knex left the default out.
      const knex = db.connect();
      await knex.schema.createTable('note', (t) => {
        t.increments('id');
        t.text('body').notNullable();
      });
      await knex('note').insert({ body: 'kept' });
      const migrate = await kiln(['db', 'migrate', '-m', 'text default'], { cwd: dir, env });
      expect(migrate.code).toBe(0);
      const [file] = fs.readdirSync(path.join(dir, 'migrations'));
      const src = fs.readFileSync(path.join(dir, 'migrations', file), 'utf8');
      expect(src).toContain("t.specificType('body', 'text').notNullable().defaultTo(knex.raw('(?)', ['x'])).alter({ alterNullable: false });");
      expect(src).toContain("t.text('body').notNullable().alter({ alterNullable: false });");
      expect(src).not.toMatch(/dropColumn|createTable|dropTable/);

      expect((await kiln(['db', 'upgrade'], { cwd: dir, env })).code).toBe(0);
      expect((await kiln(['db', 'check'], { cwd: dir, env })).code).toBe(0);
      expect((await defaults(knex, 'mysql')).note.body.default).toEqual({ kind: 'literal', value: 'x' });
      expect((await kiln(['db', 'downgrade'], { cwd: dir, env })).code).toBe(0);
      expect((await defaults(knex, 'mysql')).note.body.default).toBeNull();
      expect(await knex('note').select('body')).toEqual([{ body: 'kept' }]);
    } finally {
      await db.cleanup();
      rmProject(dir);
    }
  });
});
