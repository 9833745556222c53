/**
 * Issue 11 item 7: what the models cannot express is never damaged. A schema written by hand in
 * SQL holds, per dialect, things kiln's models do not say (a column collation, SQLite STRICT and
 * WITHOUT ROWID tables, a PostgreSQL exclusion constraint and a NULLS NOT DISTINCT unique, a
 * MySQL column collation). Models that declare the tables without them: `db check` is clean and
 * lists them as unmanaged; a generated migration that changes those tables (a rebuild on
 * SQLite, ALTER COLUMN TYPE on PostgreSQL, MODIFY on MySQL) keeps each one, and so do its
 * down() and the down() of a migration that drops the tables.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Knex } from 'knex';
import type { DialectName } from '../../src/dialect/types';
import { kiln, makeProject, rmProject, writeFile } from '../helpers/cli';
import { freshDatabase } from '../helpers/databases';
import { testDialects } from '../helpers/dialects';

interface Case {
  readonly sql: readonly string[];
  /** The models; `changed` makes person.age NOT NULL and person.email wider (and more per dialect). */
  readonly models: (changed: boolean) => string;
  /** What must hold, as text, compared before and after each step. */
  readonly kept: (knex: Knex) => Promise<string[]>;
  /** `db check` lines expected before any migration. */
  readonly unmanaged: readonly string[];
}

const personModel = (changed: boolean, extra = '') => `
export const Person = model('Person', {
  id: Integer().primaryKey(),
  email: String(${changed ? 120 : 100}),
  age: Integer()${changed ? '.notNull()' : ''}.check('age >= 0', 'person_age_check'),${extra}
});
`;

const sqliteSql = async (knex: Knex, table: string) =>
  ((await knex.raw('SELECT sql FROM sqlite_master WHERE type = ? AND name = ?', ['table', table])) as { sql: string }[])[0]?.sql ?? '';

