/**
 * Online-safe generation (issue 14 item 2): on PostgreSQL and MariaDB, `kiln db migrate` writes a
 * change to an existing, populated table as steps of kiln/online (concurrent index builds, NOT
 * VALID + VALIDATE, SET NOT NULL through a validated check, ALGORITHM=INPLACE, LOCK=NONE), each
 * under a short lock timeout. Each recipe runs on rows, is recorded once, is reverted exactly,
 * and a run killed while a step waits for a lock is finished by the next upgrade. Real binary.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Knex } from 'knex';
import { freshDatabase, type FreshDatabase } from '../helpers/databases';
import { testDialects } from '../helpers/dialects';
import { KILN_BIN, kiln, makeProject, rmProject, writeFile, type RunResult } from '../helpers/cli';

const BEFORE = `import { model, Integer, String } from 'kiln';
export const Author = model('Author', { code: String(10).primaryKey(), name: String(50) });
export const Post = model('Post', { id: Integer().primaryKey(), title: String(50), author_code: String(10) });
`;
const AFTER = `import { model, Integer, String } from 'kiln';
export const Author = model('Author', { code: String(10).primaryKey(), name: String(50).notNull().unique() });
export const Post = model('Post', {
  id: Integer().primaryKey(),
  title: String(50).index().check('length(title) > 0'),
  author_code: String(10).references('author.code'),
  status: String(10).notNull().default('draft'),
});
`;
/** One index on a populated table: the kill test's step waits for a lock held elsewhere. */
const INDEX_ONLY = BEFORE.replace("title: String(50),", "title: String(50).index(),");
const ROWS = 3000;

const servers = testDialects().filter((d) => d.name !== 'sqlite');

