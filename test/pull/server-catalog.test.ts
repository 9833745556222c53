/**
 * `kiln db pull` on PostgreSQL and MySQL/MariaDB reads the catalog through the driver alone
 * (openCatalog, src/runner/database.ts; src/dialect/<dialect>/catalog.ts): Knex is not loaded,
 * the introspection through it reads what it reads through Knex (openDatabase), `raw` answers
 * and binds as Knex's does, and a connection that fails ends in openDatabase's one line, tried
 * once (no second attempt through Knex).
 */
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import type { Knex } from 'knex';
import { loadConfig, type ResolvedConfig } from '../../src/config/load';
import { introspect } from '../../src/introspect';
import { tablesLeftOut } from '../../src/runner/bookkeeping';
import { openCatalog, openDatabase, type Database } from '../../src/runner/database';
import { kiln, makeProject, rmProject } from '../helpers/cli';
import { freshDatabase, withDatabase, type FreshDatabase } from '../helpers/databases';
import { testDialects } from '../helpers/dialects';
import { loadedProbe } from '../helpers/loaded';

jest.setTimeout(120000);

const servers = testDialects().filter((d) => d.name !== 'sqlite');
const DRIVER: Record<string, string> = { postgres: 'pg', mysql: 'mysql2' };

/** A hand-written schema: tables with an enum, a check, an index and a foreign key, a view, a trigger; PostgreSQL: a sequence and a table in schema `billing`. */
const SCHEMA: Record<string, readonly string[]> = {
  postgres: [
    'CREATE SCHEMA billing',
    "CREATE TYPE mood AS ENUM ('happy', 'sad')",
    'CREATE TABLE author (id serial PRIMARY KEY, name varchar(80) NOT NULL, mood mood, age integer CONSTRAINT author_age_check CHECK (age >= 0))',
    'CREATE INDEX author_name_index ON author (name)',
    'CREATE TABLE book (id serial PRIMARY KEY, author_id integer CONSTRAINT book_author_id_foreign REFERENCES author (id) ON DELETE CASCADE, title text)',
    'CREATE VIEW named AS SELECT id, name FROM author',
    'CREATE FUNCTION shout_fn() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN NEW.title := upper(NEW.title); RETURN NEW; END$$',
    'CREATE TRIGGER shout BEFORE INSERT ON book FOR EACH ROW EXECUTE FUNCTION shout_fn()',
    'CREATE SEQUENCE invoice_number START WITH 1000',
    "CREATE TABLE billing.invoice (id serial PRIMARY KEY, number integer NOT NULL DEFAULT nextval('invoice_number'), author_id integer CONSTRAINT invoice_author_id_foreign REFERENCES author (id))",
  ],
  mysql: [
    "CREATE TABLE author (id int unsigned AUTO_INCREMENT PRIMARY KEY, name varchar(80) NOT NULL, mood ENUM('happy', 'sad'), age int, CONSTRAINT author_age_check CHECK (age >= 0), KEY author_name_index (name))",
    'CREATE TABLE book (id int unsigned AUTO_INCREMENT PRIMARY KEY, author_id int unsigned, title text, CONSTRAINT book_author_id_foreign FOREIGN KEY (author_id) REFERENCES author (id) ON DELETE CASCADE)',
    'CREATE VIEW named AS SELECT id, name FROM author',
    'CREATE TRIGGER shout BEFORE INSERT ON book FOR EACH ROW SET NEW.title = upper(NEW.title)',
  ],
};

const CONFIG: Record<string, string> = {
  postgres: "export default { models: 'models', migrations: 'migrations', schemas: ['public', 'billing'] };\n",
  mysql: "export default { models: 'models', migrations: 'migrations' };\n",
};

const introspectOptions = (config: ResolvedConfig) => ({ schema: config.schema, schemas: config.schemas, ignoreTables: tablesLeftOut(config.tableName) });

