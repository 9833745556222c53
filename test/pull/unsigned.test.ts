/**
 * Signedness (`.unsigned()` / `.unsigned(false)`). MySQL/MariaDB schemas written by hand use
 * signed `INT AUTO_INCREMENT` keys and `INT UNSIGNED` counters; kiln's model language could not
 * say either (Knex's `increments` is `int unsigned`, and kiln made every lone auto-increment key
 * unsigned), so right after `db pull` `db check` reported `integer -> integer unsigned` drift on
 * every such key and `integer unsigned -> integer` on every such counter, and the migration it
 * offered would have changed them. Now a pulled database checks clean, a database made from the
 * pulled models has the same signedness, and models can say either on every dialect
 * (PostgreSQL and SQLite have no unsigned integers: there it says nothing).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { introspect } from '../../src/introspect';
import { expectInitdb, expectNoDrift, withAdoption } from '../helpers/adoption';
import { kiln, makeProject, rmProject } from '../helpers/cli';
import { freshDatabase } from '../helpers/databases';
import { testDialects } from '../helpers/dialects';

jest.setTimeout(180000);

const CONFIG = { 'kiln.config.ts': "export default { models: 'models', migrations: 'migrations' };\n" };

const HAND_WRITTEN = [
  // A signed auto-increment key, and a signed foreign key to it (InnoDB needs the same sign).
  'CREATE TABLE signed_parent (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, name VARCHAR(20))',
  `CREATE TABLE signed_child (
     id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
     parent_id INT NOT NULL,
     qty INT UNSIGNED NOT NULL DEFAULT 0,
     small SMALLINT UNSIGNED,
     filled INT(5) ZEROFILL,
     big BIGINT UNSIGNED,
     minus BIGINT,
     CONSTRAINT signed_child_parent_id_foreign FOREIGN KEY (parent_id) REFERENCES signed_parent (id))`,
  // Knex's own style: nothing to say.
  `CREATE TABLE knex_style (
     id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
     parent_id INT UNSIGNED,
     child_id BIGINT UNSIGNED,
     CONSTRAINT knex_style_parent_id_foreign FOREIGN KEY (parent_id) REFERENCES knex_style (id),
     CONSTRAINT knex_style_child_id_foreign FOREIGN KEY (child_id) REFERENCES signed_child (id))`,
];

type Shape = Record<string, Record<string, string>>;

/** Every column's type, sign and auto-increment, from kiln's reading of the database. */
async function shape(knex: import('knex').Knex): Promise<Shape> {
  const s = await introspect(knex, 'mysql');
  return Object.fromEntries(
    s.tables.map((t) => [t.name, Object.fromEntries(t.columns.map((c) => [c.name, `${c.type}${c.unsigned ? ' unsigned' : ''}${c.autoIncrement ? ' auto' : ''}`]))]),
  );
}

describe.each(testDialects().filter((d) => d.name === 'mysql'))('hand-written signedness on $name', (dialect) => {
  test('pull says it, check is clean, a database made from the models has the same columns', () =>
    withAdoption(dialect, 2, {}, async ({ dir, dbs: [db, second] }) => {
      const knex = db.connect();
      for (const sql of HAND_WRITTEN) await knex.raw(sql);
      const pulled = await kiln(['db', 'pull'], { cwd: dir, env: { DATABASE_URL: db.url } });
      // ZEROFILL is a display option kiln keeps as the database's (unmanaged), and says so.
      expect(pulled.stderr).toBe("warning: table 'signed_child': column option filled ZEROFILL is not managed by kiln (kept as it is)\n");
      expect(pulled.code).toBe(0);
      const read = (f: string) => fs.readFileSync(path.join(dir, 'models', f), 'utf8');
      expect(read('signed-parent.ts')).toContain('id: Integer().primaryKey().unsigned(false),');
      const child = read('signed-child.ts');
      expect(child).toContain('id: BigInteger().primaryKey(),');
      expect(child).toContain("parent_id: Integer().notNull().references('signed_parent.id'),");
      expect(child).toContain('qty: Integer().unsigned().notNull().default(0),');
      expect(child).toContain('small: SmallInteger().unsigned(),');
      expect(child).toContain('filled: Integer().unsigned(),');
      expect(child).toContain('big: BigInteger().unsigned(),');
      expect(child).toContain('minus: BigInteger(),');
      expect(read('knex-style.ts')).not.toContain('unsigned');

      await expectNoDrift(dir, db.url);

      // The models make the same columns on an empty database (the signed key included).
      await expectInitdb(dir, second.url);
      const copy = second.connect();
      expect(await shape(copy)).toEqual(await shape(knex));
      expect((await shape(copy)).signed_parent.id).toBe('integer auto');
      const [rows] = await copy.raw("SELECT COLUMN_TYPE AS t, EXTRA AS e, COLUMN_KEY AS k FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'signed_parent' AND COLUMN_NAME = 'id'");
      expect(rows[0].t).toMatch(/^int(\(11\))?$/);
      expect(rows[0].e).toMatch(/auto_increment/);
      expect(rows[0].k).toBe('PRI');
    }));

  test('a signed key becoming unsigned is altered in place, and back on downgrade', () =>
    withAdoption(dialect, 1, { 'models/counter.ts': counterModel('.unsigned(false)') }, async ({ dir, dbs: [db] }) => {
      const env = { DATABASE_URL: db.url };
      expect((await kiln(['db', 'migrate', '-m', 'signed'], { cwd: dir, env })).code).toBe(0);
      const first = fs.readdirSync(path.join(dir, 'migrations'))[0];
      expect(fs.readFileSync(path.join(dir, 'migrations', first), 'utf8')).toContain("t.specificType('id', 'INT NOT NULL AUTO_INCREMENT PRIMARY KEY')");
      expect((await kiln(['db', 'upgrade'], { cwd: dir, env })).code).toBe(0);
      const knex = db.connect();
      await knex('counter').insert({ hits: 4000000000 });
      expect((await shape(knex)).counter).toEqual({ id: 'integer auto', hits: 'bigint unsigned' });

      fs.writeFileSync(path.join(dir, 'models', 'counter.ts'), counterModel(''));
      const unsigned = await kiln(['db', 'migrate', '-m', 'unsigned'], { cwd: dir, env });
      expect(unsigned.code).toBe(0);
      expect((await kiln(['db', 'upgrade'], { cwd: dir, env })).code).toBe(0);
      expect((await shape(knex)).counter).toEqual({ id: 'integer unsigned auto', hits: 'bigint unsigned' });
      expect((await kiln(['db', 'check'], { cwd: dir, env })).code).toBe(0);

      expect((await kiln(['db', 'downgrade'], { cwd: dir, env })).code).toBe(0);
      expect((await shape(knex)).counter).toEqual({ id: 'integer auto', hits: 'bigint unsigned' });
      expect(await knex('counter').select('id', 'hits')).toEqual([{ id: 1, hits: 4000000000 }]);
    }));
});

