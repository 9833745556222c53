import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic } from '../atomic-write';
import type { ResolvedConfig } from '../config/load';
import { parseDatabaseUrl } from '../config/url';
import { dialectOf } from '../dialect/registry';
import { compare } from '../diff';
import { KilnError } from '../errors';
import { reverseOps } from '../ops/reverse';
import { renderMigration } from '../render/migration';
import { listMigrations, type MigrationFile } from '../runner/files';
import { lockMigrationsFolder } from '../runner/folder-lock';
import { displayPath } from '../runner/load-migration';
import { divergenceError, findDivergence, isUneditedGenerated, readGraph } from '../runner/revision-graph';
import { upgrade as runUpgrade } from '../runner/run';
import { findByName } from '../runner/targets';
import { makeSchema } from '../schema/build';
import type { Progress } from './progress';
import { withScratchDatabase } from './scratch';

export interface SquashResult {
  readonly file: string;
  readonly replaced: readonly string[];
}

/**
 * `kiln db squash [--to REVISION]`: the migrations up to REVISION (default: head) become one
 * migration that builds the same schema from empty. The schema is read, not guessed: a scratch
 * database is upgraded to REVISION and introspected, and the diff empty -> that schema is
 * rendered. The new file takes the first replaced file's timestamp (it sorts first) and lists
 * the replaced revisions in ` * Replaces:`; the replaced files are deleted (git keeps them).
 * A database already past REVISION keeps working: kiln reads its rows for the replaced files as
 * the squash (src/runner/history-rows.ts) and its next `db upgrade` or `db stamp` rewrites them,
 * after which the Knex CLI finds every row's file again.
 */
export async function squash(input: { readonly config: ResolvedConfig; readonly to?: string }, progress: Progress): Promise<SquashResult> {
  const { config } = input;
  const unlock = await lockMigrationsFolder(config.migrations, config.lockTimeoutMs);
  try {
    const files = listMigrations(config.migrations);
    if (files.length === 0) throw new KilnError('TARGET', 'nothing to squash: the migrations folder is empty');
    const graph = readGraph(files);
    const fork = findDivergence(graph, []);
    if (fork) throw divergenceError(fork);
    const last = input.to === undefined || input.to === 'head' ? files.length - 1 : findByName(files, input.to);
    const replaced = files.slice(0, last + 1);
    if (replaced.length < 2) throw new KilnError('TARGET', `nothing to squash: ${files[last].id} is the first migration`);
    const name = squashName(replaced, files[last + 1]);
    const dialect = parseDatabaseUrl(config.databaseUrl, config.root).dialect;
    const schema = await withScratchDatabase(config, async (scratch) => {
      await runUpgrade({ config: scratch.config, db: scratch.db, report: () => undefined }, files[last].id);
      return scratch.schema();
    });
    const empty = makeSchema([]);
    const up = dialectOf(dialect).generation.plan(await compare(empty, schema), empty, schema);
    const replaces = replaced.flatMap((f) => [...graph.byId.get(f.id)!.header.replaces, ...graph.byId.get(f.id)!.header.movedFrom, f.id]);
    const source = renderMigration({
      message: `squash of ${replaced.length} migrations up to ${files[last].id}`,
      revision: name.replace(/\.ts$/, ''),
      createdAt: new Date(),
      dialect,
      up,
      down: reverseOps(up),
      revises: null,
      replaces,
      hashBody: true,
    });
    // Read before they go: what a hand-written migration did beyond the schema is not in a squash.
    const handWritten = replaced.filter((f) => !isUneditedGenerated(fs.readFileSync(f.path, 'utf8')));
    const file = path.join(config.migrations, name);
    // The new file first, then the replaced ones go: a failure in between is named, never silent.
    writeFileAtomic(file, source, { exclusive: true });
    for (const f of replaced) {
      try {
        fs.rmSync(f.path);
      } catch (e) {
        throw new KilnError('DIRECTORY', `wrote ${displayPath(file)} but cannot delete ${displayPath(f.path)}: ${(e as Error).message}; delete the squashed files by hand`, { cause: e });
      }
    }
    progress.line(`Squashed ${replaced.length} migrations (${replaced[0].id} .. ${files[last].id}) into ${displayPath(file)}`);
    if (handWritten.length) {
      progress.warn(`hand-written or edited migrations were squashed (${handWritten.map((f) => f.id).join(', ')}): the squash builds the schema they left, not rows they inserted nor objects kiln does not model (views, triggers)`);
    }
    progress.line(`Databases already past ${files[last].id} keep working: their next 'kiln db upgrade' (or 'kiln db stamp') rewrites their bookkeeping rows to ${name}.`);
    return { file, replaced: replaced.map((f) => f.name) };
  } finally {
    unlock();
  }
}

/** `<first replaced file's leading digits>_squash.ts`: sorts before every file it does not replace. */
function squashName(replaced: readonly MigrationFile[], next: MigrationFile | undefined): string {
  const stamp = /^\d+/.exec(replaced[0].id)?.[0] ?? '0';
  const name = `${stamp}_squash.ts`;
  if (next && name >= next.name) {
    throw new KilnError('TARGET', `cannot name the squash migration ${name}: it would not sort before ${next.name}`);
  }
  return name;
}

