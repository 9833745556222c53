/**
 * Offline mode: `db upgrade --sql` prints a script that the database's own client runs into an
 * empty database, after which `db check` finds nothing; the target database is untouched by
 * `--sql` itself. The same for `db downgrade base --sql`.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseDatabaseUrl } from '../../src/config/url';
import { introspect } from '../../src/introspect';
import { freshDatabase } from '../helpers/databases';
import { testDialects, type TestDialect } from '../helpers/dialects';
import { copyExample, kiln, ok, rmProject, run } from '../helpers/cli';

/** Runs a SQL script with the dialect's own client (psql, mariadb; SQLite's engine via node-sqlite3). */
async function runScript(dialect: TestDialect, url: string, file: string, cwd: string): Promise<void> {
  if (dialect.name === 'postgres') {
    const r = await run('psql', [url, '-v', 'ON_ERROR_STOP=1', '-q', '-f', file], { cwd });
    if (r.code !== 0) throw new Error(`psql failed: ${r.stderr}`);
  } else if (dialect.name === 'mysql') {
    const u = parseDatabaseUrl(url);
    const r = await run('sh', ['-c', 'exec mariadb --protocol=TCP -h "$H" -P "$P" -u "$U" "$D" < "$F"'], {
      cwd,
      env: { H: u.host, P: String(u.port ?? 3306), U: u.user, D: u.database, F: file, MYSQL_PWD: u.password },
    });
    if (r.code !== 0) throw new Error(`mariadb failed: ${r.stderr}`);
  } else {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const sqlite3 = require('sqlite3') as typeof import('sqlite3');
    const u = parseDatabaseUrl(url);
    await new Promise<void>((resolve, reject) => {
      const db = new sqlite3.Database(u.filename!, (err) => {
        if (err) return reject(err);
        db.exec(fs.readFileSync(file, 'utf8'), (e) => db.close(() => (e ? reject(e) : resolve())));
      });
    });
  }
}

describe.each(testDialects().map((d) => [d.name, d] as const))('offline SQL on %s', (_name, dialect) => {
  test('upgrade --sql runs with the native client and db check then finds nothing; downgrade base --sql undoes it', async () => {
    const dir = copyExample();
    const db = await freshDatabase(dialect);
    const env = { DATABASE_URL: db.url };
    try {
      const up = await kiln(['db', 'upgrade', '--sql'], { cwd: dir, env });
      expect(up.stderr).toBe('');
      expect(up.code).toBe(0);
      expect(up.stdout).toMatch(/-- Running upgrade <base> -> \d{14}_create_the_tutorial_schema, create the tutorial schema/);

      // --sql changed nothing: no table at all, not even the bookkeeping ones.
      const knex = db.connect();
      const before = await introspect(knex, dialect.name, { ignoreTables: [] });
      expect(before.tables.map((t) => t.name)).toEqual([]);

      const file = path.join(dir, 'upgrade.sql');
      fs.writeFileSync(file, up.stdout);
      await runScript(dialect, db.url, file, dir);
      // kiln's checksum rows, as the online upgrade writes them: each file's SHA-256, naming its knex_migrations row.
      const applied = await knex('knex_migrations').select('id', 'name').orderBy('id');
      expect(applied.map((r: { name: string }) => r.name)).toEqual(fs.readdirSync(path.join(dir, 'migrations')).filter((f) => f.endsWith('.ts')).sort());
      const sum = (name: string) => createHash('sha256').update(fs.readFileSync(path.join(dir, 'migrations', name))).digest('hex');
      const sums = await knex('kiln_migrations_checksums').select('name', 'checksum', 'applied_id').orderBy('applied_id');
      expect(sums.map((r: { applied_id: unknown }) => ({ ...r, applied_id: Number(r.applied_id) }))).toEqual(
        applied.map((r: { id: unknown; name: string }) => ({ name: r.name, checksum: sum(r.name), applied_id: Number(r.id) })),
      );

      const check = await kiln(['db', 'check'], { cwd: dir, env });
      expect(check.stdout).toContain('No new upgrade operations detected.');
      expect(check.code).toBe(0);
      expect((await kiln(['db', 'current'], { cwd: dir, env })).stdout).toMatch(/_draft_edit_time \(head\)/);

      const down = await kiln(['db', 'downgrade', 'base', '--sql'], { cwd: dir, env });
      expect(down.code).toBe(0);
      const downFile = path.join(dir, 'downgrade.sql');
      fs.writeFileSync(downFile, down.stdout);
      // Still at head: --sql did not run anything.
      expect((await kiln(['db', 'current'], { cwd: dir, env })).stdout).toMatch(/\(head\)/);
      await runScript(dialect, db.url, downFile, dir);
      expect((await kiln(['db', 'current'], { cwd: dir, env })).stdout.trim()).toBe('<base>');
      expect(await knex('kiln_migrations_checksums').select('name')).toEqual([]);
      const after = await introspect(knex, dialect.name);
      expect(after.tables.map((t) => t.name)).toEqual([]);
    } finally {
      await db.cleanup();
      rmProject(dir);
    }
  });
});

