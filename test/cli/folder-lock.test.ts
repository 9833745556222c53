/**
 * The migrations folder's generation lock (`db migrate`): a second run waiting on it says so
 * after a second, as `db upgrade` does for the database lock, instead of a silent wait of up
 * to the lock timeout; a lock whose process is gone is taken over.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { kiln, makeProject, rmProject } from '../helpers/cli';

const MODELS = "import { table, Integer } from 'kiln';\nexport const T = table('t', { id: Integer().primaryKey() });\n";

let dir: string;
beforeEach(() => {
  dir = makeProject({ 'kiln.config.ts': "export default { models: 'models' };\n", 'models/m.ts': MODELS, 'migrations/.keep': '' });
});
afterEach(() => rmProject(dir));

test('a db migrate waiting on the folder lock says so, then fails naming the lock file', async () => {
  // Held by a live process: this test's own.
  fs.writeFileSync(path.join(dir, 'migrations', '.kiln-migrate.lock'), `${process.pid}\n`);
  const r = await kiln(['db', 'migrate', '-m', 'a'], { cwd: dir, env: { KILN_LOCK_TIMEOUT: '3' } });
  expect(r.code).not.toBe(0);
  expect(r.stderr).toMatch(/^waiting for another 'kiln db migrate' writing to migrations \(lock file \.kiln-migrate\.lock\)/m);
  expect(r.stderr).toMatch(/^error: another 'kiln db migrate' is writing to migrations/m);
  expect(fs.readdirSync(path.join(dir, 'migrations')).filter((f) => f.endsWith('.ts'))).toEqual([]);
});

test('a lock left by a process that is gone is taken over at once, silently', async () => {
  fs.writeFileSync(path.join(dir, 'migrations', '.kiln-migrate.lock'), '999999999\n');
  const r = await kiln(['db', 'migrate', '-m', 'a'], { cwd: dir, env: { KILN_LOCK_TIMEOUT: '3' } });
  expect(r.code).toBe(0);
  expect(r.stderr).not.toMatch(/waiting/);
  expect(fs.readdirSync(path.join(dir, 'migrations')).filter((f) => f.endsWith('_a.ts'))).toHaveLength(1);
  expect(fs.existsSync(path.join(dir, 'migrations', '.kiln-migrate.lock'))).toBe(false);
});

test('waiters that find one stale lock take it over one at a time: one migration file, no lock or stale file left', async () => {
  fs.writeFileSync(path.join(dir, 'migrations', '.kiln-migrate.lock'), '999999999\n');
  const runs = await Promise.all([0, 1, 2, 3].map(() => kiln(['db', 'migrate', '-m', 'a'], { cwd: dir, env: { KILN_LOCK_TIMEOUT: '30' } })));
  // One run writes the migration; the others find it pending once the lock is theirs.
  expect(runs.filter((r) => r.code === 0)).toHaveLength(1);
  for (const r of runs.filter((x) => x.code !== 0)) expect(r.stderr).toMatch(/^error: database is not up to date/m);
  const left = fs.readdirSync(path.join(dir, 'migrations'));
  expect(left.filter((f) => f.endsWith('_a.ts'))).toHaveLength(1);
  expect(left.filter((f) => f.startsWith('.kiln-migrate.lock'))).toEqual([]);
}, 120000);
