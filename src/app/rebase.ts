import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { autogenerate, detectedLines } from '../autogenerate';
import { writeFileAtomic } from '../atomic-write';
import type { ResolvedConfig } from '../config/load';
import { KilnError } from '../errors';
import { migrationFileName, renderMigration } from '../render/migration';
import { readApplied } from '../runner/bookkeeping';
import { openDatabase } from '../runner/database';
import { listMigrations, readMessage, revisionId, type MigrationFile } from '../runner/files';
import { lockMigrationsFolder } from '../runner/folder-lock';
import { understandApplied } from '../runner/history-rows';
import { divergenceError, findDivergence, isUneditedGenerated, moveHeader, readGraph, type RevisionGraph, type RevisionNode } from '../runner/revision-graph';
import { upgrade as runUpgrade } from '../runner/run';
import { findByName } from '../runner/targets';
import type { Progress } from './progress';
import { withScratchDatabase } from './scratch';

export interface RebaseResult {
  /** [old name, new name] of each moved migration. */
  readonly moved: readonly (readonly [string, string])[];
}

/**
 * `kiln db rebase [REVISION]` (alias `db merge`): puts a migration merged in from another branch
 * after the head. Without REVISION it fixes the divergence `db check` reports: of two branches
 * generated against one parent, the one the configured database has not applied moves (the
 * later by name when it applied neither); a pending migration ordered before applied ones moves.
 *
 * Each moved file gets a new timestamp (it sorts last), `Revises:` the head and `Moved-from:` its
 * old revision. One unedited generated migration (its Body-SHA256 holds) is regenerated from the
 * models on top of the head; an edited or hand-written one keeps its body. The new folder is
 * built beside the real one and proven on a scratch database (upgraded to head) before anything
 * in the real folder changes. A database that applied a moved file under its old name is
 * understood, and its next `db upgrade` renames the row (src/runner/history-rows.ts).
 */
export async function rebase(input: { readonly config: ResolvedConfig; readonly revision?: string }, progress: Progress): Promise<RebaseResult> {
  const { config } = input;
  const unlock = await lockMigrationsFolder(config.migrations, config.lockTimeoutMs);
  const work = path.join(path.dirname(config.migrations), `.kiln-rebase-${randomBytes(4).toString('hex')}`);
  try {
    const files = listMigrations(config.migrations);
    const graph = readGraph(files);
    const applied = new Set(await appliedNames(config, graph));
    const move = input.revision === undefined ? chooseMove(graph, applied) : chainOf(graph, graph.nodes[findByName(files, input.revision)]);
    if (move.length === 0) {
      progress.line('Nothing to rebase: the history is one line.');
      return { moved: [] };
    }
    const moving = new Set(move.map((n) => n.file.name));
    const staying = files.filter((f) => !moving.has(f.name));
    if (staying.length === 0) throw new KilnError('TARGET', 'nothing to rebase onto: every migration would move');
    fs.mkdirSync(work);
    for (const f of staying) fs.copyFileSync(f.path, path.join(work, f.name));
    const planned = planMoves(move, files, staying[staying.length - 1].id);
    for (const p of planned) fs.writeFileSync(path.join(work, p.to), p.source);
    const regenerate = planned.length === 1 && isUneditedGenerated(planned[0].source) ? planned[0] : undefined;
    const notes = await proveOnScratch({ ...config, migrations: work }, staying[staying.length - 1].id, regenerate);
    const left = findDivergence(readGraph(listMigrations(work)), []);
    if (left) throw divergenceError(left);
    for (const p of planned) writeFileAtomic(path.join(config.migrations, p.to), fs.readFileSync(path.join(work, p.to), 'utf8'), { exclusive: true });
    for (const p of planned) fs.rmSync(p.from.path);
    for (const p of planned) {
      progress.line(`Moved ${p.from.name} -> ${p.to} (revises ${p.revises})`);
      if (p === regenerate) progress.line(`  regenerated from the models on top of ${p.revises}${notes.regenerated.length ? `: ${notes.regenerated.join('; ')}` : ': no change left to make'}`);
      else progress.warn(`${p.to} keeps its body (edited or hand-written): check that its operations still fit on top of ${p.revises}`);
    }
    for (const d of notes.drift) progress.warn(`after the moved migrations the schema still differs from the models: ${d}`);
    progress.line(`Databases that applied ${planned.map((p) => p.from.id).join(', ')} under the old name are understood; their next 'kiln db upgrade' renames the bookkeeping row.`);
    return { moved: planned.map((p) => [p.from.name, p.to] as const) };
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
    unlock();
  }
}

