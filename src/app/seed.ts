import type { ResolvedConfig } from '../config/load';
import { openDatabase } from '../runner/database';
import { runSeeds } from '../runner/seed';
import type { Progress } from './progress';

/** `kiln db seed [--specific NAME]`: runs the seed files in one transaction; returns the files run. */
export async function seed(input: { readonly config: ResolvedConfig; readonly specific?: string }, progress: Progress): Promise<string[]> {
  const db = await openDatabase(input.config);
  try {
    return await runSeeds(db.knex, input.config.seeds, input.specific, progress.line);
  } finally {
    await db.close().catch(() => undefined);
  }
}