const counterModel = (sign: string) => `import { model, Integer, BigInteger } from 'kiln';
export const Counter = model('Counter', { id: Integer().primaryKey()${sign}, hits: BigInteger().unsigned() });
`;

describe.each(testDialects().map((d) => [d.name, d] as const))('unsigned() on %s', (name, dialect) => {
  test('models that say it migrate, upgrade and check clean (it says nothing without unsigned integers)', async () => {
    const db = await freshDatabase(dialect);
    const dir = makeProject({
      ...CONFIG,
      'models/m.ts': `import { model, Integer, BigInteger, SmallInteger } from 'kiln';
export const Parent = model('Parent', { id: Integer().primaryKey().unsigned(false), small: SmallInteger().unsigned() });
export const Child = model('Child', {
  id: BigInteger().primaryKey(),
  parent_id: Integer().notNull().references('parent.id'),
  count: Integer().unsigned().default(3),
});
`,
    });
    fs.mkdirSync(path.join(dir, 'migrations'));
    const env = { DATABASE_URL: db.url };
    try {
      const migrate = await kiln(['db', 'migrate', '-m', 'init'], { cwd: dir, env });
      expect(migrate.stderr).toBe('');
      expect((await kiln(['db', 'upgrade'], { cwd: dir, env })).code).toBe(0);
      const check = await kiln(['db', 'check'], { cwd: dir, env });
      expect(check.stdout).toContain('No new upgrade operations detected');
      const s = await introspect(db.connect(), dialect.name);
      const col = (t: string, c: string) => s.tables.find((x) => x.name === t)!.columns.find((x) => x.name === c)!;
      const mysql = name === 'mysql';
      expect([col('parent', 'id').unsigned, col('parent', 'small').unsigned, col('child', 'id').unsigned, col('child', 'parent_id').unsigned, col('child', 'count').unsigned]).toEqual(
        mysql ? [false, true, true, false, true] : [false, false, false, false, false],
      );
      expect(col('parent', 'id').autoIncrement).toBe(true);
    } finally {
      await db.cleanup();
      rmProject(dir);
    }
  });

  test('unsigned() on a type without a sign, or not a boolean, is refused', async () => {
    const dir = makeProject({
      ...CONFIG,
      'models/m.ts': `import { model, Integer, String } from 'kiln';
export const Item = model('Item', { id: Integer().primaryKey(), name: String(20).unsigned() });
`,
    });
    fs.mkdirSync(path.join(dir, 'migrations'));
    const db = await freshDatabase(dialect);
    try {
      const r = await kiln(['db', 'check'], { cwd: dir, env: { DATABASE_URL: db.url } });
      expect(r.code).not.toBe(0);
      expect(r.stderr).toMatch(/^error: model 'Item' field 'name': unsigned\(\) applies to Integer, SmallInteger, BigInteger, TinyInteger and MediumInteger columns, not string$/m);
      fs.writeFileSync(path.join(dir, 'models', 'm.ts'), "import { model, Integer } from 'kiln';\nexport const Item = model('Item', { id: Integer().primaryKey().unsigned('yes' as never) });\n");
      const r2 = await kiln(['db', 'check'], { cwd: dir, env: { DATABASE_URL: db.url } });
      expect(r2.stderr).toMatch(/unsigned\(\) takes true or false, not 'yes'/);
    } finally {
      await db.cleanup();
      rmProject(dir);
    }
  });
});
