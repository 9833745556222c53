import * as fs from 'node:fs';
import * as path from 'node:path';
import { makeProject, rmProject } from './cli';
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