describe('offline SQL of a SQLite table rebuild', () => {
  test('prints the rebuild statements, which keep every row when run', async () => {
    const dialect: TestDialect = { name: 'sqlite' };
    const dir = copyExample();
    const db = await freshDatabase(dialect);
    const env = { DATABASE_URL: db.url };
    try {
      expect((await kiln(['db', 'upgrade'], { cwd: dir, env })).code).toBe(0);
      expect((await kiln(['db', 'seed'], { cwd: dir, env })).code).toBe(0);
      const model = path.join(dir, 'models', 'post-comment.ts');
      fs.writeFileSync(model, fs.readFileSync(model, 'utf8').replace('title: String(50).unique()', 'title: String(120).unique()'));
      const mig = await kiln(['db', 'migrate', '-m', 'widen title'], { cwd: dir, env });
      expect(mig.code).toBe(0);
      const up = await kiln(['db', 'upgrade', '--sql'], { cwd: dir, env });
      expect(up.code).toBe(0);
      expect(up.stdout).toMatch(/create table `_kiln_tmp_post`/);
      expect(up.stdout).toMatch(/INSERT INTO `_kiln_tmp_post` .* SELECT .* FROM `post`/);
      expect(up.stdout).toMatch(/ALTER TABLE `_kiln_tmp_post` RENAME TO `post`/);
      const file = path.join(dir, 'up.sql');
      fs.writeFileSync(file, up.stdout);
      await runScript(dialect, db.url, file, dir);
      const check = await kiln(['db', 'check'], { cwd: dir, env });
      expect(check.code).toBe(0);
      const knex = db.connect();
      expect(await knex('post').count({ n: '*' })).toEqual([{ n: 2 }]);
      expect(await knex('comment').count({ n: '*' })).toEqual([{ n: 4 }]);
      expect(await knex.raw("select name from sqlite_master where name like '_kiln_tmp_%'")).toEqual([]);
    } finally {
      await db.cleanup();
      rmProject(dir);
    }
  });
});

describe.each(testDialects().filter((d) => d.name === 'postgres').map((d) => [d.name, d] as const))('offline SQL with a configured schema on %s', (_name, dialect) => {
  // kiln's connection sets the search path to the config's schema; the printed script did not,
  // so psql created (or changed) the tables of the same names in the default schema.
  test('the script sets the search path: psql creates the tables in the configured schema', async () => {
    const dir = copyExample();
    const db = await freshDatabase(dialect);
    try {
      const knex = db.connect();
      await knex.raw('CREATE SCHEMA billing');
      const url = `${db.url}${db.url.includes('?') ? '&' : '?'}schema=billing`;
      const up = await kiln(['db', 'upgrade', '--sql'], { cwd: dir, env: { DATABASE_URL: url } });
      expect(up.code).toBe(0);
      expect(up.stdout).toContain('SET search_path TO "billing";');
      const file = path.join(dir, 'upgrade.sql');
      fs.writeFileSync(file, up.stdout);
      await runScript(dialect, db.url, file, dir);
      const where = await knex.raw("SELECT table_schema AS schema, count(*)::int AS n FROM information_schema.tables WHERE table_schema IN ('public', 'billing') GROUP BY 1 ORDER BY 1");
      expect(where.rows).toEqual([{ schema: 'billing', n: expect.any(Number) }]);
      expect(ok(await kiln(['db', 'check'], { cwd: dir, env: { DATABASE_URL: url } })).stdout).toContain('No new upgrade operations detected.');
    } finally {
      await db.cleanup();
      rmProject(dir);
    }
  });
});
