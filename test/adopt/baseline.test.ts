/**
 * Issue 13, item 3: `kiln db baseline` on Chinook (SQLite, PostgreSQL, MariaDB): one migration
 * that creates the whole schema, recorded as applied without running; a fresh database upgraded
 * from it has the same catalog as the original, and the original keeps every row.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { introspect } from '../../src/introspect';
import { tablesLeftOut } from '../../src/runner/bookkeeping';
import { freshDatabase, type FreshDatabase } from '../helpers/databases';
import { testDialects } from '../helpers/dialects';
import { expectUserError, kiln, makeProject, rmProject, type RunResult } from '../helpers/cli';
import { chinookTable, chinookTables, loadChinook } from './chinook';

const show = (r: RunResult) => `exit ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`;

describe.each(testDialects().map((d) => [d.name, d] as const))('baseline of Chinook on %s', (name, dialect) => {
  let original: FreshDatabase;
  let fresh: FreshDatabase;
  let dir: string;

  beforeAll(async () => {
    original = await freshDatabase(dialect);
    fresh = await freshDatabase(dialect);
    await loadChinook(original.connect(), name);
    dir = makeProject({ 'kiln.config.ts': 'export default {};\n', 'migrations/.keep': '' });
  }, 120000);
  afterAll(async () => {
    await original.cleanup();
    await fresh.cleanup();
    rmProject(dir);
  });

  test('a fresh database upgraded from the baseline equals the original; the original is stamped, not touched', async () => {
    const env = { DATABASE_URL: original.url };
    let r = await kiln(['db', 'baseline', '-m', 'baseline'], { cwd: dir, env });
    expect(r.code === 0 ? '' : show(r)).toBe('');
    const files = fs.readdirSync(path.join(dir, 'migrations')).filter((f) => f.endsWith('.ts'));
    expect(files).toHaveLength(1);
    const id = files[0].replace(/\.ts$/, '');
    expect(r.stdout).toContain(`Stamped ${files[0]}`);
    expect(r.stdout).toContain('Baseline of 11 table(s)');
    r = await kiln(['db', 'current'], { cwd: dir, env });
    expect(r.stdout.trim()).toBe(`${id} (head)`);
    const knex = original.connect();
    expect(Number((await knex(chinookTable(name, 'Track')).count({ n: '*' }))[0].n)).toBe(3503);

    r = await kiln(['db', 'upgrade'], { cwd: dir, env: { DATABASE_URL: fresh.url } });
    expect(r.code === 0 ? '' : show(r)).toBe('');
    const options = { ignoreTables: tablesLeftOut('knex_migrations') };
    const before = await introspect(knex, name, options);
    const after = await introspect(fresh.connect(), name, options);
    expect(before.tables.map((t) => t.name).sort()).toEqual([...chinookTables(name)].sort());
    expect(after).toEqual(before);

    // A second baseline is refused: the history exists now.
    r = await kiln(['db', 'baseline'], { cwd: dir, env });
    expectUserError(r, /a baseline starts a history, and the migrations folder already holds 1 migration/);
  }, 120000);
});