const CASES: Record<DialectName, Case> = {
  sqlite: {
    sql: [
      'CREATE TABLE person (id integer primary key autoincrement, email varchar(100) COLLATE NOCASE, age integer, CONSTRAINT person_age_check CHECK (age >= 0))',
      "CREATE TABLE tag (id integer primary key autoincrement, name text NOT NULL, n integer, created text DEFAULT (datetime('now'))) STRICT",
      'CREATE TABLE kv (k text primary key, v integer) WITHOUT ROWID',
    ],
    models: (changed) => `import { model, Integer, String, Text } from 'kiln';
${personModel(changed)}
export const Tag = model('Tag', { id: Integer().primaryKey(), name: Text().notNull(), n: Integer()${changed ? '.notNull()' : ''}, created: Text().defaultRaw("datetime('now')") });
export const Kv = model('Kv', { k: Text().primaryKey(), v: Integer()${changed ? '.notNull()' : ''} });
`,
    kept: async (knex) => {
      const person = await sqliteSql(knex, 'person');
      const found = [
        /\bemail\b[^,]*COLLATE NOCASE/i.test(person) ? 'email NOCASE' : 'email lost its collation',
        /CHECK \(age >= 0\)/i.test(person) ? 'age check' : 'age check lost',
        /\)\s*STRICT\s*$/i.test(await sqliteSql(knex, 'tag')) ? 'tag STRICT' : 'tag not STRICT',
        /default \(datetime\('now'\)\)/i.test(await sqliteSql(knex, 'tag')) ? 'tag.created default' : 'tag.created lost its default',
        /\)\s*WITHOUT ROWID\s*$/i.test(await sqliteSql(knex, 'kv')) ? 'kv WITHOUT ROWID' : 'kv has a rowid',
      ];
      // The collation works: a case-blind match.
      const rows = (await knex.raw("SELECT count(*) AS n FROM person WHERE email = 'ANN@X'")) as { n: number }[];
      found.push(`case-blind matches ${rows[0].n}`);
      return found;
    },
    unmanaged: [
      "Unmanaged collation 'NOCASE' on 'person.email'",
      "Unmanaged table option 'STRICT' on 'tag'",
      "Unmanaged table option 'WITHOUT ROWID' on 'kv'",
    ],
  },
  postgres: {
    sql: [
      `CREATE TABLE person (id serial primary key, email varchar(100) COLLATE "C", age integer,
        CONSTRAINT person_age_check CHECK (age >= 0), CONSTRAINT person_email_nnd UNIQUE NULLS NOT DISTINCT (email))`,
      'CREATE TABLE booking (id serial primary key, during tsrange, CONSTRAINT booking_no_overlap EXCLUDE USING gist (during WITH &&))',
      `CREATE TABLE note (id serial primary key, person_id integer CONSTRAINT note_person_id_foreign REFERENCES person (id) DEFERRABLE INITIALLY DEFERRED,
        code varchar(10) CONSTRAINT note_code_unique UNIQUE DEFERRABLE)`,
    ],
    models: (changed) => `import { model, Integer, String, Custom } from 'kiln';
${personModel(changed)}
export const Booking = model('Booking', { id: Integer().primaryKey(), during: Custom('tsrange')${changed ? '.notNull()' : ''} });
export const Note = model('Note', { id: Integer().primaryKey(), person_id: Integer().references('person.id'), code: String(${changed ? 20 : 10}) });
`,
    kept: async (knex) => {
      const { rows: cols } = (await knex.raw(
        "SELECT column_name, collation_name FROM information_schema.columns WHERE table_name = 'person' AND collation_name IS NOT NULL ORDER BY column_name",
      )) as { rows: { column_name: string; collation_name: string }[] };
      const { rows: cons } = (await knex.raw(
        "SELECT conname, pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conrelid IN ('person'::regclass, 'booking'::regclass, 'note'::regclass) AND contype IN ('x', 'u', 'c', 'f') ORDER BY conname",
      )) as { rows: { conname: string; def: string }[] };
      return [...cols.map((c) => `${c.column_name} ${c.collation_name}`), ...cons.map((c) => `${c.conname}: ${c.def}`)];
    },
    unmanaged: [
      "Unmanaged collation 'C' on 'person.email'",
      "Unmanaged exclusion constraint 'booking_no_overlap' on 'booking'",
      "Unmanaged unique constraint 'person_email_nnd' on 'person'",
      "Unmanaged unique constraint 'note_code_unique' on 'note'",
      "Unmanaged foreign key option 'note_person_id_foreign DEFERRABLE INITIALLY DEFERRED' on 'note'",
    ],
  },
  mysql: {
    sql: [
      `CREATE TABLE person (id int unsigned NOT NULL AUTO_INCREMENT PRIMARY KEY, email varchar(100) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin,
        age int, CONSTRAINT person_age_check CHECK (age >= 0)) DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_general_ci`,
      `CREATE TABLE stamp (id int unsigned NOT NULL AUTO_INCREMENT PRIMARY KEY,
        updated_at timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP, secret varchar(20) INVISIBLE, n int)`,
    ],
    models: (changed) => `import { model, Integer, String, Custom } from 'kiln';
${personModel(changed)}
export const Stamp = model('Stamp', {
  id: Integer().primaryKey(),
  updated_at: Custom('timestamp').notNull().defaultRaw('CURRENT_TIMESTAMP'),
  secret: String(20),
  n: Integer()${changed ? '.notNull()' : ''},
});
`,
    kept: async (knex) => {
      const [cols] = (await knex.raw(
        "SELECT COLUMN_NAME AS c, COLLATION_NAME AS coll FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'person' AND COLLATION_NAME IS NOT NULL ORDER BY COLUMN_NAME",
      )) as [{ c: string; coll: string }[]];
      const [rows] = (await knex.raw("SELECT count(*) AS n FROM person WHERE email = 'ANN@X'")) as [{ n: number }[]];
      const [extras] = (await knex.raw(
        "SELECT COLUMN_NAME AS c, COLUMN_TYPE AS t, EXTRA AS e FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'stamp' ORDER BY ORDINAL_POSITION",
      )) as [{ c: string; t: string; e: string }[]];
      return [...cols.map((c) => `${c.c} ${c.coll}`), `case-blind matches ${rows[0].n}`, ...extras.map((c) => `${c.c} ${c.t} ${c.e.toLowerCase().replace('default_generated ', '')}`.trim())];
    },
    unmanaged: [
      "Unmanaged collation 'utf8mb4_bin' on 'person.email'",
      "Unmanaged column option 'updated_at ON UPDATE CURRENT_TIMESTAMP' on 'stamp'",
      "Unmanaged column option 'secret INVISIBLE' on 'stamp'",
    ],
  },
};

