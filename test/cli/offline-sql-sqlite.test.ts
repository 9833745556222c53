/**
 * Offline SQL on SQLite gives what the online upgrade gives: a rebuild of a table that an
 * earlier step of the same script created or renamed renders (it used to fail with 'no such
 * table'), the script refuses (rolls back) where the online upgrade refuses a foreign-key
 * violation, and kiln's checksum rows are written. Scripts run with the sqlite3 shell.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseDatabaseUrl } from '../../src/config/url';
import { freshDatabase, type FreshDatabase } from '../helpers/databases';
import { copyExample, handMigration, kiln, rmProject, run, writeFile, type RunResult } from '../helpers/cli';

const SQLITE = { name: 'sqlite' as const };

/** `sqlite3 [-bail] FILE < script`. */
function sqliteShell(db: FreshDatabase, script: string, bail = true): Promise<RunResult> {
  const file = parseDatabaseUrl(db.url).filename!;
  return run('sqlite3', [...(bail ? ['-bail'] : []), file], { cwd: path.dirname(file), input: script });
}

function edit(dir: string, rel: string, from: string, to: string): void {
  const file = path.join(dir, rel);
  const text = fs.readFileSync(file, 'utf8');
  if (!text.includes(from)) throw new Error(`${rel} has no '${from}'`);
  fs.writeFileSync(file, text.replace(from, to));
}

/** Generates a migration against a scratch database kept at head (the target stays at base). */
async function generate(dir: string, env: Record<string, string>, message: string, renames: string[] = []): Promise<void> {
  const r = await kiln(['db', 'migrate', '-m', message, ...renames.flatMap((x) => ['--rename', x])], { cwd: dir, env });
  if (r.code !== 0) throw new Error(`migrate failed: ${r.stderr}`);
  const up = await kiln(['db', 'upgrade'], { cwd: dir, env });
  if (up.code !== 0) throw new Error(`upgrade failed: ${up.stderr}`);
}

/** Each applied migration has its checksum row, naming its knex_migrations row, as online. */
async function expectChecksums(dir: string, db: FreshDatabase): Promise<void> {
  const knex = db.connect();
  const applied = (await knex('knex_migrations').select('id', 'name')) as { id: number; name: string }[];
  const sums = (await knex('kiln_migrations_checksums').select('*').orderBy('name')) as { name: string; checksum: string; applied_id: number }[];
  const expected = applied
    .map((a) => ({
      name: a.name,
      checksum: createHash('sha256').update(fs.readFileSync(path.join(dir, 'migrations', a.name))).digest('hex'),
      applied_id: a.id,
    }))
    .sort((a, b) => (a.name < b.name ? -1 : 1));
  expect(applied.length).toBeGreaterThan(0);
  expect(sums).toEqual(expected);
}

async function scenario(setup: (dir: string, env: Record<string, string>) => Promise<void>): Promise<void> {
  const dir = copyExample();
  const scratch = await freshDatabase(SQLITE);
  const db = await freshDatabase(SQLITE);
  try {
    const genEnv = { DATABASE_URL: scratch.url };
    expect((await kiln(['db', 'upgrade'], { cwd: dir, env: genEnv })).code).toBe(0);
    await setup(dir, genEnv);
    const env = { DATABASE_URL: db.url };
    const sql = await kiln(['db', 'upgrade', '--sql'], { cwd: dir, env });
    expect(sql.stderr).toBe('');
    expect(sql.code).toBe(0);
    expect(sql.stdout).toMatch(/INSERT INTO `kiln_migrations_checksums`/);
    const shell = await sqliteShell(db, sql.stdout);
    expect(shell.stderr).toBe('');
    expect(shell.code).toBe(0);
    const check = await kiln(['db', 'check'], { cwd: dir, env });
    expect(check.stdout).toContain('No new upgrade operations detected.');
    expect(check.code).toBe(0);
    expect((await kiln(['db', 'current'], { cwd: dir, env })).stdout).toMatch(/\(head\)/);
    await expectChecksums(dir, db);
  } finally {
    await scratch.cleanup();
    await db.cleanup();
    rmProject(dir);
  }
}

test('three migrations from base, the third rebuilding a table the first created', async () => {
  await scenario(async (dir, env) => {
    edit(dir, 'models/note.ts', 'Integer, Text }', 'Integer, String, Text }');
    edit(dir, 'models/note.ts', 'body: Text(),', 'body: Text(),\n  title: String(20),');
    await generate(dir, env, 'note title');
    edit(dir, 'models/writer-book.ts', 'title: String(50).index()', 'title: String(120).index()');
    await generate(dir, env, 'longer book title');
    const last = fs.readdirSync(path.join(dir, 'migrations')).sort().pop()!;
    expect(fs.readFileSync(path.join(dir, 'migrations', last), 'utf8')).toContain("await rebuildTable(knex, 'book'");
  });
});

