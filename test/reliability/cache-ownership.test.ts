/**
 * The transform and V8 caches hold code kiln runs: a cache folder or entry another user owns,
 * or one that others can write, is never read (a planted entry's code does not run) and is
 * reported with a warning; kiln's own cache folders are 0700 and their files 0600.
 * Runs as root in CI: chown to uid 65534 (nobody) plays "another user".
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { kiln, makeProject, rmProject } from '../helpers/cli';

const CONFIG = "export default { database: 'sqlite:///app.db' };\n";
const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;

/** The transform cache's name for `file` (src/loader/require-ts.ts: TRANSFORM_VERSION '1'). */
function transformKey(file: string, source: string): string {
  return crypto.createHash('sha1').update('1').update('\0').update(file).update('\0').update(source).digest('hex');
}

describe('cache ownership', () => {
  let dir: string;
  let home: string;
  let cache: string;
  let env: Record<string, string | undefined>;

  beforeEach(() => {
    dir = makeProject({ 'package.json': '{"name":"p","private":true}\n', 'kiln.config.ts': CONFIG, 'migrations/.keep': '' });
    home = makeProject();
    cache = path.join(dir, 'node_modules', '.cache', 'kiln');
    env = { KILN_CACHE_DIR: undefined, XDG_CACHE_HOME: home, DATABASE_URL: undefined };
  });
  afterEach(() => {
    rmProject(dir);
    rmProject(home);
  });

  /** Plants a transform-cache entry for kiln.config.ts whose code writes PWNED. */
  function plant(folder: string): string {
    fs.mkdirSync(folder, { recursive: true });
    const file = path.join(dir, 'kiln.config.ts');
    const entry = path.join(folder, `${transformKey(file, CONFIG)}.js`);
    fs.writeFileSync(entry, `require('fs').writeFileSync(${JSON.stringify(path.join(dir, 'PWNED'))}, 'x'); exports.default = {};\n`);
    return entry;
  }

  test('the planted entry runs when the folder is trusted (the test plants the right key)', async () => {
    plant(cache);
    const r = await kiln(['db', 'current'], { cwd: dir, env });
    expect(r.code).toBe(0);
    expect(fs.existsSync(path.join(dir, 'PWNED'))).toBe(true);
  });

  (asRoot ? test : test.skip)('a cache folder owned by another user is not used', async () => {
    plant(cache);
    fs.chownSync(cache, 65534, 65534);
    const r = await kiln(['db', 'current'], { cwd: dir, env });
    expect(r.code).toBe(0);
    expect(fs.existsSync(path.join(dir, 'PWNED'))).toBe(false);
    expect(r.stderr).toMatch(/warning: not using the kiln cache .*owned by another user \(uid 65534\)/);
    // The user's own cache folder is used instead.
    expect(fs.readdirSync(path.join(home, 'kiln')).some((f) => f.endsWith('.js'))).toBe(true);
  });

  (asRoot ? test : test.skip)('a node_modules owned by another user is not used', async () => {
    plant(cache);
    fs.chownSync(path.join(dir, 'node_modules'), 65534, 65534);
    const r = await kiln(['db', 'current'], { cwd: dir, env });
    expect(r.code).toBe(0);
    expect(fs.existsSync(path.join(dir, 'PWNED'))).toBe(false);
    expect(r.stderr).toMatch(/warning: not using the kiln cache .*node_modules is owned by another user/);
  });

  test('a cache folder writable by others is not used', async () => {
    plant(cache);
    fs.chmodSync(cache, 0o777);
    const r = await kiln(['db', 'current'], { cwd: dir, env });
    expect(r.code).toBe(0);
    expect(fs.existsSync(path.join(dir, 'PWNED'))).toBe(false);
    expect(r.stderr).toMatch(/warning: not using the kiln cache .*writable by other users \(mode 777\)/);
  });

  test('a project folder writable by others (no sticky bit) is not used', async () => {
    plant(cache);
    fs.chmodSync(dir, 0o777);
    const r = await kiln(['db', 'current'], { cwd: dir, env });
    expect(r.code).toBe(0);
    expect(fs.existsSync(path.join(dir, 'PWNED'))).toBe(false);
    expect(r.stderr).toMatch(/warning: not using the kiln cache/);
  });

  (asRoot ? test : test.skip)('an entry owned by another user in a trusted folder is ignored', async () => {
    const entry = plant(cache);
    fs.chownSync(entry, 65534, 65534);
    const r = await kiln(['db', 'current'], { cwd: dir, env });
    expect(r.code).toBe(0);
    expect(fs.existsSync(path.join(dir, 'PWNED'))).toBe(false);
    expect(r.stderr).toMatch(/warning: ignoring the kiln cache entry .*owned by another user/);
  });

  test('an entry writable by others is ignored', async () => {
    const entry = plant(cache);
    fs.chmodSync(entry, 0o666);
    const r = await kiln(['db', 'current'], { cwd: dir, env });
    expect(r.code).toBe(0);
    expect(fs.existsSync(path.join(dir, 'PWNED'))).toBe(false);
    expect(r.stderr).toMatch(/warning: ignoring the kiln cache entry .*writable by other users/);
  });

  test('kiln creates its cache folders 0700 and entries 0600', async () => {
    const r = await kiln(['db', 'current'], { cwd: dir, env });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(fs.statSync(cache).mode & 0o777).toBe(0o700);
    const walk = (d: string): string[] =>
      fs.readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? [path.join(d, e.name), ...walk(path.join(d, e.name))] : [path.join(d, e.name)]));
    const all = walk(cache);
    expect(all.some((f) => f.endsWith('.js'))).toBe(true);
    expect(all.some((f) => f.endsWith('.bin'))).toBe(true);
    for (const f of all) expect([f, fs.statSync(f).mode & 0o777]).toEqual([f, fs.statSync(f).isDirectory() ? 0o700 : 0o600]);
  });
});
