/**
 * A COMMIT the database refuses is a failure, never a success (Knex's trx.commit() resolves
 * even then). Each command that commits (upgrade, downgrade, stamp, initdb, seed) prints one
 * `error:` line naming what failed at COMMIT, exits non-zero, and the bookkeeping is unchanged.
 *
 * How the COMMIT is made to fail, for real:
 * - PostgreSQL and SQLite: a DEFERRABLE INITIALLY DEFERRED foreign key broken by an orphan row
 *   is only checked at COMMIT (on SQLite where foreign keys are enforced: seeds; the migration
 *   runner runs SQLite with them off and checks them itself after each migration);
 * - SQLite: another connection holding a read transaction. kiln's BEGIN IMMEDIATE gets the
 *   write lock, but COMMIT needs the reader gone: after the lock timeout it fails with
 *   SQLITE_BUSY; and a file size limit (ulimit -f) standing for a disk that fills up while
 *   COMMIT writes the pages.
 * MySQL/MariaDB has neither deferred constraints nor a reader that blocks a COMMIT, so there is
 * no way to make its COMMIT fail here; this file covers sqlite and postgres only.
 */
import type { Knex } from 'knex';
import { freshDatabase, type FreshDatabase } from '../helpers/databases';
import { testDialects } from '../helpers/dialects';
import { copyExample, expectUserError, handMigration, kiln, KILN_BIN, makeProject, rmProject, run, writeFile } from '../helpers/cli';
import { inspectDb, show, tableNames } from './helpers';

const M1 = '20260401000000_parent_child.ts';
const M2 = '20260402000000_orphan_on_down.ts';
const BOXES = '20260401000000_boxes.ts';
const DEFERRED_FK = /(?:violates foreign key constraint|SQLITE_CONSTRAINT: FOREIGN KEY constraint failed)/;

const createParentChild = handMigration(
  'parent and child',
  "  await knex.raw('create table parent (id integer primary key)');\n  await knex.raw('create table child (id integer primary key, parent_id integer references parent (id) deferrable initially deferred)');",
  "  await knex.raw('drop table child');\n  await knex.raw('drop table parent');",
);

const dialects = testDialects().filter((d) => d.name !== 'mysql');

