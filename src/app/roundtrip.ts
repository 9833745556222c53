import type { ResolvedConfig } from '../config/load';
import { parseDatabaseUrl } from '../config/url';
import { dialectOf } from '../dialect/registry';
import { compare } from '../diff';
import { KilnError, isKilnError, messageOf } from '../errors';
import { describeOp } from '../ops/describe';
import { listMigrations, type MigrationFile } from '../runner/files';
import { downgrade as runDowngrade, upgrade as runUpgrade } from '../runner/run';
import type { Schema } from '../schema/types';
import type { Progress } from './progress';
import { withScratchDatabase } from './scratch';

export interface RoundtripResult {
  readonly migrations: number;
  /** Upgrades and downgrades run on the scratch database. */
  readonly steps: number;
}

/**
 * `kiln db check --roundtrip`: proves every committed `down()` on a scratch database. Each
 * migration is applied one at a time and the schema recorded at every revision; then each is
 * reverted down to base, the schema compared with the one recorded before it was applied; then
 * all are applied again, compared with the first pass. The first failing step or difference ends
 * it with one error naming the revision and the difference. The configured database is not
 * touched (on a server, only used to create and drop the scratch database).
 */
export async function roundtrip(input: { readonly config: ResolvedConfig }, progress: Progress): Promise<RoundtripResult> {
  const files = listMigrations(input.config.migrations);
  const label = dialectOf(parseDialect(input.config)).label;
  return withScratchDatabase(input.config, async (scratch) => {
    const ctx = { config: scratch.config, db: scratch.db, report: () => undefined };
    progress.line(`Roundtrip on a scratch ${label} database (${scratch.name}): ${files.length} migration(s) up, down to base, up again`);
    const at: Schema[] = [await scratch.schema()];
    let steps = 0;
    const step = async (direction: 'up' | 'down', file: MigrationFile, expected: Schema | undefined, pass: string) => {
      scratch.checkSignal();
      try {
        await (direction === 'up' ? runUpgrade(ctx, '+1') : runDowngrade(ctx, '-1'));
      } catch (e) {
        throw new KilnError(isKilnError(e) ? e.code : 'MIGRATION_FAILED', `roundtrip: ${pass} of ${file.id} failed on the scratch ${label} database: ${messageOf(e)}`, { cause: e });
      }
      steps++;
      const now = await scratch.schema();
      if (expected) await assertSame(expected, now, `roundtrip: ${pass} of ${file.id}`);
      return now;
    };
    for (const f of files) at.push(await step('up', f, undefined, 'upgrade'));
    for (let i = files.length - 1; i >= 0; i--) await step('down', files[i], at[i], 'downgrade');
    for (let i = 0; i < files.length; i++) await step('up', files[i], at[i + 1], 'second upgrade');
    progress.line(`Roundtrip passed: every step ran and the schema agrees at every revision in both directions (${steps} steps).`);
    return { migrations: files.length, steps };
  });
}

const parseDialect = (config: ResolvedConfig) => parseDatabaseUrl(config.databaseUrl, config.root).dialect;

/** Throws DRIFT naming what differs (the diff's own descriptions), expected -> actual. */
async function assertSame(expected: Schema, actual: Schema, what: string): Promise<void> {
  const ops = await compare(expected, actual);
  if (ops.length === 0) return;
  const shown = ops.slice(0, 5).map(describeOp).join('; ');
  throw new KilnError('DRIFT', `${what} leaves a schema that differs from the first pass at that revision: ${shown}${ops.length > 5 ? `; and ${ops.length - 5} more` : ''}`);
}