/** What the configured database applied (none when it does not exist yet). */
async function appliedNames(config: ResolvedConfig, graph: RevisionGraph): Promise<string[]> {
  const db = await openDatabase(config, { noCreate: true });
  try {
    return understandApplied(graph, await readApplied(db.knex, config.tableName)).applied.map((a) => a.name);
  } finally {
    await db.close().catch(() => undefined);
  }
}

/** The migrations to move so the history is one line (see rebase). */
function chooseMove(graph: RevisionGraph, applied: ReadonlySet<string>): RevisionNode[] {
  const d = findDivergence(graph, [...applied]);
  if (!d) return [];
  if (d.kind === 'fork') {
    const [, kids] = graph.forks[0];
    const chains = kids.map((k) => chainOf(graph, k));
    const main = Math.max(0, chains.findIndex((c) => c.some((n) => applied.has(n.file.name))));
    return chains.filter((_, i) => i !== main).flat().sort((a, b) => (a.file.name < b.file.name ? -1 : 1));
  }
  const lastApplied = graph.nodes.map((n) => applied.has(n.file.name) && n.header.movedFrom.length === 0).lastIndexOf(true);
  return graph.nodes.slice(0, lastApplied).filter((n) => !applied.has(n.file.name));
}

/** A node and every migration generated on top of it, in name order. */
function chainOf(graph: RevisionGraph, node: RevisionNode): RevisionNode[] {
  const out = new Set<RevisionNode>([node]);
  for (const n of graph.nodes) if (n.parent !== null && [...out].some((o) => o.file.id === n.parent)) out.add(n);
  return [...out].sort((a, b) => (a.file.name < b.file.name ? -1 : 1));
}

interface PlannedMove {
  readonly from: MigrationFile;
  readonly to: string;
  readonly revises: string;
  readonly source: string;
}

function planMoves(move: readonly RevisionNode[], files: readonly MigrationFile[], head: string): PlannedMove[] {
  const taken = files.map((f) => f.name);
  const createdAt = new Date();
  let parent = head;
  return move.map((n) => {
    const ext = path.extname(n.file.name);
    const to = migrationFileName(createdAt, n.file.id.replace(/^\d+_?/, '') || 'moved', taken).replace(/\.ts$/, ext);
    taken.push(to);
    const source = moveHeader(fs.readFileSync(n.file.path, 'utf8'), { revision: revisionId(to), revises: parent, movedFrom: [...n.header.movedFrom, n.file.id] });
    const planned = { from: n.file, to, revises: parent, source };
    parent = revisionId(to);
    return planned;
  });
}

/**
 * On a scratch database of the new folder: upgraded to the head it moves onto, the one
 * regenerated migration is rewritten from the models' diff there; then the moved migrations must
 * apply, and what still differs from the models is returned to be said.
 */
async function proveOnScratch(config: ResolvedConfig, head: string, regenerate: PlannedMove | undefined): Promise<{ regenerated: string[]; drift: string[] }> {
  return withScratchDatabase(config, async (scratch) => {
    const ctx = { config: scratch.config, db: scratch.db, report: () => undefined };
    const dialect = scratch.db.url.dialect;
    let regenerated: string[] = [];
    if (regenerate) {
      await runUpgrade(ctx, head);
      const diff = await autogenerate(scratch.config, scratch.db.knex, dialect);
      regenerated = detectedLines(diff.changes);
      const file = listMigrations(config.migrations).find((f) => f.name === regenerate.to)!;
      const source = renderMigration({
        message: readMessage(file),
        revision: revisionId(regenerate.to),
        createdAt: new Date(),
        dialect,
        up: [...diff.up],
        down: [...diff.down],
        revises: regenerate.revises,
        movedFrom: readGraph([file]).nodes[0].header.movedFrom,
        hashBody: diff.up.length > 0,
      });
      fs.writeFileSync(file.path, source);
    }
    try {
      await runUpgrade(ctx, 'head');
    } catch (e) {
      throw new KilnError('MIGRATION_FAILED', `the moved migration(s) do not apply on top of ${head} (tried on a scratch database; nothing was changed): ${(e as Error).message}`, { cause: e });
    }
    const drift = detectedLines((await autogenerate(scratch.config, scratch.db.knex, dialect)).changes);
    return { regenerated, drift };
  });
}
