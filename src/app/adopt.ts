/**
 * `kiln db adopt`: models for a project that has hand-written Knex migrations. The migrations
 * folder is replayed into a scratch database of the configured dialect (a temporary SQLite
 * file, or a database created on the configured server), models are pulled from it, and the
 * scratch database is dropped, also on failure. The configured database is never opened: on
 * PostgreSQL/MySQL the server is only asked to CREATE and DROP the scratch database.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ResolvedConfig } from '../config/load';
import { parseDatabaseUrl } from '../config/url';
import { dialectOf } from '../dialect/registry';
import { KilnError, messageOf } from '../errors';
import { listMigrations } from '../runner/files';
import type { Progress } from './progress';
import { writePulledModels, type PullOptions, type PullResult } from './pull';
import { withScratchDatabase } from './scratch';
import { upgrade } from './upgrade';

export interface AdoptResult extends PullResult {
  /** The migrations replayed, in order. */
  readonly replayed: string[];
}

export async function adopt(input: { readonly config: ResolvedConfig } & PullOptions, progress: Progress): Promise<AdoptResult> {
  const { config } = input;
  const files = fs.existsSync(config.migrations) ? listMigrations(config.migrations) : [];
  if (files.length === 0) {
    throw new KilnError('DIRECTORY', `no migration to replay in ${shown(config.migrations)}`, { hint: "point 'migrations' in kiln.config.ts (or --directory) at the project's migrations folder" });
  }
  const configured = parseDatabaseUrl(config.databaseUrl, config.root);
  const dialect = dialectOf(configured.dialect);
  return withScratchDatabase(config, async (scratch) => {
    const quiet: Progress = { line: () => undefined, warn: (w) => progress.warn(w) };
    let replayed: string[];
    try {
      replayed = (await upgrade({ config: scratch.config, target: 'head' }, quiet)).ran.map((f) => f.id);
    } catch (e) {
      throw new KilnError('MIGRATION_FAILED', `replaying the migrations into a scratch ${dialect.label} database failed: ${messageOf(e)}; nothing was written`, { cause: e });
    }
    progress.line(`Replayed ${replayed.length} migration(s) into a scratch ${dialect.label} database; the configured database was not touched.`);
    const schema = await scratch.schema();
    return { ...(await writePulledModels(schema, configured.dialect, input, progress)), replayed };
  });
}

function shown(dir: string): string {
  return path.relative(process.cwd(), dir) || dir;
}
