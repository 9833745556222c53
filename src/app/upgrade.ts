import type { ResolvedConfig } from '../config/load';
import { openDatabase } from '../runner/database';
import { downgrade as runDowngrade, stamp as runStamp, upgrade as runUpgrade, type RunEvent, type RunResult } from '../runner/run';
import { setActivitySink } from '../public/activity';
import { runEventLine } from './messages';
import type { Progress } from './progress';

export interface RunInput {
  readonly config: ResolvedConfig;
  /** upgrade: head, NAME, prefix or +N (default head); downgrade: -N, base, NAME or prefix (default -1). */
  readonly target?: string;
}

/** `kiln db upgrade [TARGET]`: opens the database (foreign keys off, migration lock) and runs the steps. */
export function upgrade(input: RunInput, progress: Progress): Promise<RunResult> {
  return withActivity(progress, () => withRunDatabase(input.config, (db) => runUpgrade({ config: input.config, db, report: reporter(progress) }, input.target ?? 'head')));
}

/** `kiln db downgrade [TARGET]`. */
export function downgrade(input: RunInput, progress: Progress): Promise<RunResult> {
  return withActivity(progress, () => withRunDatabase(input.config, (db) => runDowngrade({ config: input.config, db, report: reporter(progress) }, input.target ?? '-1')));
}

/** Sends what the migrations do to `progress.activity` while `work` runs. */
async function withActivity<T>(progress: Progress, work: () => Promise<T>): Promise<T> {
  const { activity } = progress;
  if (!activity) return work();
  const restore = setActivitySink(activity);
  try {
    return await work();
  } finally {
    restore();
    activity({ kind: 'end' });
  }
}

export interface StampResult {
  readonly added: string[];
  readonly removed: string[];
}

/** `kiln db stamp TARGET`: rewrites the record; reports `Unstamped`/`Stamped` lines. */
export async function stamp(input: { readonly config: ResolvedConfig; readonly target: string }, progress: Progress): Promise<StampResult> {
  const { added, removed } = await withRunDatabase(input.config, (db) => runStamp({ config: input.config, db }, input.target));
  for (const n of removed) progress.line(`Unstamped ${n}`);
  for (const n of added) progress.line(`Stamped ${n}`);
  if (!added.length && !removed.length) progress.line(`Already stamped at ${input.target}: nothing changed.`);
  return { added, removed };
}

function reporter(progress: Progress): (event: RunEvent) => void {
  return (event) => {
    const { warn, text } = runEventLine(event);
    (warn ? progress.warn : progress.line)(text);
  };
}

async function withRunDatabase<T>(config: ResolvedConfig, work: (db: Awaited<ReturnType<typeof openDatabase>>) => Promise<T>): Promise<T> {
  const db = await openDatabase(config, { foreignKeys: false, migrationLock: true });
  try {
    return await work(db);
  } finally {
    await db.close().catch(() => undefined);
  }
}
