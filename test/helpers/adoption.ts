import * as fs from 'node:fs';
import * as path from 'node:path';
import { kiln, makeProject, rmProject } from './cli';
import { freshDatabase, type FreshDatabase } from './databases';
import type { TestDialect } from './dialects';

/** `models` and `migrations` folders under the project (the config every adoption test uses). */
export const PROJECT_CONFIG = { 'kiln.config.ts': "export default { models: 'models', migrations: 'migrations' };\n" };

export interface AdoptionProject {
  /** The project folder: PROJECT_CONFIG, the files given, an empty `migrations` folder. */
  readonly dir: string;
  /** Fresh databases of the dialect, as many as asked: the first holds the hand-written schema. */
  readonly dbs: readonly FreshDatabase[];
  /** A file of the project's `models` folder. */
  model(file: string): string;
}

/**
 * Runs `body` with a project and `count` fresh databases of one dialect, then removes them all
 * (whether `body` throws or not): the frame of a test that loads a schema written by hand,
 * pulls it, checks it and builds another database from the models.
 */
export async function withAdoption(dialect: TestDialect, count: number, files: Record<string, string>, body: (p: AdoptionProject) => Promise<void>): Promise<void> {
  const dbs: FreshDatabase[] = [];
  const dir = makeProject({ ...PROJECT_CONFIG, ...files });
  try {
    fs.mkdirSync(path.join(dir, 'migrations'));
    for (let i = 0; i < count; i++) dbs.push(await freshDatabase(dialect));
    await body({ dir, dbs, model: (file) => fs.readFileSync(path.join(dir, 'models', file), 'utf8') });
  } finally {
    for (const db of dbs) await db.cleanup();
    rmProject(dir);
  }
}

/** Right after a pull: `db check` reports no drift and `db migrate` writes nothing. */
export async function expectNoDrift(dir: string, url: string): Promise<void> {
  const check = await kiln(['db', 'check'], { cwd: dir, env: { DATABASE_URL: url } });
  expect(check.stdout).toContain('No new upgrade operations detected');
  expect(check.code).toBe(0);
  const before = fs.readdirSync(path.join(dir, 'migrations'));
  const migrate = await kiln(['db', 'migrate', '-m', 'nothing'], { cwd: dir, env: { DATABASE_URL: url } });
  expect(migrate.code).toBe(0);
  expect(fs.readdirSync(path.join(dir, 'migrations'))).toEqual(before);
}

/** `kiln initdb` builds another database from the models, without a word on stderr. */
export async function expectInitdb(dir: string, url: string): Promise<void> {
  const made = await kiln(['initdb'], { cwd: dir, env: { DATABASE_URL: url } });
  expect(made.stderr).toBe('');
  expect(made.code).toBe(0);
}