test('a renamed table rebuilt in the same migration (--rename note=memo plus a type change)', async () => {
  await scenario(async (dir, env) => {
    edit(dir, 'models/note.ts', "model('Note'", "model('Memo'");
    edit(dir, 'models/note.ts', 'Integer, Text }', 'Integer, String, Text }');
    edit(dir, 'models/note.ts', 'body: Text(),', 'body: String(500),');
    await generate(dir, env, 'memo', ['note=memo']);
    const last = fs.readdirSync(path.join(dir, 'migrations')).sort().pop()!;
    const text = fs.readFileSync(path.join(dir, 'migrations', last), 'utf8');
    expect(text).toContain("renameTable('note', 'memo')");
    expect(text).toContain("await rebuildTable(knex, 'memo'");
  });
});

describe('a migration that leaves a row breaking a foreign key', () => {
  let dir: string;
  let db: FreshDatabase;
  let script: string;
  const orphan = handMigration(
    'orphan comment',
    "  await knex.raw(\"INSERT INTO comment (id, body, post_id) VALUES (1, 'orphan', 42)\");",
    '  await knex.raw("DELETE FROM comment WHERE id = 1");',
  );

  beforeAll(async () => {
    dir = copyExample();
    writeFile(dir, 'migrations/20991231000000_orphan_comment.ts', orphan);
    db = await freshDatabase(SQLITE);
    // The online upgrade refuses it...
    const online = await kiln(['db', 'upgrade'], { cwd: dir, env: { DATABASE_URL: db.url } });
    expect(online.code).not.toBe(0);
    expect(online.stderr).toMatch(/20991231000000_orphan_comment\.ts leaves 1 row\(s\) breaking foreign keys/);
    expect((await kiln(['db', 'current'], { cwd: dir, env: { DATABASE_URL: db.url } })).stdout.trim()).toBe('<base>');
    const sql = await kiln(['db', 'upgrade', '--sql'], { cwd: dir, env: { DATABASE_URL: db.url } });
    expect(sql.code).toBe(0);
    script = sql.stdout;
  });
  afterAll(async () => {
    await db.cleanup();
    rmProject(dir);
  });

  const nothingApplied = async () => {
    const tables = await db.connect().raw("SELECT name FROM sqlite_master WHERE type = 'table'");
    expect(tables).toEqual([]);
  };

  test('...and so does its script, run with sqlite3 -bail: it stops, naming the migration, nothing committed', async () => {
    const r = await sqliteShell(db, script);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/CHECK constraint failed: migration 20991231000000_orphan_comment\.ts leaves rows breaking foreign keys; rolled back/);
    await nothingApplied();
  });

  test('without -bail the failed check has rolled the transaction back: still nothing committed', async () => {
    const r = await sqliteShell(db, script, false);
    expect(r.stderr).toMatch(/CHECK constraint failed: migration 20991231000000_orphan_comment\.ts/);
    await nothingApplied();
  });
});

test('a database with a virtual (FTS5) table, its shadow tables and a view is copied for offline SQL', async () => {
  const dir = copyExample();
  const db = await freshDatabase(SQLITE);
  try {
    const knex = db.connect();
    await knex.raw('CREATE VIRTUAL TABLE docs USING fts5(body)');
    await knex.raw('CREATE VIEW doc_bodies AS SELECT body FROM docs');
    const sql = await kiln(['db', 'upgrade', '--sql'], { cwd: dir, env: { DATABASE_URL: db.url } });
    expect(sql.stderr).toBe('');
    expect(sql.code).toBe(0);
    expect(sql.stdout).toMatch(/create table `post`/);
  } finally {
    await db.cleanup();
    rmProject(dir);
  }
});

test("statements run inside a transaction (Knex's own .alter() rebuild, a migration's knex.transaction) are printed, not only applied to the copy", async () => {
  const dir = copyExample();
  const db = await freshDatabase(SQLITE);
  try {
    writeFile(
      dir,
      'migrations/20991231000000_alter_in_transactions.ts',
      handMigration(
        'alter in transactions',
        "  await knex.schema.alterTable('note', (t) => {\n    t.string('body', 10).alter();\n  });\n" +
          "  await knex.transaction(async (trx) => {\n    await trx('note').insert({ id: 1, body: 'from trx' });\n  });",
        "  await knex('note').where({ id: 1 }).del();\n  await knex.schema.alterTable('note', (t) => {\n    t.text('body').alter();\n  });",
      ),
    );
    const sql = await kiln(['db', 'upgrade', '--sql'], { cwd: dir, env: { DATABASE_URL: db.url } });
    expect(sql.stderr).toBe('');
    expect(sql.code).toBe(0);
    expect(sql.stdout.match(/^BEGIN;$/gm)).toHaveLength(1);
    const shell = await sqliteShell(db, sql.stdout);
    expect(shell.stderr).toBe('');
    expect(shell.code).toBe(0);
    const knex = db.connect();
    expect((await knex.raw("SELECT sql FROM sqlite_master WHERE name = 'note'"))[0].sql).toMatch(/`body` varchar\(10\)/);
    expect(await knex('note').select('id', 'body')).toEqual([{ id: 1, body: 'from trx' }]);
  } finally {
    await db.cleanup();
    rmProject(dir);
  }
});
