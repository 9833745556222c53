/**
 * A schema created directly with SQL (not by kiln), holding a CHECK constraint of each kind,
 * indexes on an expression, partial, descending (PostgreSQL: hash method, INCLUDE), comments,
 * and an index kiln cannot model: `kiln db check` against models that declare them is clean
 * (the one kiln cannot model is left alone), and a later column change of that table (a
 * rebuild on SQLite) keeps every one of them, as does the down() of a migration that drops the table.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Knex } from 'knex';
import type { DialectName } from '../../src/dialect/types';
import { kiln, makeProject, rmProject, writeFile } from '../helpers/cli';
import { freshDatabase } from '../helpers/databases';
import { testDialects } from '../helpers/dialects';
import { liveSchema } from '../helpers/snapshot';

const SQL: Record<DialectName, string[]> = {
  sqlite: [
    `CREATE TABLE item (id INTEGER PRIMARY KEY AUTOINCREMENT, name varchar(50) NOT NULL CHECK (length(name) > 0), qty integer NOT NULL DEFAULT 0,
      email varchar(100), deleted_at datetime, CONSTRAINT item_qty_range CHECK (qty BETWEEN 0 AND 1000))`,
    'CREATE INDEX item_lower_email ON item (lower(email))',
    'CREATE UNIQUE INDEX item_live_email ON item (email) WHERE deleted_at IS NULL',
    'CREATE INDEX item_qty_desc ON item (qty DESC)',
    'CREATE INDEX item_name_nocase ON item (name COLLATE NOCASE, qty DESC)',
  ],
  postgres: [
    `CREATE TABLE item (id serial PRIMARY KEY, name varchar(50) NOT NULL CHECK (length(name) > 0), qty integer NOT NULL DEFAULT 0,
      email varchar(100), deleted_at timestamptz, CONSTRAINT item_qty_range CHECK (qty BETWEEN 0 AND 1000))`,
    "COMMENT ON TABLE item IS 'things we keep'",
    "COMMENT ON COLUMN item.name IS 'what it''s called'",
    'CREATE INDEX item_lower_email ON item (lower(email))',
    'CREATE UNIQUE INDEX item_live_email ON item (email) WHERE deleted_at IS NULL',
    'CREATE INDEX item_qty_desc ON item (qty DESC)',
    'CREATE INDEX item_name_hash ON item USING hash (name)',
    'CREATE INDEX item_email_qty ON item (email) INCLUDE (qty)',
    'CREATE INDEX item_name_nocase ON item (name text_pattern_ops)',
  ],
  mysql: [
    `CREATE TABLE item (id int unsigned NOT NULL AUTO_INCREMENT PRIMARY KEY, name varchar(50) NOT NULL COMMENT 'what it''s called',
      qty int NOT NULL DEFAULT 0, email varchar(100), deleted_at datetime,
      CONSTRAINT item_name_len CHECK (length(name) > 0), CONSTRAINT item_qty_range CHECK (qty BETWEEN 0 AND 1000)) COMMENT 'things we keep'`,
    'CREATE INDEX item_qty_desc ON item (qty DESC)',
  ],
};

function models(dialect: DialectName, email = 100): string {
  const indexes = [
    "{ columns: ['qty'], order: ['desc'], name: 'item_qty_desc' }",
    ...(dialect === 'mysql'
      ? []
      : ["{ on: 'lower(email)', name: 'item_lower_email' }", "{ columns: ['email'], unique: true, where: 'deleted_at is null', name: 'item_live_email' }"]),
    ...(dialect === 'postgres' ? ["{ columns: ['name'], method: 'hash', name: 'item_name_hash' }", "{ columns: ['email'], include: ['qty'], name: 'item_email_qty' }"] : []),
  ];
  return `import { model, Integer, String, DateTime } from 'kiln';
export const Item = model('Item', {
  id: Integer().primaryKey(),
  name: String(50).notNull().check('length(name) > 0').comment("what it's called"),
  qty: Integer().notNull().default(0),
  email: String(${email}),
  deleted_at: DateTime(),
}, {
  comment: 'things we keep',
  checks: [{ expression: 'qty between 0 and 1000', name: 'item_qty_range' }],
  indexes: [${indexes.join(', ')}],
});
`;
}

/** What must survive: each check refuses its row, and the index kiln cannot model is still there as written. */
async function expectKept(knex: Knex, dialect: DialectName, unmanagedSql: string | undefined): Promise<void> {
  await expect(knex('item').insert({ name: '', qty: 1 })).rejects.toThrow();
  await expect(knex('item').insert({ name: 'x', qty: 5000 })).rejects.toThrow();
  const table = (await liveSchema(knex, dialect)).tables.find((t) => t.name === 'item')!;
  expect(table.unmanaged?.find((u) => u.name === 'item_name_nocase')?.sql).toBe(unmanagedSql);
}

