/**
 * Constraint and index names are unique per table in kiln's models; each database's wider
 * namespaces are its own projection's (src/dialect/<name>/names.ts). A schema written by hand
 * that repeats names the database keeps per table (MariaDB: `KEY idx_created` and an unnamed
 * `UNIQUE (email)`, named `email`, and column CHECKs named after the column on two tables;
 * PostgreSQL and SQLite: the same FOREIGN KEY and CHECK names on two tables; SQLite: the same
 * UNIQUE constraint name inside two CREATE TABLEs, read once under kiln's name) pulls, checks
 * clean and migrates nothing; a model repeating a name the database keeps across tables
 * (SQLite/PostgreSQL: an index; MySQL/MariaDB: a foreign key) is refused by `db check` and
 * `db migrate` with one error line, and nothing is written.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { kiln, makeProject, rmProject, writeFile } from '../helpers/cli';
import { freshDatabase } from '../helpers/databases';
import { testDialects } from '../helpers/dialects';
import type { DialectName } from '../../src/dialect/types';

jest.setTimeout(180000);

const CONFIG = "export default { models: 'models', migrations: 'migrations' };\n";

/** Two tables repeating the names the database keeps per table. */
const HAND_WRITTEN: Record<DialectName, string[]> = {
  mysql: [
    'CREATE TABLE parent (id INT PRIMARY KEY)',
    ...['a', 'b'].map(
      (t) =>
        `CREATE TABLE ${t} (id INT PRIMARY KEY, email VARCHAR(50), created_at DATETIME, qty INT CHECK (qty >= 0), parent_id INT, ` +
        `UNIQUE (email), KEY idx_created (created_at), CONSTRAINT positive CHECK (id > 0), ` +
        `CONSTRAINT fk_${t}_parent FOREIGN KEY (parent_id) REFERENCES parent (id))`,
    ),
  ],
  postgres: [
    'CREATE TABLE parent (id INT PRIMARY KEY)',
    ...['a', 'b'].map(
      (t) =>
        `CREATE TABLE ${t} (id INT PRIMARY KEY, qty INT, parent_id INT, CONSTRAINT positive CHECK (qty >= 0), ` +
        'CONSTRAINT fk_parent FOREIGN KEY (parent_id) REFERENCES parent (id))',
    ),
  ],
  sqlite: [
    'CREATE TABLE parent (id INTEGER PRIMARY KEY)',
    ...['a', 'b'].map(
      (t) =>
        `CREATE TABLE ${t} (id INTEGER PRIMARY KEY, qty INTEGER, parent_id INTEGER, email TEXT, CONSTRAINT positive CHECK (qty >= 0), ` +
        'CONSTRAINT fk_parent FOREIGN KEY (parent_id) REFERENCES parent (id), CONSTRAINT uq UNIQUE (email))',
    ),
  ],
};

const HEAD = "import { model, Integer, ForeignKey } from 'kiln';\n";

/** Models repeating a name the database keeps across tables, and the one error line each gives. */
const COLLIDING: Record<DialectName, { models: string; error: string }> = {
  sqlite: {
    models: "export const A = model('A', { id: Integer().primaryKey(), x: Integer().index('same') });\nexport const B = model('B', { id: Integer().primaryKey(), y: Integer().index('same') });\n",
    error: "error: table 'b' index (y): name 'same' is already used by table 'a' index (x), and SQLite keeps index and unique names unique in the database",
  },
  postgres: {
    models: "export const A = model('A', { id: Integer().primaryKey(), x: Integer().index('same') });\nexport const B = model('B', { id: Integer().primaryKey(), y: Integer().unique('same') });\n",
    error: "error: table 'b' unique (y): name 'same' is already used by table 'a' index (x), and PostgreSQL keeps index, unique and primary key names unique per schema",
  },
  mysql: {
    models:
      "export const P = model('P', { id: Integer().primaryKey() });\n" +
      "export const A = model('A', { id: Integer().primaryKey(), p: Integer().foreignKey(ForeignKey('p.id', { name: 'fk_p' })) });\n" +
      "export const B = model('B', { id: Integer().primaryKey(), p: Integer().foreignKey(ForeignKey('p.id', { name: 'fk_p' })) });\n",
    error: "error: table 'b' foreign key (p): name 'fk_p' is already used by table 'a' foreign key (p), and InnoDB keeps foreign key names unique in the database",
  },
};
const HINT = "hint: rename one of them with an explicit name (the name argument of index()/unique(), or ForeignKey's `name`)\n";

