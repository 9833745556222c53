/**
 * What kiln leaves on disk: whole files or none (a failing write under a real file size limit),
 * one revision per id, one migration for two `db migrate` at once, and no empty `data.db` after a
 * failed command. Real binary, SQLite.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { expectUserError, handMigration, kiln, KILN_BIN, makeProject, rmProject, run, writeFile, type RunResult } from '../helpers/cli';

const CONFIG = "export default { models: 'models' };\n";

/** Enough columns that the generated migration is well over 1 KiB. */
const WIDE_MODEL = `import { model, Integer, String, Text } from 'kiln';
export const Ledger = model('Ledger', {
  id: Integer().primaryKey(),
${Array.from({ length: 30 }, (_, i) => `  column_number_${i}: String(40).index(),`).join('\n')}
  note: Text(),
});
`;

/**
 * Runs kiln with a file size limit of `blocks` KiB (bash's `ulimit -f`), SIGXFSZ ignored: a
 * write past the limit fails with EFBIG, as on a full disk.
 */
function kilnUnderSizeLimit(blocks: number, args: string[], cwd: string): Promise<RunResult> {
  const quoted = [process.execPath, KILN_BIN, ...args].map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(' ');
  return run('bash', ['-c', `trap '' XFSZ; ulimit -f ${blocks}; exec ${quoted}`], { cwd, env: { KILN_CACHE_DIR: path.join(cwd, '.cache') } });
}

/** Every file under `dir` (relative), cache excluded. */
function filesIn(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const rel = path.relative(dir, path.join(d, e.name));
      if (rel === '.cache') continue;
      if (e.isDirectory()) walk(path.join(d, e.name));
      else out.push(rel);
    }
  };
  walk(dir);
  return out.sort();
}

describe('nothing half-written stays behind (file size limit as a full disk)', () => {
  let dir: string;
  afterEach(() => rmProject(dir));

  test('db migrate: non-zero exit, one error line, no temp, partial or empty migration', async () => {
    dir = makeProject({ 'kiln.config.ts': CONFIG, 'models/ledger.ts': WIDE_MODEL, 'migrations/.gitkeep': '' });
    // Warm the transform cache without a limit, so the limited run only writes the migration.
    expect((await kiln(['db', 'check'], { cwd: dir, env: { KILN_CACHE_DIR: path.join(dir, '.cache') } })).code).toBe(1);
    const before = filesIn(dir);
    const r = await kilnUnderSizeLimit(1, ['db', 'migrate', '-m', 'ledger'], dir);
    expectUserError(r, /^error: cannot write migrations\/\d{14}_ledger\.ts: EFBIG.*nothing was written$/);
    expect(filesIn(dir)).toEqual(before);
    // And without the limit the same command works: nothing left behind blocks it.
    const ok = await kiln(['db', 'migrate', '-m', 'ledger'], { cwd: dir });
    expect(ok.code).toBe(0);
    expect(fs.readdirSync(path.join(dir, 'migrations')).filter((f) => f.endsWith('.ts'))).toHaveLength(1);
  });

  test('db revision: non-zero exit, one error line, no empty migration that breaks later commands', async () => {
    dir = makeProject({ 'kiln.config.ts': CONFIG, 'models/.gitkeep': '', 'migrations/.gitkeep': '' });
    const r = await kilnUnderSizeLimit(0, ['db', 'revision', '-m', 'by hand'], dir);
    expectUserError(r, /^error: cannot write migrations\/\d{14}_by_hand\.ts: EFBIG.*nothing was written$/);
    expect(fs.readdirSync(path.join(dir, 'migrations'))).toEqual(['.gitkeep']);
    const up = await kiln(['db', 'upgrade'], { cwd: dir });
    expect(up.stderr).toBe('');
    expect(up.code).toBe(0);
  });

  test('db pull: the files written before the failing one (on the writer thread) are undone; the folder is as it was', async () => {
    const small = "import { model, Integer } from 'kiln';\nexport const ASmall = model('ASmall', { id: Integer().primaryKey() });\n";
    dir = makeProject({ 'kiln.config.ts': CONFIG, 'models/a_small.ts': small, 'models/ledger.ts': WIDE_MODEL, 'migrations/.gitkeep': '' });
    expect((await kiln(['db', 'migrate', '-m', 'init'], { cwd: dir })).code).toBe(0);
    expect((await kiln(['db', 'upgrade'], { cwd: dir })).code).toBe(0);
    // a-small.ts (under 1 KiB) is written first, ledger.ts then fails: a folder made by the pull goes...
    expect((await kiln(['db', 'check'], { cwd: dir, env: { KILN_CACHE_DIR: path.join(dir, '.cache') } })).code).toBe(0);
    const before = filesIn(dir);
    const r = await kilnUnderSizeLimit(1, ['db', 'pull', '--out', 'pulled'], dir);
    expectUserError(r, /^error: cannot write the model files in pulled: ledger\.ts: EFBIG: file too large.*; nothing was written$/);
    expect(filesIn(dir)).toEqual(before);
    // ... and a folder that was there keeps only what it had.
    fs.mkdirSync(path.join(dir, 'pulled'));
    fs.writeFileSync(path.join(dir, 'pulled', 'mine.ts'), '// mine\n');
    const again = await kilnUnderSizeLimit(1, ['db', 'pull', '--out', 'pulled'], dir);
    expectUserError(again, /^error: cannot write the model files in pulled: ledger\.ts: EFBIG.*; nothing was written$/);
    expect(fs.readdirSync(path.join(dir, 'pulled'))).toEqual(['mine.ts']);
    // Without the limit the pull writes both.
    const ok = await kiln(['db', 'pull', '--out', 'pulled'], { cwd: dir });
    expect(ok.stderr).toBe('');
    expect(fs.readdirSync(path.join(dir, 'pulled')).sort()).toEqual(['a-small.ts', 'ledger.ts', 'mine.ts']);
  });

  test('db init: non-zero exit, no empty kiln.config.ts or model file; a second init works', async () => {
    dir = makeProject();
    const r = await kilnUnderSizeLimit(0, ['db', 'init'], dir);
    expectUserError(r, /^error: cannot write .*EFBIG.*nothing was written$/);
    for (const f of filesIn(dir)) expect(fs.statSync(path.join(dir, f)).size).toBe(0);
    expect(filesIn(dir).filter((f) => !f.endsWith('.gitkeep'))).toEqual([]);
    const ok = await kiln(['db', 'init'], { cwd: dir });
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'kiln.config.ts'), 'utf8')).toContain('defineConfig');
  });
});

