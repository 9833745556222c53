/**
 * A migration that throws halfway: rolled back where the dialect allows it (PostgreSQL,
 * SQLite: the whole run is one transaction), bookkeeping unchanged, non-zero exit, one line
 * naming the file, the statement and the database's error; MySQL says its DDL cannot be rolled
 * back and which statements ran. Once the file is fixed, the next upgrade succeeds.
 */
import { freshDatabase, type FreshDatabase } from '../helpers/databases';
import { testDialects } from '../helpers/dialects';
import { expectUserError, handMigration, kiln, makeProject, rmProject, writeFile } from '../helpers/cli';
import { emptyStats, inspectDb, reportStats, show, tableNames, type ReliabilityStats } from './helpers';

const stats: ReliabilityStats[] = [];
afterAll(() => reportStats(stats));

const M1 = '20260301000000_create_box.ts';
const M2 = '20260302000000_create_lid.ts';
const CAUSE: Record<string, RegExp> = {
  sqlite: /SQLITE_ERROR: no such table: no_such_table/,
  postgres: /relation "no_such_table" does not exist/,
  mysql: /no_such_table' doesn't exist/,
};

describe.each(testDialects().map((d) => [d.name, d] as const))('failing migration on %s', (name, dialect) => {
  let dir: string;
  let db: FreshDatabase;
  let env: Record<string, string>;

  beforeEach(async () => {
    dir = makeProject({ 'kiln.config.ts': 'export default {};\n' });
    db = await freshDatabase(dialect);
    env = { DATABASE_URL: db.url };
  });
  afterEach(async () => {
    await db.cleanup();
    rmProject(dir);
  });

  test('throws halfway: rolled back (or reported), then fixed and applied', async () => {
    const s = emptyStats('failing migration', name);
    stats.push(s);
    s.trials = 1;
    try {
      writeFile(dir, `migrations/${M1}`, handMigration('create box', "  await knex.schema.createTable('box', (t) => { t.increments('id'); t.string('label', 20); });\n  await knex('box').insert([{ label: 'a' }, { label: 'b' }]);", "  await knex.schema.dropTable('box');"));
      const broken = handMigration(
        'create lid',
        "  await knex.schema.createTable('lid', (t) => { t.increments('id'); });\n  await knex('box').insert({ label: 'c' });\n  await knex.raw('update no_such_table set x = 1');\n  await knex.schema.createTable('hinge', (t) => { t.increments('id'); });",
        "  await knex.schema.dropTable('lid');",
      );
      writeFile(dir, `migrations/${M2}`, broken);
      const r = await kiln(['db', 'upgrade'], { cwd: dir, env });
      expectUserError(r, new RegExp(`^error: migration migrations/${M2} failed: .*${CAUSE[name].source}.*\\(statement: update no_such_table set x = 1\\)`));
      const knex = db.connect();
      const state = await inspectDb(knex, name);
      const tables = await tableNames(knex, name);
      s.locksLeft = state.locked;
      s.tempTablesLeft = state.tempTables.length;
      s.doubleApplied = state.duplicates;
      expect(tables).not.toContain('hinge');
      if (name === 'mysql') {
        // DDL commits at once on MySQL: the first migration and the lid table stay; the hint says so.
        expect(r.stderr).toMatch(/hint: MySQL cannot roll back DDL: .*statement\(s\) of this migration ran and stay applied: create table `lid`/);
        expect(state.applied).toEqual([M1]);
      } else {
        expect(r.stderr).not.toMatch(/hint:/);
        expect(state.applied).toEqual([]);
        expect(tables).not.toContain('box');
        expect(tables).not.toContain('lid');
      }
      // The fix. On MySQL the user first removes what the failed migration left (as the hint says).
      if (name === 'mysql') await knex.schema.dropTableIfExists('lid');
      writeFile(dir, `migrations/${M2}`, broken.replace("  await knex.raw('update no_such_table set x = 1');\n", ''));
      const ok = await kiln(['db', 'upgrade'], { cwd: dir, env });
      expect(ok.code === 0 ? '' : show(ok)).toBe('');
      const after = await inspectDb(knex, name);
      expect(after.applied).toEqual([M1, M2]);
      expect(after.locked).toBe(0);
      const labels = (await knex('box').select('label').orderBy('id')).map((x: { label: string }) => x.label);
      // MySQL too: the failed run's row 'c' came after the DDL's implicit commit and was rolled back.
      expect(labels).toEqual(['a', 'b', 'c']);
    } catch (e) {
      s.failures++;
      throw e;
    }
  }, 120000);
});