describe.each(testDialects().map((d) => [d.name, d] as const))('what the models cannot say, on %s', (dialectName, dialect) => {
  test('db check lists it as unmanaged; a change, its down() and the down() of a drop keep it', async () => {
    const c = CASES[dialectName];
    const db = await freshDatabase(dialect);
    const dir = makeProject({ 'models/all.ts': c.models(false) });
    const env = { DATABASE_URL: db.url };
    const run = async (args: string[], code = 0) => {
      const r = await kiln(args, { cwd: dir, env });
      if (r.code !== code) throw new Error(`kiln ${args.join(' ')} exited ${r.code}:\n${r.stdout}\n${r.stderr}`);
      return r;
    };
    try {
      fs.mkdirSync(path.join(dir, 'migrations'));
      const knex = db.connect();
      for (const sql of c.sql) await knex.raw(sql);
      await knex('person').insert({ email: 'ann@x', age: 3 });
      const before = await c.kept(knex);

      const checked = await run(['db', 'check']);
      expect(checked.stdout).not.toMatch(/Detected/);
      for (const line of c.unmanaged) expect(checked.stdout).toContain(line);

      writeFile(dir, 'models/all.ts', c.models(true));
      await run(['db', 'migrate', '-m', 'tighten']);
      await run(['db', 'upgrade']);
      const clean = await run(['db', 'check']);
      expect(clean.stdout).not.toMatch(/Detected/);
      expect(await c.kept(knex)).toEqual(before);
      await run(['db', 'downgrade']);
      expect(await c.kept(knex)).toEqual(before);
      await run(['db', 'upgrade']);

      // A migration that drops the tables: its down() recreates them as they were.
      writeFile(dir, 'models/all.ts', "import { model, Integer } from 'kiln';\nexport const Other = model('Other', { id: Integer().primaryKey() });\n");
      const tables = dialectName === 'sqlite' ? ['person', 'tag', 'kv'] : dialectName === 'postgres' ? ['person', 'booking', 'note'] : ['person', 'stamp'];
      await run(['db', 'migrate', '-m', 'drop all', ...tables.flatMap((t) => ['--allow-drop', t])]);
      await run(['db', 'upgrade']);
      await run(['db', 'downgrade']);
      await knex('person').insert({ email: 'ann@x', age: 3 });
      expect(await c.kept(knex)).toEqual(before);
    } finally {
      await db.cleanup();
      rmProject(dir);
    }
  });
});

for (const dialect of testDialects().filter((d) => d.name === 'mysql')) describe(`a column clause kiln cannot restate, on ${dialect.name}`, () => {
  test('db migrate refuses to MODIFY or drop a column with ON UPDATE CURRENT_TIMESTAMP or INVISIBLE, naming it', async () => {
    const db = await freshDatabase(dialect);
    const models = (updated: string, secret: string) => `import { model, Integer, String, Custom } from 'kiln';
export const Stamp = model('Stamp', { id: Integer().primaryKey(), ${updated}${secret} });
`;
    const dir = makeProject({ 'models/all.ts': models("updated_at: Custom('timestamp').defaultRaw('CURRENT_TIMESTAMP'), ", 'secret: String(20)') });
    const env = { DATABASE_URL: db.url };
    try {
      fs.mkdirSync(path.join(dir, 'migrations'));
      const knex = db.connect();
      await knex.raw(`CREATE TABLE stamp (id int unsigned NOT NULL AUTO_INCREMENT PRIMARY KEY,
        updated_at timestamp NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP, secret varchar(20) INVISIBLE)`);
      expect((await kiln(['db', 'check'], { cwd: dir, env })).code).toBe(0);
      writeFile(dir, 'models/all.ts', models("updated_at: Custom('timestamp').notNull().defaultRaw('CURRENT_TIMESTAMP'), ", 'secret: String(20)'));
      const modify = await kiln(['db', 'migrate', '-m', 'tighten'], { cwd: dir, env });
      expect(modify.code).toBe(1);
      expect(modify.stderr).toContain("column 'stamp.updated_at' has ON UPDATE CURRENT_TIMESTAMP, which kiln's models cannot say");
      writeFile(dir, 'models/all.ts', models("updated_at: Custom('timestamp').defaultRaw('CURRENT_TIMESTAMP'), ", ''));
      const drop = await kiln(['db', 'migrate', '-m', 'drop secret'], { cwd: dir, env });
      expect(drop.code).toBe(1);
      expect(drop.stderr).toContain("column 'stamp.secret' has INVISIBLE");
      expect(fs.readdirSync(path.join(dir, 'migrations'))).toEqual([]);
    } finally {
      await db.cleanup();
      rmProject(dir);
    }
  });
});