describe('one revision, one file', () => {
  let dir: string;
  afterEach(() => rmProject(dir));

  test('X_init.ts and X_init.js are refused, naming both files', async () => {
    dir = makeProject({ 'kiln.config.ts': CONFIG });
    writeFile(dir, 'migrations/20260101000000_init.ts', handMigration('init', "  await knex.schema.createTable('a', (t) => { t.increments('id'); });", "  await knex.schema.dropTable('a');"));
    writeFile(dir, 'migrations/20260101000000_init.js', "exports.up = async (knex) => { await knex.schema.createTable('b', (t) => { t.increments('id'); }); };\nexports.down = async () => {};\n");
    for (const args of [['db', 'upgrade'], ['db', 'history'], ['db', 'current']]) {
      const r = await kiln(args, { cwd: dir });
      expectUserError(r, /^error: revision 20260101000000_init exists twice in migrations: 20260101000000_init\.js and 20260101000000_init\.ts$/);
    }
    expect(fs.existsSync(path.join(dir, 'data.db'))).toBe(false);
  });
});

describe('two db migrate at once', () => {
  let dir: string;
  afterEach(() => rmProject(dir));

  test('write one migration, and the second run says the database is not up to date', async () => {
    dir = makeProject({ 'kiln.config.ts': CONFIG, 'models/ledger.ts': WIDE_MODEL, 'migrations/.gitkeep': '' });
    // The database must exist for both runs to be at head (an empty one at <base>).
    expect((await kiln(['db', 'stamp', 'base'], { cwd: dir })).code).toBe(0);
    for (let round = 0; round < 3; round++) {
      for (const f of fs.readdirSync(path.join(dir, 'migrations'))) if (f !== '.gitkeep') fs.unlinkSync(path.join(dir, 'migrations', f));
      const [a, b] = await Promise.all([kiln(['db', 'migrate', '-m', 'a'], { cwd: dir }), kiln(['db', 'migrate', '-m', 'a'], { cwd: dir })]);
      const written = fs.readdirSync(path.join(dir, 'migrations')).filter((f) => f !== '.gitkeep');
      expect(written).toHaveLength(1);
      expect(written[0]).toMatch(/^\d{14}_a\.ts$/);
      const [ok, refused] = a.code === 0 ? [a, b] : [b, a];
      expect(ok.code).toBe(0);
      expect(ok.stdout).toContain(`Generating ${path.join(dir, 'migrations', written[0])} ... done`);
      expectUserError(refused, /^error: database is not up to date: 1 migration\(s\) pending$/);
    }
  });
});

describe('no empty data.db after a command that wrote nothing', () => {
  let dir: string;
  afterEach(() => rmProject(dir));

  test('a failing upgrade on a fresh SQLite path leaves no data.db', async () => {
    dir = makeProject({ 'kiln.config.ts': CONFIG, 'migrations/20260101000000_bad.js': "exports.up = async () => { throw new Error('boom'); };\nexports.down = async () => {};\n" });
    const r = await kiln(['db', 'upgrade'], { cwd: dir });
    expectUserError(r, /^error: migration migrations\/20260101000000_bad\.js failed: boom/);
    expect(fs.existsSync(path.join(dir, 'data.db'))).toBe(false);
  });

  test.each([[['db', 'current']], [['db', 'stamp', 'nosuch']], [['db', 'downgrade']], [['db', 'seed']], [['initdb']]])('%j in a folder with no database leaves none', async (args) => {
    dir = makeProject({ 'kiln.config.ts': CONFIG, 'migrations/.gitkeep': '' });
    await kiln(args, { cwd: dir });
    expect(fs.existsSync(path.join(dir, 'data.db'))).toBe(false);
  });

  test('a database that a command filled stays', async () => {
    dir = makeProject({ 'kiln.config.ts': CONFIG, 'migrations/20260101000000_note.js': "exports.up = (k) => k.schema.createTable('note', (t) => { t.increments('id'); });\nexports.down = (k) => k.schema.dropTable('note');\n" });
    expect((await kiln(['db', 'upgrade'], { cwd: dir })).code).toBe(0);
    expect(fs.statSync(path.join(dir, 'data.db')).size).toBeGreaterThan(0);
  });
});