describe.each(servers.map((d) => [d.name, d] as const))('db pull on %s through the driver alone', (name, dialect) => {
  let db: FreshDatabase;
  let dir: string;
  beforeAll(async () => {
    db = await freshDatabase(dialect);
    const knex = db.connect();
    for (const sql of SCHEMA[name]) await knex.raw(sql);
  });
  afterAll(async () => {
    await db.cleanup();
  });
  beforeEach(() => {
    dir = makeProject({ 'kiln.config.ts': CONFIG[name] });
    fs.mkdirSync(path.join(dir, 'migrations'));
  });
  afterEach(() => rmProject(dir));

  test('Knex is not loaded; the models are written and db check is clean with them', async () => {
    const probe = loadedProbe(dir, ['knex', DRIVER[name]]);
    const r = await kiln(['db', 'pull'], { cwd: dir, env: { DATABASE_URL: db.url, ...probe.env } });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const loaded = probe.read();
    expect(loaded.knex).toEqual([]);
    expect(loaded[DRIVER[name]].length).toBeGreaterThan(0);
    const files = ['author.ts', 'book.ts', path.join('views', 'named.ts'), path.join('triggers', 'shout.ts')];
    if (name === 'postgres') files.push(path.join('sequences', 'invoice-number.ts'));
    for (const f of files) expect([f, fs.existsSync(path.join(dir, 'models', f))]).toEqual([f, true]);
    if (name === 'postgres') expect(r.stdout).toContain("(table 'billing.invoice')");
    const check = await kiln(['db', 'check'], { cwd: dir, env: { DATABASE_URL: db.url } });
    expect(check.stderr).toBe('');
    expect(check.stdout).toContain('No new upgrade operations detected.');
    expect(check.code).toBe(0);
  });

  describe('in process', () => {
    let config: ResolvedConfig;
    let catalog: Database;
    let viaKnex: Database;
    beforeEach(async () => {
      config = await loadConfig({ cwd: dir, env: { DATABASE_URL: db.url } });
      const opened = await openCatalog(config);
      expect(opened).not.toBeNull();
      catalog = opened!;
      viaKnex = await openDatabase(config, { noCreate: true });
    });
    afterEach(async () => {
      await catalog.close();
      await viaKnex.close();
    });

    test('introspect() reads the same schema through the catalog connection as through Knex', async () => {
      const fast = await introspect(catalog.knex, dialect.name, introspectOptions(config));
      const slow = await introspect(viaKnex.knex, dialect.name, introspectOptions(config));
      expect(fast).toEqual(slow);
      // Not an empty comparison: everything the schema holds was read.
      const author = fast.tables.find((t) => t.name === 'author');
      expect(author?.columns.find((c) => c.name === 'mood')?.enum?.values).toEqual(['happy', 'sad']);
      expect(JSON.stringify(author)).toContain('author_age_check');
      expect(fast.views?.map((v) => v.name)).toEqual(['named']);
      expect(fast.triggers?.map((t) => t.name)).toEqual(['shout']);
      const tables = fast.tables.map((t) => t.name).sort();
      if (name === 'postgres') {
        expect(tables).toEqual(['author', 'billing.invoice', 'book']);
        expect(fast.sequences?.map((s) => s.name)).toEqual(['invoice_number']);
      } else {
        expect(tables).toEqual(['author', 'book']);
      }
    });

    test('raw() binds and answers as Knex raw does; ?? and transactions are refused', async () => {
      const both = async (sql: string, bindings?: readonly unknown[]) => {
        const a = await (catalog.knex.raw as (s: string, b?: readonly unknown[]) => Promise<unknown>)(sql, bindings);
        const b = await (bindings === undefined ? viaKnex.knex.raw(sql) : viaKnex.knex.raw(sql, bindings as Knex.RawBinding[]));
        return [shape(name, a), shape(name, b)];
      };
      if (name === 'postgres') {
        const [a, b] = await both(`select ?::text as a, ?::int as n, 'p' = any(?::text[]) as found, '{"k": 1}'::jsonb \\? 'k' as has`, ['x', 7, ['q', 'p']]);
        expect(a).toEqual(b);
        expect(a).toMatchObject({ rows: [{ a: 'x', n: 7, found: true, has: true }] });
      } else {
        const [a, b] = await both('select ? as a, ? as n, ? as nothing', ['x', 7, null]);
        expect(a).toEqual(b);
        expect(a).toMatchObject({ rows: [{ a: 'x', n: 7, nothing: null }] });
      }
      const [a2, b2] = await both('select 1 as one');
      expect(a2).toEqual(b2);
      // The same failures, in the same words.
      const failure = async (k: Knex, sql: string, bindings?: unknown[]) => {
        try {
          await (bindings === undefined ? k.raw(sql) : k.raw(sql, bindings as Knex.RawBinding[]));
          return 'no error';
        } catch (e) {
          return (e as Error).message;
        }
      };
      for (const [sql, bindings] of [['select * from no_such_table'], ['select ? as a', ['x', 'y']]] as const) {
        const fast = await failure(catalog.knex, sql, bindings && [...bindings]);
        expect(fast).not.toBe('no error');
        expect(fast).toBe(await failure(viaKnex.knex, sql, bindings && [...bindings]));
      }
      await expect(catalog.knex.raw('select ?? from author', ['id'])).rejects.toThrow(/identifier bindings \(\?\?\) are not supported/);
      expect(() => catalog.knex.transaction(async () => undefined)).toThrow(/catalog queries only/);
    });
  });

  // PostgreSQL only: MySQL has no search path.
  if (name === 'postgres') test("a search path (config `schema`, ?schema=) is Knex's to set: openCatalog says null", async () => {
    const plain = await loadConfig({ cwd: dir, env: { DATABASE_URL: db.url } });
    const handle = await openCatalog(plain);
    expect(handle).not.toBeNull();
    await handle?.close();
    expect(await openCatalog({ ...plain, schema: 'public' })).toBeNull();
    expect(await openCatalog(await loadConfig({ cwd: dir, env: { DATABASE_URL: `${db.url}?schema=public` } }))).toBeNull();
  });

  test('wrong password, refused port, missing database: the same one line as db current, no password', async () => {
    const u = new URL(db.url);
    const wrong = new URL(db.url);
    wrong.password = 'not-the-password-x9';
    const refused = new URL(db.url);
    refused.port = String(await closedPort());
    const urls = [wrong.toString(), refused.toString(), withDatabase(db.url, 'kiln_no_such_database')];
    for (const url of urls) {
      const pull = await kiln(['db', 'pull'], { cwd: dir, env: { DATABASE_URL: url } });
      const current = await kiln(['db', 'current'], { cwd: dir, env: { DATABASE_URL: url } });
      expect(pull.code).toBe(1);
      expect(pull.stderr).toMatch(/^error: cannot connect to /);
      expect(pull.stderr.trim().split('\n')).toHaveLength(1);
      expect(pull.stderr).toBe(current.stderr);
      for (const secret of ['not-the-password-x9', decodeURIComponent(u.password)].filter(Boolean)) expect(pull.stdout + pull.stderr).not.toContain(secret);
      expect(fs.existsSync(path.join(dir, 'models'))).toBe(false);
    }
  });
});

