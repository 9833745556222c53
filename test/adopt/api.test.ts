/**
 * Issue 13, item 5: `import { upgrade, downgrade, check, autogenerate } from 'kiln'`: the CLI's
 * use cases as typed functions, on every dialect; and the README's jest `globalSetup` example,
 * run as written in a project of its own by a real jest.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { autogenerate, check, downgrade, isKilnError, upgrade, type CheckResult, type KilnOptions } from 'kiln';
import { freshDatabase, type FreshDatabase } from '../helpers/databases';
import { testDialects } from '../helpers/dialects';
import { copyExample, makeProject, REPO, rmProject, run, writeFile } from '../helpers/cli';

const MODEL = "import { model, Integer, String } from 'kiln';\nexport const Memo = model('Memo', { id: Integer().primaryKey(), title: String(40) });\n";

describe.each(testDialects().map((d) => [d.name, d] as const))('the API on %s', (_name, dialect) => {
  let db: FreshDatabase;
  let dir: string;
  beforeAll(async () => {
    db = await freshDatabase(dialect);
    dir = makeProject({ 'kiln.config.ts': "export default { database: 'sqlite:///not-this.db' };\n", 'models/memo.ts': MODEL, 'migrations/.keep': '' });
  });
  afterAll(async () => {
    await db.cleanup();
    rmProject(dir);
  });

  test('autogenerate, upgrade, check, downgrade: the CLI use cases, typed, printing nothing unless asked', async () => {
    const lines: string[] = [];
    const options: KilnOptions = { cwd: dir, databaseUrl: db.url, onLine: (l) => lines.push(l) };
    const written = await autogenerate({ ...options, message: 'add memo' });
    expect(written.changes).toEqual(["added table 'memo'"]);
    expect(written.file).toMatch(/migrations[/\\]\d{14}_add_memo\.ts$/);
    expect(lines).toContain("Detected added table 'memo'");
    const id = path.basename(written.file!, '.ts');
    let result: CheckResult = await check(options);
    expect(result).toMatchObject({ inSync: false, pending: [id] });
    expect(await upgrade(options)).toEqual({ ran: [id] });
    result = await check(options);
    expect(result).toEqual({ inSync: true, pending: [], missing: [], changes: [] });
    expect(await autogenerate({ ...options, message: 'again' })).toEqual({ file: null, changes: [] });
    const badRename = await autogenerate({ ...options, message: 'x', renames: ['memo.nope=other'] }).catch((e: unknown) => e);
    expect(isKilnError(badRename) && badRename.message).toMatch(/^renames memo\.nope=other: no such removed and added pair/);
    expect(await downgrade({ ...options, target: 'base' })).toEqual({ ran: [id] });
    expect(fs.existsSync(path.join(dir, 'not-this.db'))).toBe(false);
    // A failure rejects with the CLI's KilnError.
    const failure = await autogenerate({ ...options, message: ' ' }).catch((e: unknown) => e);
    expect(isKilnError(failure) && failure.code).toBe('BAD_ARGUMENT');
  }, 180000);
});

/** The README's api-example blocks: a ```js block whose first line is `// <path>`. */
function readmeFiles(): Record<string, string> {
  const readme = fs.readFileSync(path.join(REPO, 'README.md'), 'utf8');
  const m = /<!-- api-example -->([\s\S]*?)<!-- \/api-example -->/.exec(readme);
  if (!m) throw new Error('README.md has no <!-- api-example --> section');
  const files: Record<string, string> = {};
  for (const [, body] of m[1].matchAll(/```js\n([\s\S]*?)```/g)) {
    const file = /^\/\/ (\S+\.js)\n/.exec(body);
    if (file) files[file[1]] = body;
  }
  return files;
}

test("the README's jest globalSetup example works as written", async () => {
  const files = readmeFiles();
  expect(Object.keys(files).sort()).toEqual(['jest.config.js', 'test/global-setup.js', 'test/schema.test.js']);
  const dir = copyExample();
  try {
    for (const [rel, content] of Object.entries(files)) writeFile(dir, rel, content);
    // The project depends on kiln: node_modules/kiln is this repository (its package.json "exports").
    fs.mkdirSync(path.join(dir, 'node_modules'));
    fs.symlinkSync(REPO, path.join(dir, 'node_modules', 'kiln'), 'dir');
    const jest = path.join(REPO, 'node_modules', 'jest', 'bin', 'jest.js');
    const r = await run(process.execPath, [jest, '--ci', '--colors=false'], { cwd: dir, env: { TEST_DATABASE_URL: undefined, DATABASE_URL: undefined, NODE_OPTIONS: undefined }, timeoutMs: 240000 });
    expect(r.code === 0 ? '' : `exit ${r.code}\n${r.stdout}\n${r.stderr}`).toBe('');
    expect(r.stdout + r.stderr).toMatch(/migrated the test database: \d{14}_/);
    expect(r.stderr).toMatch(/Tests:\s+1 passed, 1 total/);
    expect(fs.existsSync(path.join(dir, 'test.db'))).toBe(true);
  } finally {
    rmProject(dir);
  }
}, 300000);