describe.each(testDialects().map((d) => [d.name, d] as const))('names repeated across tables on %s', (name, dialect) => {
  test('a hand-written schema repeating per-table names: pull, check clean, migrate writes nothing; the models make a second database', async () => {
    const db = await freshDatabase(dialect);
    const second = await freshDatabase(dialect);
    const dir = makeProject({ 'kiln.config.ts': CONFIG });
    fs.mkdirSync(path.join(dir, 'migrations'));
    const env = { DATABASE_URL: db.url };
    try {
      const knex = db.connect();
      for (const s of HAND_WRITTEN[name]) await knex.raw(s);
      const pulled = await kiln(['db', 'pull'], { cwd: dir, env });
      expect({ code: pulled.code, stderr: pulled.stderr }).toEqual({ code: 0, stderr: '' });
      const a = fs.readFileSync(path.join(dir, 'models', 'a.ts'), 'utf8');
      const b = fs.readFileSync(path.join(dir, 'models', 'b.ts'), 'utf8');
      for (const model of [a, b]) {
        expect(model).toContain("'positive'");
        if (name === 'mysql') {
          expect(model).toContain(".unique('email')");
          expect(model).toContain(".index('idx_created')");
          expect(model).toContain("name: 'qty' }");
        } else expect(model).toContain("name: 'fk_parent'");
      }
      if (name === 'sqlite') {
        // An inline UNIQUE's name lives only in CREATE TABLE; a model's unique is an index, named
        // once in the database: the second table's reads under kiln's convention name.
        expect(a).toContain(".unique('uq')");
        expect(b).toContain('email: Text().unique(),');
      }
      const check = await kiln(['db', 'check'], { cwd: dir, env });
      expect({ code: check.code, stdout: check.stdout, stderr: check.stderr }).toEqual({ code: 0, stdout: 'No new upgrade operations detected.\n', stderr: '' });
      const nothing = await kiln(['db', 'migrate', '-m', 'nothing'], { cwd: dir, env });
      expect({ code: nothing.code, stdout: nothing.stdout, stderr: nothing.stderr }).toEqual({ code: 0, stdout: 'No changes in schema detected.\n', stderr: '' });
      expect(fs.readdirSync(path.join(dir, 'migrations'))).toEqual([]);

      // The same models, migrated onto an empty database: the repeated names are created as they are.
      const other = { DATABASE_URL: second.url };
      expect((await kiln(['db', 'migrate', '-m', 'init'], { cwd: dir, env: other })).code).toBe(0);
      const up = await kiln(['db', 'upgrade'], { cwd: dir, env: other });
      expect({ code: up.code, stderr: up.stderr }).toEqual({ code: 0, stderr: '' });
      const again = await kiln(['db', 'check'], { cwd: dir, env: other });
      expect({ code: again.code, stdout: again.stdout }).toEqual({ code: 0, stdout: 'No new upgrade operations detected.\n' });
    } finally {
      await db.cleanup();
      await second.cleanup();
      rmProject(dir);
    }
  });

  test('models repeating a name the database keeps across tables: refused, nothing written', async () => {
    const db = await freshDatabase(dialect);
    const dir = makeProject({ 'kiln.config.ts': CONFIG });
    fs.mkdirSync(path.join(dir, 'migrations'));
    const env = { DATABASE_URL: db.url };
    try {
      writeFile(dir, 'models/m.ts', HEAD + COLLIDING[name].models);
      for (const args of [['db', 'check'], ['db', 'migrate', '-m', 'collide']]) {
        const r = await kiln(args, { cwd: dir, env });
        expect({ code: r.code, stdout: r.stdout, stderr: r.stderr }).toEqual({ code: 1, stdout: '', stderr: `${COLLIDING[name].error}\n${HINT}` });
      }
      expect(fs.readdirSync(path.join(dir, 'migrations'))).toEqual([]);
    } finally {
      await db.cleanup();
      rmProject(dir);
    }
  });
});
