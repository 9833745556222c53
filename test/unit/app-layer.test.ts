/**
 * The application layer (src/app/): each command's body exists once, as a function that reports
 * through a Progress and prints nothing; the runner below it reports events, not sentences,
 * and imports neither the app, the CLI nor autogenerate (the cycle autogenerate <-> runner).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { check } from '../../src/app/check';
import type { Progress } from '../../src/app/progress';
import { revision } from '../../src/app/revision';
import { downgrade, stamp, upgrade } from '../../src/app/upgrade';
import { loadConfig } from '../../src/config/load';
import { isKilnError } from '../../src/errors';
import { CommitThenInterrupt } from '../../src/runner/transaction';
import { freshDatabase } from '../helpers/databases';
import { makeProject, REPO, rmProject } from '../helpers/cli';
import { testDialects } from '../helpers/dialects';

const MODEL = `import { model, Integer, String } from 'kiln';
export const Note = model('Note', { id: Integer().primaryKey(), title: String(40) });
`;

function recorder(): Progress & { lines: string[]; warnings: string[] } {
  const lines: string[] = [];
  const warnings: string[] = [];
  return { lines, warnings, line: (l) => lines.push(l), warn: (w) => warnings.push(w) };
}

const sourceOf = (rel: string) => fs.readFileSync(path.join(REPO, rel), 'utf8');
const filesUnder = (rel: string): string[] =>
  fs.readdirSync(path.join(REPO, rel), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(path.join(rel, e.name)) : e.name.endsWith('.ts') ? [path.join(rel, e.name)] : []));

describe('the rooms', () => {
  test('src/runner imports neither src/app, src/cli nor src/autogenerate', () => {
    for (const file of filesUnder('src/runner')) {
      expect([file, sourceOf(file).match(/from '\.\.\/(?:app|cli)\/|from '\.\.\/autogenerate'/)?.[0]]).toEqual([file, undefined]);
    }
  });

  test('the runner prints no sentence of its own: the progress lines are the app layer\'s', () => {
    // offline.ts writes a SQL script (its `-- Running upgrade` comments are part of the script).
    for (const file of filesUnder('src/runner').filter((f) => !f.endsWith('offline.ts'))) {
      expect([file, /Running (?:up|down)grade |Nothing to (?:up|down)grade:|changed since \$\{/.test(sourceOf(file))]).toEqual([file, false]);
    }
  });

  test('commands and the fast path call the use cases, not the runner\'s run or autogenerate', () => {
    for (const file of [...filesUnder('src/commands'), 'src/cli/fast.ts', 'test/roundtrip/library.ts']) {
      expect([file, sourceOf(file).match(/runner\/run|autogenerate|renderMigration|migrationFileName/)?.[0]]).toEqual([file, undefined]);
    }
  });

  test('a run stopped at a migration boundary is a typed KilnError, not a flag on an Error', () => {
    const e = new CommitThenInterrupt('interrupted', { exit: 130 });
    expect(isKilnError(e) && e.code === 'INTERRUPTED' && e.exit === 130).toBe(true);
    expect(filesUnder('src/runner').filter((f) => /commit\?: boolean|\{ commit: true \}/.test(sourceOf(f)))).toEqual([]);
  });
});

describe('the use cases on SQLite', () => {
  test('revision, upgrade, check, downgrade and stamp report what the commands print', async () => {
    const db = await freshDatabase(testDialects().find((d) => d.name === 'sqlite')!);
    const dir = makeProject({ 'models/m.ts': MODEL });
    try {
      fs.mkdirSync(path.join(dir, 'migrations'));
      const config = await loadConfig({ cwd: dir, env: { DATABASE_URL: db.url } });
      const made = recorder();
      const { changes, file } = await revision({ config, message: 'notes' }, made);
      expect(changes.map((c) => c.kind)).toEqual(['createTable']);
      expect(made.lines).toEqual(["Detected added table 'note'", `Generating ${file} ... done`]);
      const id = path.basename(file!).replace(/\.ts$/, '');

      const up = recorder();
      expect((await upgrade({ config }, up)).ran.map((f) => f.id)).toEqual([id]);
      expect(up.lines).toEqual([`Running upgrade <base> -> ${id}, notes`]);
      const again = recorder();
      await upgrade({ config }, again);
      expect(again.lines).toEqual([`Nothing to upgrade: database is at ${id} (head).`]);

      const checked = recorder();
      expect((await check({ config }, checked)).failed).toBe(false);
      expect(checked.lines).toEqual(['No new upgrade operations detected.']);

      const down = recorder();
      await downgrade({ config }, down);
      expect(down.lines).toEqual([`Running downgrade ${id} -> <base>, notes`]);
      const none = recorder();
      await downgrade({ config, target: 'base' }, none);
      expect(none.lines).toEqual(['Nothing to downgrade: database is already at base.']);

      const stamped = recorder();
      expect(await stamp({ config, target: 'head' }, stamped)).toEqual({ added: [path.basename(file!)], removed: [] });
      expect(stamped.lines).toEqual([`Stamped ${path.basename(file!)}`]);
      const refused = await revision({ config, message: '  ' }, recorder()).catch((e: unknown) => e);
      expect(isKilnError(refused) && refused.code).toBe('BAD_ARGUMENT');
    } finally {
      await db.cleanup();
      rmProject(dir);
    }
  });
});
