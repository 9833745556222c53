/**
 * `kiln db check --roundtrip` (issue 15): every migration up, down to base and up again on a
 * scratch database of the project's dialect; a down() that leaves something behind or throws
 * fails naming the revision; the scratch database is gone afterwards (Ctrl-C included) and the
 * configured database is never touched.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Knex } from 'knex';
import { copyExample, expectUserError, handMigration, kiln, KILN_BIN, rmProject, writeFile } from '../helpers/cli';
import { freshDatabase, type FreshDatabase } from '../helpers/databases';
import { testDialects } from '../helpers/dialects';

/** Whether a scratch database named in the first output line still exists. */
async function scratchExists(db: FreshDatabase, knex: Knex, name: string): Promise<boolean> {
  if (db.dialect === 'sqlite') return fs.readdirSync(os.tmpdir()).some((d) => d.startsWith('kiln-scratch-') && fs.existsSync(path.join(os.tmpdir(), d, name)));
  const rows = db.dialect === 'postgres'
    ? (await knex.raw('select datname from pg_database where datname = ?', [name])).rows
    : (await knex.raw('select schema_name from information_schema.schemata where schema_name = ?', [name]))[0];
  return rows.length > 0;
}

const scratchName = (stdout: string) => /\((kiln_scratch_[0-9a-f]+(?:\.db)?)\)/.exec(stdout)?.[1] ?? '';

describe.each(testDialects().map((d) => [d.name, d] as const))('db check --roundtrip on %s', (_name, dialect) => {
  let dir: string;
  let db: FreshDatabase;
  let knex: Knex;
  beforeAll(async () => {
    db = await freshDatabase(dialect);
    knex = db.connect();
  });
  afterAll(() => db.cleanup());
  afterEach(() => rmProject(dir));
  const env = () => ({ DATABASE_URL: db.url });

  test('the example passes; the scratch database is dropped; the configured database is untouched', async () => {
    dir = copyExample();
    const r = await kiln(['db', 'check', '--roundtrip'], { cwd: dir, env: env() });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Roundtrip on a scratch .* database \(kiln_scratch_[0-9a-f]+(\.db)?\): 3 migration\(s\) up, down to base, up again\n/);
    expect(r.stdout).toContain('Roundtrip passed: every step ran and the schema agrees at every revision in both directions (9 steps).');
    expect(await scratchExists(db, knex, scratchName(r.stdout))).toBe(false);
    expect(await knex.schema.hasTable('knex_migrations')).toBe(false);
    expect(await knex.schema.hasTable('note')).toBe(false);
  }, 120000);

  test('a down() that leaves a column behind fails naming the revision and the difference', async () => {
    dir = copyExample();
    writeFile(dir, 'migrations/20990101000000_extra.ts', handMigration('extra', "  await knex.schema.alterTable('note', (t) => t.string('extra', 20));", '  // forgot to drop it'));
    const r = await kiln(['db', 'check', '--roundtrip'], { cwd: dir, env: env() });
    expectUserError(r, /roundtrip: downgrade of 20990101000000_extra leaves a schema that differs from the first pass at that revision: added column 'note\.extra'/);
    expect(await scratchExists(db, knex, scratchName(r.stdout))).toBe(false);
  }, 120000);

  test('a down() that throws fails naming the revision', async () => {
    dir = copyExample();
    writeFile(dir, 'migrations/20990101000000_boom.ts', handMigration('boom', '  // nothing', "  throw new Error('no way back');"));
    const r = await kiln(['db', 'check', '--roundtrip'], { cwd: dir, env: env() });
    expectUserError(r, /roundtrip: downgrade of 20990101000000_boom failed on the scratch .* database: .*no way back/);
    expect(await scratchExists(db, knex, scratchName(r.stdout))).toBe(false);
  }, 120000);

  test('Ctrl-C stops after the running step and drops the scratch database', async () => {
    dir = copyExample();
    writeFile(dir, 'migrations/20990101000000_slow.ts', handMigration('slow', '  await new Promise((r) => setTimeout(r, 3000));', '  // nothing'));
    const child = spawn(process.execPath, [KILN_BIN, 'db', 'check', '--roundtrip'], { cwd: dir, env: { ...process.env, ...env(), DEBUG: undefined } });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const code = await new Promise<number | null>((resolve) => {
      child.stdout.on('data', (d) => {
        stdout += d;
        if (stdout.includes('up again')) setTimeout(() => child.kill('SIGINT'), 1500);
      });
      child.on('close', (c) => resolve(c));
    });
    expect(code).toBe(130);
    expect(stderr).toMatch(/^error: interrupted \(Ctrl-C\)/);
    expect(stdout).not.toContain('Roundtrip passed');
    expect(await scratchExists(db, knex, scratchName(stdout))).toBe(false);
  }, 120000);
});

const pg = testDialects().find((d) => d.name === 'postgres');
(pg ? describe : describe.skip)('db check --roundtrip in a PostgreSQL schema (?schema=)', () => {
  test('the scratch database gets the schema before kiln opens it', async () => {
    const db = await freshDatabase(pg!);
    const dir = copyExample();
    try {
      await db.connect().raw('CREATE SCHEMA app');
      const r = await kiln(['db', 'check', '--roundtrip'], { cwd: dir, env: { DATABASE_URL: `${db.url}?schema=app` } });
      expect(r.stderr).toBe('');
      expect(r.stdout).toContain('Roundtrip passed');
    } finally {
      await db.cleanup();
      rmProject(dir);
    }
  }, 120000);
});