describe.each(testDialects().map((d) => [d.name, d] as const))('a schema written in SQL on %s', (dialectName, dialect) => {
  test('db check is clean against models that declare its checks, indexes and comments; a column change keeps them', async () => {
    const db = await freshDatabase(dialect);
    const dir = makeProject({ 'models/item.ts': models(dialectName) });
    try {
      fs.mkdirSync(path.join(dir, 'migrations'));
      const env = { DATABASE_URL: db.url };
      const knex = db.connect();
      for (const sql of SQL[dialectName]) await knex.raw(sql);
      await knex('item').insert([
        { name: 'cup', qty: 3, email: 'a@x' },
        { name: 'pot', qty: 1, email: 'b@x', deleted_at: null },
      ]);
      const before = (await liveSchema(knex, dialectName)).tables.find((t) => t.name === 'item')!;
      const unmanagedSql = before.unmanaged?.find((u) => u.name === 'item_name_nocase')?.sql;
      if (dialectName !== 'mysql') expect(unmanagedSql).toMatch(/item_name_nocase/);

      const checked = await kiln(['db', 'check'], { cwd: dir, env });
      expect(checked.stdout + checked.stderr).not.toMatch(/Detected|error/);
      expect(checked.code).toBe(0);
      // Shown as unmanaged, not as drift.
      if (dialectName !== 'mysql') expect(checked.stdout).toContain("Unmanaged index 'item_name_nocase' on 'item': kiln's models cannot say it; kept as it is");

      writeFile(dir, 'models/item.ts', models(dialectName, 120));
      const migrated = await kiln(['db', 'migrate', '-m', 'wider email'], { cwd: dir, env });
      expect(migrated.code).toBe(0);
      expect(migrated.stdout).toMatch(/Detected changed column 'item.email'/);
      // No index or check op detected (db migrate's lint findings may name the rebuilt table's indexes).
      const detected = migrated.stdout.split('\n').filter((l) => l.startsWith('Detected'));
      expect(detected).toEqual([expect.stringMatching(/^Detected changed column 'item.email'/)]);
      expect((await kiln(['db', 'upgrade'], { cwd: dir, env })).code).toBe(0);
      expect((await kiln(['db', 'check'], { cwd: dir, env })).code).toBe(0);
      await expectKept(knex, dialectName, unmanagedSql);
      expect(await knex('item').orderBy('id').pluck('name')).toEqual(['cup', 'pot']);

      // A migration that drops the table: its down() re-creates everything, the unmanaged index too.
      writeFile(dir, 'models/item.ts', "import { model, Integer } from 'kiln';\nexport const Other = model('Other', { id: Integer().primaryKey() });\n");
      // The table was made by SQL, not by a migration: the drop guard wants it named.
      expect((await kiln(['db', 'migrate', '-m', 'drop item'], { cwd: dir, env })).code).toBe(1);
      expect((await kiln(['db', 'migrate', '-m', 'drop item', '--allow-drop', 'item'], { cwd: dir, env })).code).toBe(0);
      expect((await kiln(['db', 'upgrade'], { cwd: dir, env })).code).toBe(0);
      const down = await kiln(['db', 'downgrade'], { cwd: dir, env });
      expect(down.stderr).toBe('');
      await expectKept(knex, dialectName, unmanagedSql);
    } finally {
      await db.cleanup();
      rmProject(dir);
    }
  });
});