/** What a raw answer holds, comparable between the two paths: pg's Result fields, mysql2's rows and field names. */
function shape(dialect: string, r: unknown): unknown {
  if (dialect === 'postgres') {
    const res = r as { rows: unknown[]; rowCount: number; command: string; fields: { name: string; dataTypeID: number }[] };
    return { rows: res.rows, rowCount: res.rowCount, command: res.command, fields: res.fields.map((f) => [f.name, f.dataTypeID]), isResult: (r as object).constructor.name };
  }
  const [rows, fields] = r as [unknown[], { name: string; columnType: number }[]];
  return { rows: rows.map((x) => ({ ...(x as object) })), fields: fields.map((f) => [f.name, f.columnType]) };
}

/** A port nothing listens on. */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** A server that accepts connections and never answers; `accepted` counts them. */
async function silentServer(): Promise<{ port: number; accepted(): number; close(): Promise<void> }> {
  const sockets: net.Socket[] = [];
  const server = net.createServer((s) => {
    sockets.push(s);
    s.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    accepted: () => sockets.length,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/**
 * A server that never answers: the connect is given up after 10 s (Knex's
 * acquireConnectionTimeout) with connectionError's line for a timeout, and the pull connects
 * once (no second attempt through Knex) and exits. The line is db current's (through Knex),
 * which exits too: on PostgreSQL it used to print its line and then wait for the server to close
 * the socket (pg has no connect timeout of its own; kiln now gives it 10 s). Needs no database
 * server: runs always.
 */
test.each([['postgresql'], ['mysql']])('%s server that never answers: connection timed out, one connection', async (scheme) => {
  const dir = makeProject({ 'kiln.config.ts': CONFIG.mysql });
  const [a, b] = [await silentServer(), await silentServer()];
  try {
    const url = (port: number) => `${scheme}://kiln:secret-pw-7@127.0.0.1:${port}/db`;
    // Side by side, one server each.
    const [pull, current] = await Promise.all([
      kiln(['db', 'pull'], { cwd: dir, env: { DATABASE_URL: url(a.port) }, timeoutMs: 30000 }),
      kiln(['db', 'current'], { cwd: dir, env: { DATABASE_URL: url(b.port) }, timeoutMs: 30000 }),
    ]);
    expect(pull.stderr).toBe(`error: cannot connect to ${scheme}://kiln:***@127.0.0.1:${a.port}/db: connection timed out\n`);
    expect(pull.code).toBe(1);
    expect(a.accepted()).toBe(1);
    // (A run the harness had to kill after 30 s would show code 128 and no line.)
    expect({ code: current.code, stderr: current.stderr }).toEqual({ code: 1, stderr: pull.stderr.replace(String(a.port), String(b.port)) });
    expect(b.accepted()).toBe(1);
  } finally {
    await a.close();
    await b.close();
    rmProject(dir);
  }
});