describe('a SQLite clause kiln cannot recreate', () => {
  test('db check lists it; a rebuild of its table, or a drop whose down() would re-create it, is refused naming it', async () => {
    const db = await freshDatabase({ name: 'sqlite' });
    const models = (extra: string) => `import { model, Integer, String, ForeignKey } from 'kiln';
export const Parent = model('Parent', { id: Integer().primaryKey() });
export const Child = model('Child', { id: Integer().primaryKey(), parent_id: Integer().references('parent.id'), code: String(10)${extra} });
`;
    const dir = makeProject({ 'models/all.ts': models('') });
    const env = { DATABASE_URL: db.url };
    try {
      fs.mkdirSync(path.join(dir, 'migrations'));
      const knex = db.connect();
      await knex.raw('CREATE TABLE parent (id integer primary key autoincrement)');
      await knex.raw(`CREATE TABLE child (id integer primary key autoincrement, parent_id integer CONSTRAINT child_parent_id_foreign REFERENCES parent (id)
        DEFERRABLE INITIALLY DEFERRED, code varchar(10) UNIQUE ON CONFLICT REPLACE)`);
      const checked = await kiln(['db', 'check'], { cwd: dir, env });
      expect(checked.stdout).toContain("Unmanaged clause 'DEFERRABLE INITIALLY DEFERRED' on 'child'");
      expect(checked.stdout).toContain("Unmanaged clause 'ON CONFLICT REPLACE' on 'child'");
      writeFile(dir, 'models/all.ts', models('.notNull()'));
      const rebuild = await kiln(['db', 'migrate', '-m', 'tighten'], { cwd: dir, env });
      expect(rebuild.code).toBe(1);
      expect(rebuild.stderr).toContain("table 'child' has clause DEFERRABLE INITIALLY DEFERRED, clause ON CONFLICT REPLACE, which kiln cannot recreate: a rebuild");
      writeFile(dir, 'models/all.ts', "import { model, Integer } from 'kiln';\nexport const Parent = model('Parent', { id: Integer().primaryKey() });\n");
      const drop = await kiln(['db', 'migrate', '-m', 'drop child', '--allow-drop', 'child'], { cwd: dir, env });
      expect(drop.code).toBe(1);
      expect(drop.stderr).toContain("table 'child' has clause DEFERRABLE INITIALLY DEFERRED");
      expect(fs.readdirSync(path.join(dir, 'migrations'))).toEqual([]);
    } finally {
      await db.cleanup();
      rmProject(dir);
    }
  });
});

for (const dialect of testDialects().filter((d) => d.name === 'postgres')) {
  describe(`a DEFERRABLE foreign key, on ${dialect.name}`, () => {
    test('db migrate refuses to re-create it without the clause, naming it', async () => {
      const db = await freshDatabase(dialect);
      const models = (options: string) => `import { model, Integer } from 'kiln';
export const Parent = model('Parent', { id: Integer().primaryKey() });
export const Child = model('Child', { id: Integer().primaryKey(), parent_id: Integer().references('parent.id'${options}) });
`;
      const dir = makeProject({ 'models/all.ts': models('') });
      const env = { DATABASE_URL: db.url };
      try {
        fs.mkdirSync(path.join(dir, 'migrations'));
        const knex = db.connect();
        await knex.raw('CREATE TABLE parent (id serial primary key)');
        await knex.raw('CREATE TABLE child (id serial primary key, parent_id integer CONSTRAINT child_parent_id_foreign REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED)');
        expect((await kiln(['db', 'check'], { cwd: dir, env })).code).toBe(0);
        writeFile(dir, 'models/all.ts', models(", { onDelete: 'CASCADE' }"));
        const r = await kiln(['db', 'migrate', '-m', 'cascade'], { cwd: dir, env });
        expect(r.code).toBe(1);
        expect(r.stderr).toContain("foreign key 'child_parent_id_foreign' on 'child' is DEFERRABLE INITIALLY DEFERRED, which kiln's models cannot say");
        expect(fs.readdirSync(path.join(dir, 'migrations'))).toEqual([]);
      } finally {
        await db.cleanup();
        rmProject(dir);
      }
    });
  });
}
