/**
 * `db pull`'s writer thread (src/app/pull-writer.ts), as the binary runs it: the compiled module
 * from dist/ (under ts-jest the sources have no worker script, and the files are written on the
 * main thread once verified). Files are kept, undone on request at any moment, and a failure
 * undoes what was written; the folder ends as it was.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- the built module, with its worker script beside it
const { startWriting } = require(path.join(__dirname, '..', '..', 'dist', 'app', 'pull-writer.js')) as typeof import('../../src/app/pull-writer');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { writeStaged } = require(path.join(__dirname, '..', '..', 'dist', 'app', 'write-staged.js')) as typeof import('../../src/app/write-staged');

let root: string;
beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-writer-'));
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

const filesFor = (folder: string, n: number) =>
  Array.from({ length: n }, (_, i) => ({ file: path.join(folder, i % 10 === 9 ? 'views' : '', `m${String(i).padStart(4, '0')}.ts`), source: `export const M${i} = ${i};\n` }));

const listing = (dir: string): string[] => (fs.existsSync(dir) ? (fs.readdirSync(dir, { recursive: true }) as string[]).sort() : []);

test('kept: every file is there with its content, written by another thread', async () => {
  const folder = path.join(root, 'models');
  const files = filesFor(folder, 300);
  const w = startWriting(folder, files, new Set());
  await w.written();
  w.keep();
  for (const f of files) expect(fs.readFileSync(f.file, 'utf8')).toBe(f.source);
  expect(listing(folder)).toHaveLength(300 + 1); // and the views/ subfolder
});

test('abandoned after writing: the folder it made is gone; a folder that was there keeps only its own files', async () => {
  const made = path.join(root, 'made');
  let w = startWriting(made, filesFor(made, 200), new Set());
  await w.written();
  w.abandon();
  expect(fs.existsSync(made)).toBe(false);

  const mine = path.join(root, 'mine');
  fs.mkdirSync(mine);
  fs.writeFileSync(path.join(mine, 'm0003.ts'), 'mine\n');
  const files = filesFor(mine, 200);
  w = startWriting(mine, files, new Set([files[3].file]));
  await w.written();
  expect(fs.readFileSync(files[3].file, 'utf8')).toBe(files[3].source);
  w.abandon();
  expect(listing(mine)).toEqual(['m0003.ts']);
  expect(fs.readFileSync(files[3].file, 'utf8')).toBe('mine\n');
});

test('abandoned at once (the verification failed before the thread got far): nothing stays', async () => {
  for (let i = 0; i < 5; i++) {
    const folder = path.join(root, `at-once-${i}`);
    const w = startWriting(folder, filesFor(folder, 2000), new Set());
    w.abandon();
    expect(fs.existsSync(folder)).toBe(false);
    await expect(w.written()).rejects.toThrow(/undone|cancelled/);
  }
});

test('a write that fails (a file appeared meanwhile) undoes the others and says which file', async () => {
  const folder = path.join(root, 'models');
  fs.mkdirSync(folder);
  const files = filesFor(folder, 100);
  fs.writeFileSync(files[50].file, 'someone else\n');
  const w = startWriting(folder, files, new Set());
  await expect(w.written()).rejects.toThrow(/EEXIST.*m0050\.ts/);
  expect(listing(folder)).toEqual(['m0050.ts']);
  expect(fs.readFileSync(files[50].file, 'utf8')).toBe('someone else\n');
  w.abandon(); // after a failure: nothing more to undo
  expect(listing(folder)).toEqual(['m0050.ts']);
});

test("an undo leaves another process's files in a folder the pull made (it is removed only when empty)", () => {
  const folder = path.join(root, 'made', 'models');
  const files = filesFor(folder, 20);
  let calls = 0;
  // Between two files, another process writes into the folder this call made; then this call is cancelled.
  const cancelled = () => {
    if (++calls < 5) return false;
    fs.writeFileSync(path.join(folder, 'theirs.ts'), 'theirs\n');
    return true;
  };
  expect(() => writeStaged(folder, files, new Set(), cancelled)).toThrow(/cancelled/);
  expect(listing(path.join(root, 'made'))).toEqual(['models', 'models/theirs.ts']);
  // Alone, the same undo removes every folder it made, up to the first one.
  const alone = path.join(root, 'alone', 'models');
  expect(() => writeStaged(alone, filesFor(alone, 20), new Set(), () => ++calls > 8)).toThrow(/cancelled/);
  expect(fs.existsSync(path.join(root, 'alone'))).toBe(false);
});

describe('two kiln db pull into the same new folder at once', () => {
  const TABLES = 300;
  beforeEach(async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const sqlite3 = require('sqlite3') as typeof import('sqlite3');
    const db = new sqlite3.Database(path.join(root, 'data.db'));
    const ddl = Array.from({ length: TABLES }, (_, i) => `CREATE TABLE t${i} (id INTEGER PRIMARY KEY, name VARCHAR(40) NOT NULL);`).join('\n');
    await new Promise<void>((resolve, reject) => db.exec(ddl, (e) => (e ? reject(e) : resolve())));
    await new Promise<void>((resolve) => db.close(() => resolve()));
    fs.writeFileSync(path.join(root, 'kiln.config.ts'), "export default { database: 'sqlite:///data.db', models: 'models' };\n");
  });

  test('a pull that says it wrote its files has them all; one that failed left nothing of its own', async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { kiln } = require('../helpers/cli') as typeof import('../helpers/cli');
    for (let round = 0; round < 3; round++) {
      const pulled = path.join(root, 'pulled');
      const runs = await Promise.all([0, 1].map(() => kiln(['db', 'pull', '--out', 'pulled'], { cwd: root })));
      const ok = runs.filter((r) => r.code === 0);
      // The other either lost the race for a file (EEXIST) or started after the first had written (refused, with its hint).
      for (const r of runs.filter((x) => x.code !== 0)) expect(r.stderr).toMatch(/^error: (cannot write the model files in pulled: .*EEXIST|refusing to overwrite existing model files).*nothing was written\n(hint: .*\n)?$/);
      expect(ok.length).toBeLessThanOrEqual(1);
      if (ok.length === 1) expect(fs.readdirSync(pulled)).toHaveLength(TABLES);
      else expect(fs.existsSync(pulled) ? fs.readdirSync(pulled) : []).toEqual([]);
      fs.rmSync(pulled, { recursive: true, force: true });
    }
  }, 120_000);
});

describe('Ctrl-C during kiln db pull', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { spawn } = require('node:child_process') as typeof import('node:child_process');
  const TABLES = 400;

  beforeEach(async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const sqlite3 = require('sqlite3') as typeof import('sqlite3');
    const db = new sqlite3.Database(path.join(root, 'data.db'));
    const ddl = Array.from({ length: TABLES }, (_, i) => `CREATE TABLE t${i} (id INTEGER PRIMARY KEY, name VARCHAR(40) NOT NULL, note TEXT);`).join('\n');
    await new Promise<void>((resolve, reject) => db.exec(ddl, (e) => (e ? reject(e) : resolve())));
    await new Promise<void>((resolve) => db.close(() => resolve()));
    fs.writeFileSync(path.join(root, 'kiln.config.ts'), "export default { database: 'sqlite:///data.db', models: 'models' };\n");
  });

  const pullInterruptedAfter = (ms: number) =>
    new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [path.join(__dirname, '..', '..', 'bin', 'run.js'), 'db', 'pull', '--out', 'pulled'], { cwd: root, env: { ...process.env, CI: 'true', DEBUG: '' } });
      let stderr = '';
      child.stderr.on('data', (d) => (stderr += d));
      child.stdout.resume();
      const timer = setTimeout(() => child.kill('SIGINT'), ms);
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        resolve({ code, signal, stderr });
      });
    });

  test('at any moment: all the files, or none and the folder as it was', async () => {
    const outcomes = new Map<string, number>();
    for (let ms = 100; ms <= 2500; ms += 60) {
      const r = await pullInterruptedAfter(ms);
      const pulled = path.join(root, 'pulled');
      if (fs.existsSync(pulled)) {
        // Finished (or interrupted after the files were kept, while it printed): every file is there.
        expect(fs.readdirSync(pulled)).toHaveLength(TABLES);
        outcomes.set('complete', (outcomes.get('complete') ?? 0) + 1);
        fs.rmSync(pulled, { recursive: true });
        continue;
      }
      if (r.signal === 'SIGINT') {
        outcomes.set('killed before writing', (outcomes.get('killed before writing') ?? 0) + 1);
      } else {
        expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 130, stderr: 'error: interrupted (Ctrl-C): nothing was written\n' });
        outcomes.set('undone', (outcomes.get('undone') ?? 0) + 1);
      }
    }
    // The sweep crosses the window in which the files are being written and verified, and ends after the pull.
    expect(outcomes.get('undone') ?? 0).toBeGreaterThan(0);
    expect(outcomes.get('complete') ?? 0).toBeGreaterThan(0);
  }, 180_000);
});