describe.each(servers.map((d) => [d.name, d] as const))('online-safe generation on %s', (name, dialect) => {
  let dir: string;
  let db: FreshDatabase;
  let knex: Knex;
  let env: Record<string, string>;
  const k = (...args: string[]) => kiln(args, { cwd: dir, env });
  const ok = (r: RunResult) => {
    if (r.code !== 0) throw new Error(`exit ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
    return r;
  };
  const recorded = async () => (await knex('knex_migrations').orderBy('id').select('name')).map((r: { name: string }) => r.name);
  const migrationFile = (slug: string) => {
    const found = fs.readdirSync(path.join(dir, 'migrations')).find((f) => f.endsWith(`_${slug}.ts`));
    if (!found) throw new Error(`no migration *_${slug}.ts`);
    return found;
  };
  const rows = async (sql: string, bindings: readonly unknown[] = []) => {
    const res = (await knex.raw(sql, bindings as Knex.RawBinding[])) as { rows?: unknown[] } | [unknown[]];
    return Array.isArray(res) ? res[0] : res.rows!;
  };
  const constraints = async () =>
    name === 'postgres'
      ? ((await rows("select conname as name, convalidated as valid from pg_constraint c join pg_class t on t.oid = c.conrelid where t.relname in ('post', 'author') and contype in ('f', 'c', 'u') order by 1")) as { name: string; valid: boolean }[])
      : ((await rows("select CONSTRAINT_NAME as name from information_schema.TABLE_CONSTRAINTS where CONSTRAINT_SCHEMA = database() and TABLE_NAME in ('post', 'author') and CONSTRAINT_TYPE <> 'PRIMARY KEY' order by 1")) as { name: string }[]);

  beforeEach(async () => {
    dir = makeProject({ 'kiln.config.ts': "export default { models: 'models' };\n", 'models/m.ts': BEFORE, 'migrations/.keep': '' });
    db = await freshDatabase(dialect);
    knex = db.connect();
    env = { DATABASE_URL: db.url };
    ok(await k('db', 'migrate', '-m', 'init'));
    ok(await k('db', 'upgrade'));
    const authors = Array.from({ length: 100 }, (_, i) => ({ code: `c${i + 1}`, name: `a${i + 1}` }));
    await knex('author').insert(authors);
    for (let from = 0; from < ROWS; from += 1000) {
      await knex('post').insert(Array.from({ length: 1000 }, (_, i) => ({ id: from + i + 1, title: `t${from + i}`, author_code: `c${1 + ((from + i) % 100)}` })));
    }
    writeFile(dir, 'models/m.ts', AFTER);
  });
  afterEach(async () => {
    await db.cleanup();
    rmProject(dir);
  });

  test('every recipe on populated tables: applied, recorded once, no drift, lint clean, reverted exactly', async () => {
    const gen = ok(await k('db', 'migrate', '-m', 'online'));
    const source = fs.readFileSync(path.join(dir, 'migrations', migrationFile('online')), 'utf8');
    expect(source).toContain('export const config = { transaction: false };');
    expect(source).toMatch(/import \{ [^}]*ddl[^}]* \} from 'kiln\/online';/);
    if (name === 'postgres') {
      expect(source).toContain("await createIndexConcurrently(knex, 'post_title_index', 'CREATE INDEX CONCURRENTLY IF NOT EXISTS ?? ON ?? (??)', ['post_title_index', 'post', 'title']);");
      expect(source).toContain("'ALTER TABLE ?? ADD CONSTRAINT ?? UNIQUE USING INDEX ??', ['author', 'author_name_unique', 'author_name_unique']");
      expect(source).toContain("'ALTER TABLE ?? ADD CONSTRAINT ?? FOREIGN KEY (??) REFERENCES ?? (??) NOT VALID'");
      expect(source).toContain("'ALTER TABLE ?? ADD CONSTRAINT ?? CHECK (length(title) > 0) NOT VALID'");
      expect(source).toContain("await setNotNull(knex, 'author', 'name', 'author_name_not_null');");
      expect(source).toContain("await dropIndexConcurrently(knex, 'post_title_index');");
    } else {
      expect(source).toContain("'ALTER TABLE ?? ADD INDEX ?? (??), ALGORITHM=INPLACE, LOCK=NONE', ['post', 'post_title_index', 'title']");
      expect(source).toContain("'ALTER TABLE ?? ADD CONSTRAINT ?? FOREIGN KEY (??) REFERENCES ?? (??), ALGORITHM=INPLACE, LOCK=NONE'");
      expect(source).toContain('await verifyForeignKey(knex, ');
      // A check can only be added by copying the table: said in the file and by db migrate.
      expect(source).toContain("// kiln: adding check 'post_title_check' on 'post' copies the table (ALGORITHM=COPY)");
      expect(gen.stderr).toMatch(/warning: adding check 'post_title_check' on 'post' copies the table \(ALGORITHM=COPY\): writes to 'post' wait until the copy ends/);
    }
    // What db migrate printed from the lint of the file it wrote: no blocking build, no validation
    // under lock (MariaDB: but for the check, which it can only add by copying the table, as warned).
    expect(gen.stdout).not.toMatch(/blocking-index-build|missing-lock-timeout/);
    if (name === 'postgres') expect(gen.stdout).not.toMatch(/validation-under-lock|not-null-scan/);
    const lint = JSON.parse((await k('db', 'lint', '--json')).stdout) as { migrations: { statements: { findings: { rule: string; message: string }[] }[] }[] };
    const findings = lint.migrations.flatMap((m) => m.statements.flatMap((s) => s.findings));
    const rules = findings.map((f) => f.rule);
    expect(rules).not.toContain('blocking-index-build');
    expect(rules).not.toContain('missing-lock-timeout');
    if (name === 'postgres') {
      expect(rules).not.toContain('validation-under-lock');
      expect(rules).not.toContain('not-null-scan');
    } else {
      expect(findings.filter((f) => f.rule === 'validation-under-lock').map((f) => f.message)).toEqual([expect.stringMatching(/^check "post_title_check"/)]);
    }

    const before = await constraints();
    ok(await k('db', 'upgrade'));
    expect(await recorded()).toEqual([migrationFile('init'), migrationFile('online')]);
    ok(await k('db', 'check'));
    expect((await rows('select count(*) as n from post where status = ?', ['draft'])) as { n: unknown }[]).toEqual([{ n: name === 'postgres' ? String(ROWS) : ROWS }]);
    if (name === 'postgres') {
      // Validated, and the helper check of setNotNull is gone.
      expect(await constraints()).toEqual([
        { name: 'author_name_unique', valid: true },
        { name: 'post_author_code_foreign', valid: true },
        { name: 'post_title_check', valid: true },
      ]);
    }
    ok(await k('db', 'downgrade'));
    expect(await recorded()).toEqual([migrationFile('init')]);
    expect(await constraints()).toEqual(before);
    expect(await knex.schema.hasColumn('post', 'status')).toBe(false);
    ok(await k('db', 'upgrade'));
    ok(await k('db', 'check'));
  });

  // Offline the reads see the database before the script: a step whose skipIf held there (the
  // index and check of the same names still exist before the script drops them) was left out of
  // `--sql`, `--plan` and `db lint`, and the printed script dropped the index without creating it.
  test('upgrade --sql of a migration that re-creates an index and a check under their names prints every step', async () => {
    ok(await k('db', 'migrate', '-m', 'online'));
    ok(await k('db', 'upgrade'));
    writeFile(
      dir,
      'models/m.ts',
      AFTER.replace("title: String(50).index().check('length(title) > 0'),", "title: String(50).check('length(title) > 1'),").replace(
        "  status: String(10).notNull().default('draft'),\n});",
        "  status: String(10).notNull().default('draft'),\n}, { indexes: [{ columns: ['title', 'id'], name: 'post_title_index' }] });",
      ),
    );
    const made = ok(await k('db', 'migrate', '-m', 'reshape'));
    expect(made.stdout).toContain("Detected added index 'post_title_index' on 'post' (title, id)");
    const sql = ok(await k('db', 'upgrade', '--sql')).stdout;
    const q = name === 'postgres' ? '"' : '`';
    const creates = sql.split('\n').filter((l) => /^(CREATE|ALTER TABLE)/i.test(l) && l.includes(`${q}post_title_index${q}`) && !/DROP/i.test(l));
    const checks = sql.split('\n').filter((l) => /ADD CONSTRAINT/i.test(l) && l.includes(`${q}post_title_check${q}`));
    expect({ creates: creates.length, checks: checks.length }).toEqual({ creates: 1, checks: 1 });
    // The script does what the upgrade does.
    ok(await k('db', 'upgrade'));
    expect(ok(await k('db', 'check')).stdout).toContain('No new upgrade operations detected');
  });

  test('a row that breaks the new foreign key: the migration fails, records nothing, and finishes once the row is fixed', async () => {
    await knex('post').where({ id: 1 }).update({ author_code: 'nobody' });
    ok(await k('db', 'migrate', '-m', 'online'));
    const failed = await k('db', 'upgrade');
    expect(failed.code).not.toBe(0);
    expect(failed.stderr).toMatch(/post_author_code_foreign/);
    expect(await recorded()).toEqual([migrationFile('init')]);
    await knex('post').where({ id: 1 }).update({ author_code: 'c1' });
    ok(await k('db', 'upgrade'));
    expect(await recorded()).toEqual([migrationFile('init'), migrationFile('online')]);
    ok(await k('db', 'check'));
  });

  test("--no-online and config 'online: false' write the plain, transactional form", async () => {
    ok(await k('db', 'migrate', '-m', 'plain', '--no-online'));
    const plain = fs.readFileSync(path.join(dir, 'migrations', migrationFile('plain')), 'utf8');
    expect(plain).not.toContain('transaction: false');
    expect(plain).not.toContain('kiln/online');
    expect(plain).toContain("t.index(['title'], 'post_title_index')");
    fs.rmSync(path.join(dir, 'migrations', migrationFile('plain')));
    writeFile(dir, 'kiln.config.ts', "export default { models: 'models', online: false };\n");
    ok(await k('db', 'migrate', '-m', 'plain2'));
    expect(fs.readFileSync(path.join(dir, 'migrations', migrationFile('plain2')), 'utf8')).not.toContain('kiln/online');
    writeFile(dir, 'kiln.config.ts', "export default { models: 'models', online: 'yes' };\n");
    const bad = await k('db', 'migrate', '-m', 'x');
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/option 'online' must be true or false/);
  });

  test('killed while a step waits for its lock: nothing recorded, the next upgrade finishes it', async () => {
    writeFile(dir, 'models/m.ts', INDEX_ONLY);
    ok(await k('db', 'migrate', '-m', 'online'));
    // Another connection holds a lock the index step waits for: a write not committed
    // (PostgreSQL: CREATE INDEX CONCURRENTLY waits for it) or a read (MariaDB: the metadata lock).
    const holder = await knex.client.acquireConnection();
    const hold = (sql: string) => knex.raw(sql).connection(holder);
    await hold(name === 'postgres' ? 'begin' : 'start transaction');
    await hold(name === 'postgres' ? 'update post set title = title where id = 1' : 'select count(*) from post');
    const waiting =
      name === 'postgres'
        ? "select pid from pg_stat_activity where query like 'CREATE INDEX CONCURRENTLY%post_title_index%' and wait_event_type = 'Lock'"
        : "select ID as pid from information_schema.PROCESSLIST where INFO like 'ALTER TABLE%post_title_index%' and STATE like '%metadata lock%'";
    const child = spawn(process.execPath, [KILN_BIN, 'db', 'upgrade'], { cwd: dir, env: { ...process.env, ...env, KILN_ONLINE_LOCK_TIMEOUT: '4', CI: 'true' }, stdio: 'ignore' });
    const exited = new Promise((resolve) => child.on('close', resolve));
    let seen = false;
    for (let i = 0; i < 300 && !seen; i++) {
      seen = (await rows(waiting)).length > 0;
      if (!seen) await new Promise((r) => setTimeout(r, 100));
    }
    expect(seen).toBe(true);
    child.kill('SIGKILL');
    await exited;
    // The server statement gives up at its lock timeout (4 s); then the holder lets go.
    for (let i = 0; i < 100 && (await rows(waiting)).length > 0; i++) await new Promise((r) => setTimeout(r, 100));
    if (name === 'postgres') {
      // The killed build left its index INVALID behind.
      expect(await rows('select indisvalid as valid from pg_index i join pg_class c on c.oid = i.indexrelid where c.relname = ?', ['post_title_index'])).toEqual([{ valid: false }]);
    }
    await hold('rollback');
    await knex.client.releaseConnection(holder);
    expect(await recorded()).toEqual([migrationFile('init')]);
    ok(await k('db', 'upgrade'));
    expect(await recorded()).toEqual([migrationFile('init'), migrationFile('online')]);
    ok(await k('db', 'check'));
    if (name === 'postgres') {
      expect(await rows('select indisvalid as valid from pg_index i join pg_class c on c.oid = i.indexrelid where c.relname = ?', ['post_title_index'])).toEqual([{ valid: true }]);
    }
  });
});
