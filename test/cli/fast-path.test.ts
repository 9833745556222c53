/**
 * `kiln db current` and a no-op `kiln db upgrade` on SQLite answer without oclif or Knex
 * (src/cli/fast.ts). In every state they must print, exit and change exactly what the full
 * commands (KILN_NO_FAST_PATH=1) do.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { copyExample, expectUserError, handMigration, kiln, makeProject, rmProject, run, writeFile } from '../helpers/cli';

const CONFIG = "export default { database: 'sqlite:///data.db', migrations: 'migrations' };\n";
const mig = (t: string) => handMigration(`create ${t}`, `  await knex.schema.createTable('${t}', (x) => { x.increments('id'); });`, `  await knex.schema.dropTable('${t}');`);

async function both(dir: string, args: string[], env: Record<string, string> = {}) {
  const full = await kiln(args, { cwd: dir, env: { ...env, KILN_NO_FAST_PATH: '1' } });
  const fast = await kiln(args, { cwd: dir, env });
  expect(fast).toEqual(full);
  return fast;
}

function sqlite(dir: string, sql: string): Promise<unknown> {
  const script = `const s=require('sqlite3');const d=new s.Database(${JSON.stringify(path.join(dir, 'data.db'))});d.exec(${JSON.stringify(sql)},e=>{if(e){console.error(e.message);process.exit(1)}d.close()})`;
  return run(process.execPath, ['-e', script], { cwd: path.resolve(__dirname, '..', '..') });
}

describe('fast path of db current / no-op db upgrade', () => {
  let dir: string;
  beforeEach(() => {
    dir = makeProject({ 'kiln.config.ts': CONFIG, 'migrations/20260101000001_a.ts': mig('a'), 'migrations/20260101000002_b.ts': mig('b') });
  });
  afterEach(() => rmProject(dir));

  test('no database file, then at head, then not at head, then a missing file', async () => {
    expect((await both(dir, ['db', 'current'])).stdout).toBe('<base>\n');
    expect(fs.existsSync(path.join(dir, 'data.db'))).toBe(false);
    expect((await kiln(['db', 'upgrade', '+1'], { cwd: dir })).code).toBe(0);
    expect((await both(dir, ['db', 'current'])).stdout).toBe('20260101000001_a\n');
    expect((await kiln(['db', 'upgrade'], { cwd: dir })).code).toBe(0);
    expect((await both(dir, ['db', 'current'])).stdout).toBe('20260101000002_b (head)\n');
    expect((await both(dir, ['db', 'upgrade'])).stdout).toBe('Nothing to upgrade: database is at 20260101000002_b (head).\n');
    expect((await both(dir, ['db', 'upgrade', 'head'])).code).toBe(0);
    // an older file added later (merged from another branch): refused, not run out of order (issue 15)
    writeFile(dir, 'migrations/20250101000000_z.ts', mig('z'));
    expect((await both(dir, ['db', 'current'])).stdout).toBe('20260101000002_b (head)\n');
    expectUserError(await both(dir, ['db', 'upgrade']), /pending migration 20250101000000_z\.ts is ordered before applied migration 20260101000001_a\.ts: run 'kiln db rebase'/);
    expect((await both(dir, ['db', 'current'])).stdout).toBe('20260101000002_b (head)\n');
    fs.unlinkSync(path.join(dir, 'migrations/20250101000000_z.ts'));
    fs.unlinkSync(path.join(dir, 'migrations/20260101000002_b.ts'));
    const missing = await both(dir, ['db', 'current']);
    expect(missing.stderr).toContain('missing');
    expect((await both(dir, ['db', 'upgrade'])).code).not.toBe(0);
  }, 60000);

  test("Knex's lock row taken, a locked database", async () => {
    expect((await kiln(['db', 'upgrade'], { cwd: dir })).code).toBe(0);
    await sqlite(dir, 'update knex_migrations_lock set is_locked = 1');
    const locked = await both(dir, ['db', 'upgrade']);
    expect(locked.code).not.toBe(0);
    expect(locked.stderr).toContain('is_locked = 1');
    await sqlite(dir, 'update knex_migrations_lock set is_locked = 0');
    // another process holds the write lock: both wait lockTimeout and report LOCKED
    const holder = `const s=require('sqlite3');const d=new s.Database(${JSON.stringify(path.join(dir, 'data.db'))});d.exec('BEGIN IMMEDIATE',()=>{console.log('held');setTimeout(()=>d.close(),4000)})`;
    const child = run(process.execPath, ['-e', holder], { cwd: path.resolve(__dirname, '..', '..') });
    await new Promise((r) => setTimeout(r, 800));
    const busy = await both(dir, ['db', 'upgrade'], { KILN_LOCK_TIMEOUT: '0' });
    expect(busy.code).not.toBe(0);
    expect(busy.stderr).toContain('another process is migrating');
    expect((await both(dir, ['db', 'current'])).stdout).toBe('20260101000002_b (head)\n');
    await child;
  }, 60000);

  test('db check: in sync, drift, pending, no database, models that do not load', async () => {
    const ex = copyExample();
    try {
      expect((await both(ex, ['db', 'check'])).code).toBe(1); // no database file: everything pending
      expect((await kiln(['db', 'upgrade'], { cwd: ex })).code).toBe(0);
      const ok = await both(ex, ['db', 'check']);
      expect(ok.code).toBe(0);
      expect(ok.stdout).toBe('No new upgrade operations detected.\n');
      writeFile(ex, 'models/zz-extra.ts', "import { model, Integer, String } from 'kiln';\nexport const Extra = model('Extra', { id: Integer().primaryKey(), name: String(20).notNull() });\n");
      const drift = await both(ex, ['db', 'check']);
      expect(drift.code).toBe(1);
      expect(drift.stdout).toContain("Detected added table 'extra'");
      writeFile(ex, 'migrations/29990101000000_later.ts', mig('later'));
      expect((await both(ex, ['db', 'check'])).stdout).toContain('1 migration(s) pending');
      writeFile(ex, 'models/zz-extra.ts', 'export const = ;\n');
      const broken = await both(ex, ['db', 'check']);
      expect(broken.code).not.toBe(0);
      expect(broken.stderr).toContain('cannot load model file');
    } finally {
      rmProject(ex);
    }
  }, 90000);

  test('db pull: the same files, lines, warnings and refusals as the full command', async () => {
    const ex = copyExample();
    try {
      expect((await kiln(['db', 'upgrade'], { cwd: ex })).code).toBe(0);
      const pullInto = async (out: string, args: string[], env: Record<string, string> = {}) => {
        const r = await kiln(['db', 'pull', '--out', out, ...args], { cwd: ex, env });
        return { ...r, stdout: r.stdout.split(out).join('OUT'), stderr: r.stderr.split(out).join('OUT') };
      };
      // every file of the folder, those of its subfolders (triggers/, views/) by relative path
      const files = (out: string) =>
        Object.fromEntries(
          (fs.readdirSync(path.join(ex, out), { recursive: true }) as string[])
            .filter((f) => fs.statSync(path.join(ex, out, f)).isFile())
            .map((f) => [f, fs.readFileSync(path.join(ex, out, f), 'utf8')]),
        );
      for (const args of [[], ['--tables', 'c*', '--exclude=comment'], ['--tables=country', '--tables', 'capital']]) {
        const full = await pullInto('full', args, { KILN_NO_FAST_PATH: '1' });
        const fast = await pullInto('fast', args);
        expect(fast).toEqual(full);
        expect(full.stderr).toBe("");
        expect(full.code).toBe(0);
        expect(full.stdout).toMatch(/^Wrote OUT\/\w+\.ts \(table '\w+'\)\n/);
        expect(files('fast')).toEqual(files('full'));
        // a second pull refuses to overwrite, then --force replaces
        const again = await pullInto('fast', args);
        expect(again).toEqual(await pullInto('full', args, { KILN_NO_FAST_PATH: '1' }));
        expectUserError(again, /refusing to overwrite existing model files/);
        expect(await pullInto('fast', [...args, '--force'])).toEqual(await pullInto('full', [...args, '--force'], { KILN_NO_FAST_PATH: '1' }));
        fs.rmSync(path.join(ex, 'fast'), { recursive: true });
        fs.rmSync(path.join(ex, 'full'), { recursive: true });
      }
      // nothing left to pull: one error line, as the full command says it
      const none = await pullInto('fast', ['--tables', 'no_such_table']);
      expect(none).toEqual(await pullInto('full', ['--tables', 'no_such_table'], { KILN_NO_FAST_PATH: '1' }));
      expectUserError(none, /--tables: no table or view named 'no_such_table' in the database/);
      // flags the fast path does not take go to oclif, which knows them (or refuses them)
      const json = await kiln(['db', 'pull', '--out', 'j', '--json'], { cwd: ex });
      expect(json.code).toBe(0);
      expect(JSON.parse(json.stdout).tables.length).toBeGreaterThan(10);
      expect((await kiln(['db', 'pull', '--out'], { cwd: ex })).stderr).toMatch(/--out/);
    } finally {
      rmProject(ex);
    }
  }, 120000);
});