describe.each(dialects.map((d) => [d.name, d] as const))('a refused COMMIT on %s', (name, dialect) => {
  let dir: string;
  let db: FreshDatabase;
  let env: Record<string, string>;
  let knex: Knex;

  beforeEach(async () => {
    dir = makeProject({ 'kiln.config.ts': 'export default {};\n' });
    db = await freshDatabase(dialect);
    env = { DATABASE_URL: db.url };
    knex = db.connect();
  });
  afterEach(async () => {
    await db.cleanup();
    rmProject(dir);
  });

  const k = (...args: string[]) => kiln(args, { cwd: dir, env });

  if (name === 'postgres') {
    test('upgrade: a deferred foreign key broken by the migration fails at COMMIT, nothing applied', async () => {
      writeFile(dir, `migrations/${M1}`, createParentChild.replace("');\n}", "');\n  await knex.raw('insert into child (id, parent_id) values (1, 42)');\n}"));
      const r = await k('db', 'upgrade');
      expect(r.stdout).toContain('Running upgrade <base> -> 20260401000000_parent_child');
      expectUserError(r, new RegExp(`^error: migration migrations/${M1} failed at COMMIT: .*${DEFERRED_FK.source}.*nothing was changed`));
      expect(await tableNames(knex, name)).toEqual([]);
    });

    test('downgrade: a down() breaking a deferred foreign key fails at COMMIT, still applied', async () => {
      writeFile(dir, `migrations/${M1}`, createParentChild);
      writeFile(dir, `migrations/${M2}`, handMigration('orphan on down', '', "  await knex.raw('insert into child (id, parent_id) values (1, 42)');"));
      const up = await k('db', 'upgrade');
      expect(up.code === 0 ? '' : show(up)).toBe('');
      const r = await k('db', 'downgrade');
      expect(r.stdout).toContain('Running downgrade 20260402000000_orphan_on_down -> 20260401000000_parent_child');
      expectUserError(r, new RegExp(`^error: migration migrations/${M2} failed at COMMIT: .*${DEFERRED_FK.source}`));
      expect((await inspectDb(knex, name)).applied).toEqual([M1, M2]);
      expect(Number((await knex('child').count({ n: '*' }))[0].n)).toBe(0);
    });
  }

  if (name === 'sqlite') {
    /** Runs `args` while another connection holds a read transaction on the database file. */
    const withReader = async (...args: string[]) => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const sqlite3 = require('sqlite3') as typeof import('sqlite3');
      const file = db.name;
      const reader = await new Promise<import('sqlite3').Database>((resolve, reject) => {
        const d = new sqlite3.Database(file, (err) => (err ? reject(err) : resolve(d)));
      });
      const run = (sql: string) => new Promise<void>((resolve, reject) => reader.all(sql, (err) => (err ? reject(err) : resolve())));
      try {
        await run('BEGIN');
        await run('select count(*) from sqlite_master');
        return await kiln(args, { cwd: dir, env: { ...env, KILN_LOCK_TIMEOUT: '1' } });
      } finally {
        await run('ROLLBACK').catch(() => undefined);
        await new Promise<void>((resolve) => reader.close(() => resolve()));
      }
    };
    const rows = "  await knex.schema.createTable('box', (t) => { t.increments('id'); t.string('label'); });\n  await knex('box').insert(Array.from({ length: 200 }, (_, i) => ({ label: 'box ' + i })));";

    test('upgrade: COMMIT refused (SQLITE_BUSY), nothing applied, and the next upgrade works', async () => {
      writeFile(dir, `migrations/${BOXES}`, handMigration('boxes', rows, "  await knex.schema.dropTable('box');"));
      const r = await withReader('db', 'upgrade');
      expect(r.stdout).toContain('Running upgrade <base> -> 20260401000000_boxes');
      expectUserError(r, new RegExp(`^error: migration migrations/${BOXES} failed at COMMIT: SQLITE_BUSY: .*nothing was changed`));
      expect(await tableNames(knex, name)).toEqual([]);
      const ok = await k('db', 'upgrade');
      expect(ok.code === 0 ? '' : show(ok)).toBe('');
      expect((await inspectDb(knex, name)).applied).toEqual([BOXES]);
    });

    test('upgrade: the disk fills up while COMMIT writes the pages, nothing applied', async () => {
      // A file size limit of 200 KiB (ulimit -f; Node ignores SIGXFSZ, the write fails with
      // EFBIG) stands for a full disk: the migration's 1 MB of rows stays in SQLite's page cache
      // until COMMIT writes it.
      const big = "  await knex.schema.createTable('big', (t) => { t.increments('id'); t.text('body'); });\n  for (let i = 0; i < 20; i++) await knex('big').insert(Array.from({ length: 100 }, () => ({ body: 'x'.repeat(500) })));";
      writeFile(dir, `migrations/${BOXES}`, handMigration('big rows', big, "  await knex.schema.dropTable('big');"));
      const r = await run('bash', ['-c', `ulimit -f 200; exec "${process.execPath}" "${KILN_BIN}" db upgrade`], { cwd: dir, env });
      expect(r.stdout).toContain('Running upgrade <base> -> 20260401000000_boxes');
      expectUserError(r, new RegExp(`^error: migration migrations/${BOXES} failed at COMMIT: SQLITE_(?:IOERR|FULL)\\b.*nothing was changed`));
      expect(await tableNames(knex, name)).toEqual([]);
      const ok = await k('db', 'upgrade');
      expect(ok.code === 0 ? '' : show(ok)).toBe('');
      expect(Number((await knex('big').count({ n: '*' }))[0].n)).toBe(2000);
    });

    test('downgrade and stamp: COMMIT refused, bookkeeping unchanged', async () => {
      writeFile(dir, `migrations/${BOXES}`, handMigration('boxes', rows, "  await knex.schema.dropTable('box');"));
      const up = await k('db', 'upgrade');
      expect(up.code === 0 ? '' : show(up)).toBe('');
      const down = await withReader('db', 'downgrade');
      expectUserError(down, new RegExp(`^error: migration migrations/${BOXES} failed at COMMIT: SQLITE_BUSY`));
      const stamp = await withReader('db', 'stamp', 'base');
      expectUserError(stamp, /^error: stamp base failed at COMMIT: SQLITE_BUSY/);
      expect((await inspectDb(knex, name)).applied).toEqual([BOXES]);
      expect(await tableNames(knex, name)).toContain('box');
    });

    test('initdb: COMMIT refused, no table created', async () => {
      rmProject(dir);
      dir = copyExample({ migrations: false });
      const r = await withReader('initdb');
      expectUserError(r, /^error: initdb failed at COMMIT: SQLITE_BUSY/);
      expect(r.stdout).not.toContain('Initialized database.');
      expect(await tableNames(knex, name)).toEqual([]);
    });
  }

  test('seed: a deferred foreign key broken by a seed fails at COMMIT, no seed data kept', async () => {
    writeFile(dir, `migrations/${M1}`, createParentChild);
    const up = await k('db', 'upgrade');
    expect(up.code === 0 ? '' : show(up)).toBe('');
    writeFile(dir, 'seeds/01_parent.ts', "export async function seed(knex: any) { await knex('parent').insert({ id: 1 }); }\n");
    writeFile(dir, 'seeds/02_orphan.ts', "export async function seed(knex: any) { await knex('child').insert({ id: 1, parent_id: 42 }); }\n");
    const r = await k('db', 'seed');
    expect(r.stdout).not.toContain('Ran seed');
    expectUserError(r, new RegExp(`^error: seeds seeds/01_parent.ts, seeds/02_orphan.ts failed at COMMIT: .*${DEFERRED_FK.source}`));
    expect(Number((await knex('parent').count({ n: '*' }))[0].n)).toBe(0);
    expect(Number((await knex('child').count({ n: '*' }))[0].n)).toBe(0);
  });
});
