/**
 * Branches that merge (issue 15). Two git branches of the example project each generate a
 * migration against the same head; merged (in both orders), `db check`, `db upgrade` and
 * `db migrate` refuse the forked history naming both files, and `kiln db rebase` moves the
 * merged-in migration after the head. Afterwards every database upgrades to the same catalog:
 * the one at the old head, the one that applied the merged-in file under its old name (its row
 * is renamed), and a new one.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { copyExample, expectUserError, kiln, rmProject, run, writeFile } from '../helpers/cli';
import { freshDatabase, type FreshDatabase } from '../helpers/databases';
import { testDialects } from '../helpers/dialects';
import { addNoteTitle, addTeacherSon, catalogDifference, linkKiln, ok } from '../helpers/teams';

const git = (dir: string, ...args: string[]) => run('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], { cwd: dir }).then(ok);
const migrationsOf = (dir: string) => fs.readdirSync(path.join(dir, 'migrations')).filter((f) => f.endsWith('.ts')).sort();
const revisesOf = (dir: string, file: string) => / \* Revises: (.*)\n/.exec(fs.readFileSync(path.join(dir, 'migrations', file), 'utf8'))?.[1];

describe.each(testDialects().map((d) => [d.name, d] as const))('branches merged, then kiln db rebase, on %s', (_name, dialect) => {
  let dir: string;
  const dbs: FreshDatabase[] = [];
  afterEach(async () => {
    await Promise.all(dbs.splice(0).map((d) => d.cleanup()));
    rmProject(dir);
  });
  const fresh = async () => {
    const d = await freshDatabase(dialect);
    dbs.push(d);
    return d;
  };

  test.each([
    ['b merged into a (generated file regenerated)', 'a', 'b', false],
    ['a merged into b (edited file kept)', 'b', 'a', true],
  ] as const)('%s', async (_label, mine, theirs, editTheirs) => {
    dir = copyExample();
    linkKiln(dir);
    writeFile(dir, '.gitignore', 'node_modules\n*.db\n');
    const db = { a: await fresh(), b: await fresh(), fresh: await fresh() };
    const k = (d: FreshDatabase, ...args: string[]) => kiln(args, { cwd: dir, env: { DATABASE_URL: d.url } });
    await git(dir, 'init', '-q', '-b', 'main');
    await git(dir, 'add', '-A');
    await git(dir, 'commit', '-qm', 'base');
    // The example's history (the tutorial, then the shop); its head is what both branches revise.
    const baseFiles = migrationsOf(dir);
    const base = baseFiles[baseFiles.length - 1].replace(/\.ts$/, '');
    const made: Record<string, string> = {};
    for (const [branch, edit, message] of [['a', addTeacherSon, 'teacher son'], ['b', addNoteTitle, 'note title']] as const) {
      await git(dir, 'checkout', '-q', '-b', branch, 'main');
      ok(await k(db[branch], 'db', 'upgrade'));
      edit(dir);
      const before = new Set(migrationsOf(dir));
      ok(await k(db[branch], 'db', 'migrate', '-m', message));
      made[branch] = migrationsOf(dir).find((f) => !before.has(f))!;
      expect(revisesOf(dir, made[branch])).toBe(base);
      ok(await k(db[branch], 'db', 'upgrade'));
      await git(dir, 'add', '-A');
      await git(dir, 'commit', '-qm', message);
    }
    await git(dir, 'checkout', '-q', mine);
    await git(dir, 'merge', '-q', '--no-edit', theirs);
    if (editTheirs) fs.appendFileSync(path.join(dir, 'migrations', made[theirs]), '// reviewed by hand\n');

    // The forked history is refused, naming both files and the way out.
    const [x, y] = [made.a, made.b].sort();
    const forked = new RegExp(`history diverged: ${x.replace('.', '\\.')} and ${y.replace('.', '\\.')} were both generated against ${base}: run 'kiln db rebase'`);
    for (const args of [['db', 'check'], ['db', 'upgrade'], ['db', 'migrate', '-m', 'more']]) expectUserError(await k(db[mine], ...args), forked);
    expectUserError(await k(db.fresh, 'db', 'upgrade'), forked);
    expect(await db.fresh.connect().schema.hasTable('note')).toBe(false);

    // The fix: the merged-in migration moves after the head (this database applied `mine`).
    const r = ok(await k(db[mine], 'db', 'rebase'));
    const files = migrationsOf(dir);
    expect(files).toHaveLength(baseFiles.length + 2);
    expect(files.slice(0, -1)).toEqual([...baseFiles, made[mine]]);
    const moved = files[files.length - 1];
    expect(moved).not.toBe(made[theirs]);
    expect(moved.slice(15)).toBe(made[theirs].slice(15)); // same slug, new timestamp
    expect(r.stdout).toContain(`Moved ${made[theirs]} -> ${moved} (revises ${made[mine].replace(/\.ts$/, '')})`);
    expect(revisesOf(dir, moved)).toBe(made[mine].replace(/\.ts$/, ''));
    if (editTheirs) {
      expect(r.stderr).toContain(`warning: ${moved} keeps its body (edited or hand-written): check that its operations still fit on top of`);
      expect(fs.readFileSync(path.join(dir, 'migrations', moved), 'utf8')).toContain('// reviewed by hand');
    } else {
      expect(r.stdout).toContain('regenerated from the models on top of');
      expect(r.stderr).toBe('');
    }

    // Every database follows: at the old head, past the merged-in file (old name), new.
    expect(ok(await k(db[mine], 'db', 'upgrade')).stdout).toContain(`-> ${moved.replace(/\.ts$/, '')}`);
    expect(ok(await k(db[theirs], 'db', 'upgrade')).stdout).toContain(`-> ${made[mine].replace(/\.ts$/, '')}`);
    const rows = (await db[theirs].connect()('knex_migrations').select('name').orderBy('id')).map((row: { name: string }) => row.name);
    expect(rows).toEqual([...baseFiles, moved, made[mine]]);
    ok(await k(db.fresh, 'db', 'upgrade'));
    for (const d of [db.a, db.b, db.fresh]) {
      expect((await k(d, 'db', 'check')).stdout).toContain('No new upgrade operations detected.');
    }
    expect(await catalogDifference(db[mine].connect(), db.fresh.connect(), dialect.name)).toEqual([]);
    expect(await catalogDifference(db[theirs].connect(), db.fresh.connect(), dialect.name)).toEqual([]);
    expect((await k(db.fresh, 'db', 'rebase')).stdout).toContain('Nothing to rebase');
  }, 300000);
});
