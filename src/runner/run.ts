import type { Knex } from 'knex';
import { KilnError, isKilnError } from '../errors';
import { nextBatch, readApplied, recordApplied, recordReverted, selectApplied } from './bookkeeping';
import { listMigrations, type MigrationFile } from './files';
import { displayPath, loadMigration, type MigrationModule } from './load-migration';
import { assertNoMissing, checksumOf, editedMigrations, statusOf, type Status } from './status';
import { commitBoundary, runStep, type StepContext } from './step';
import { CommitThenInterrupt, inLockedTransaction, runtimeOf, type TransactionContext } from './transaction';
import { planDowngrade, planUpgrade, stampSet, type Plan } from './targets';
import { inTransaction, runWithoutTransaction } from './no-transaction';
import { rewriteRows, understandApplied } from './history-rows';
import { divergenceError, findDivergence, readGraph } from './revision-graph';

/**
 * What a run tells as it goes; the words are the caller's (src/app/messages.ts):
 * `edited` before the run, `nothing` when there is no step, `step` before each migration runs.
 */
export type RunEvent =
  | { readonly kind: 'edited'; readonly files: MigrationFile[] }
  | { readonly kind: 'nothing'; readonly direction: 'up' | 'down'; readonly status: Status }
  | { readonly kind: 'step'; readonly direction: 'up' | 'down'; readonly step: MigrationFile; readonly from: MigrationFile | null; readonly to: MigrationFile | null };

export interface RunContext extends TransactionContext {
  readonly report: (event: RunEvent) => void;
}

export interface RunResult {
  readonly ran: MigrationFile[];
}

/** Applies migrations up to `target` (head, NAME, prefix, +N). */
export function upgrade(ctx: RunContext, target = 'head'): Promise<RunResult> {
  return runPlanned(ctx, (files, applied) => planUpgrade(files, applied, target), { linear: true });
}

/** Reverts migrations down to `target` (-N, base, NAME, prefix). */
export function downgrade(ctx: RunContext, target = '-1'): Promise<RunResult> {
  return runPlanned(ctx, (files, applied) => planDowngrade(files, applied, target));
}

async function runPlanned(ctx: RunContext, plan: (files: MigrationFile[], applied: string[]) => Plan, options: { linear?: boolean } = {}): Promise<RunResult> {
  const files = listMigrations(ctx.config.migrations, ctx.config.loadExtensions);
  const graph = readGraph(files);
  // Plan once before taking the lock so that every module loads (and fails) before any change.
  const before = statusOf(files, understandApplied(graph, await readApplied(ctx.db.knex, ctx.config.tableName)).applied);
  assertNoMissing(before);
  // Upgrading a forked history would apply a migration generated against another schema.
  const divergence = options.linear ? findDivergence(graph, before.applied.map((a) => a.name)) : null;
  if (divergence) throw divergenceError(divergence);
  const edited = await editedMigrations(ctx.db.knex, ctx.config, before);
  if (edited.length) ctx.report({ kind: 'edited', files: edited });
  const modules = new Map<string, MigrationModule>();
  const load = (f: MigrationFile) => modules.get(f.name) ?? modules.set(f.name, loadMigration(f)).get(f.name)!;
  const initial = plan(files, before.applied.map((a) => a.name));
  for (const f of initial.steps) load(f);
  const ran: MigrationFile[] = [];
  if (initial.steps.every((f) => inTransaction(load(f)))) return runTransactional(ctx, files, graph, load, plan, ran);
  return runSegments(ctx, files, graph, load, initial, ran);
}

/**
 * A plan holding migrations that run without a transaction: the transactional migrations
 * between them run as today (one transaction and lock each stretch), each other one on its own
 * (src/runner/no-transaction.ts). Every stretch checks, under its lock, that the database is
 * still where the plan left it.
 */
async function runSegments(ctx: RunContext, files: MigrationFile[], graph: Graph, load: (f: MigrationFile) => MigrationModule, initial: Plan, ran: MigrationFile[]): Promise<RunResult> {
  const { direction, steps } = initial;
  const order = new Map(files.map((f, i) => [f.name, i]));
  const stillToDo = (names: readonly string[], step: MigrationFile) => {
    const applied = names.includes(step.name);
    if (applied === (direction === 'up')) {
      throw new KilnError('HISTORY', `migration ${displayPath(step.path)} was ${direction === 'up' ? 'applied' : 'reverted'} by another process while this run waited; nothing more was run`, {
        hint: "run 'kiln db current' to see where the database is",
      });
    }
  };
  for (let i = 0; i < steps.length; ) {
    const step = steps[i];
    if (inTransaction(load(step))) {
      let j = i;
      while (j < steps.length && inTransaction(load(steps[j]))) j++;
      const stretch = steps.slice(i, j);
      await runTransactional(ctx, files, graph, load, (_files, names) => {
        for (const s of stretch) stillToDo(names, s);
        return { direction, steps: stretch };
      }, ran);
      i = j;
      continue;
    }
    // Under the step's lock, as a transactional stretch does: rows naming moved or squashed files are rewritten first.
    const applied = async (knex: Knex) => (await knex.transaction((trx) => understoodRows(trx, ctx.config.tableName, graph))).map((a) => a.name);
    await runWithoutTransaction(ctx, step, direction, load(step), applied, (names) => {
      stillToDo(names, step);
      const others = names.filter((n) => n !== step.name);
      const last = others.length ? files[order.get(others[others.length - 1])!] ?? null : null;
      ran.push(step);
      ctx.report({ kind: 'step', direction, step, from: direction === 'up' ? last : step, to: direction === 'up' ? step : last });
    });
    i++;
  }
  return { ran: [...steps] };
}

/** One transaction and lock for the whole plan (every migration of it runs in a transaction). */
async function runTransactional(
  ctx: RunContext,
  files: MigrationFile[],
  graph: Graph,
  load: (f: MigrationFile) => MigrationModule,
  plan: (files: MigrationFile[], applied: string[]) => Plan,
  ran: MigrationFile[],
): Promise<RunResult> {
  const committed = () => (ran.length ? `migration${ran.length > 1 ? 's' : ''} ${ran.map((f) => displayPath(f.path)).join(', ')}` : 'the run (no migration to run, bookkeeping only)');
  const stepCtx: StepContext = { knex: ctx.db.knex, runtime: runtimeOf(ctx) };
  return inLockedTransaction(ctx, committed, async (trx, guard) => {
    const applied = await understoodRows(trx, ctx.config.tableName, graph);
    const status = statusOf(files, applied);
    assertNoMissing(status);
    const names = applied.map((a) => a.name);
    const { direction, steps } = plan(files, names);
    if (steps.length === 0) {
      ctx.report({ kind: 'nothing', direction, status });
      return { ran: [] };
    }
    const batch = await nextBatch(trx, ctx.config.tableName);
    const { foreignKeyCheck } = stepCtx.runtime;
    const fkBaseline = foreignKeyCheck ? (await foreignKeyCheck(trx)).length : 0;
    const order = new Map(files.map((f, i) => [f.name, i]));
    let current = status.current;
    const appliedNow = [...names];
    for (const step of steps) {
      try {
        current = await runOne(step, current);
        // A signal that arrived after the migration's last statement stops the run here, named
        // (not at the check before COMMIT, which knows no migration).
        if (!runtimeOf(ctx).letRunningMigrationFinishOnSignal) guard.check();
      } catch (e) {
        // A signal that stopped the run between two migrations (at the bookkeeping insert or after it).
        if (isKilnError(e) && e.code === 'INTERRUPTED' && !/ in migration /.test(e.message)) {
          throw new KilnError('INTERRUPTED', `${e.message} after migration ${displayPath(step.path)}`, { exit: e.exit });
        }
        throw e;
      }
      // Where DDL cannot be rolled back (MySQL) a signal lets the running migration finish, then
      // stops at this boundary and commits what ran (see src/runner/interrupt.ts).
      if (guard.signal && stepCtx.runtime.letRunningMigrationFinishOnSignal && step !== steps[steps.length - 1]) {
        throw interruptedAtBoundary(guard.signal, step);
      }
    }
    return { ran: [...steps] };

    async function runOne(step: MigrationFile, current: MigrationFile | null): Promise<MigrationFile | null> {
      const mod = load(step);
      ran.push(step);
      if (direction === 'up') {
        ctx.report({ kind: 'step', direction, step, from: current, to: step });
        await runStep(stepCtx, trx, step, fkBaseline, () => mod.up(trx));
        await recordApplied(trx, ctx.config.tableName, step.name, batch, checksumOf(step));
        await commitBoundary(stepCtx, trx, step);
        appliedNow.push(step.name);
        return step;
      }
      appliedNow.splice(appliedNow.lastIndexOf(step.name), 1); // the last applied: O(1)
      const prev = appliedNow.length ? files[order.get(appliedNow[appliedNow.length - 1])!] : null;
      ctx.report({ kind: 'step', direction, step, from: step, to: prev });
      if (!mod.down) throw new KilnError('MIGRATION_FILE', `migration ${displayPath(step.path)} has no down(knex) function: it cannot be reverted`);
      await runStep(stepCtx, trx, step, fkBaseline, () => mod.down!(trx));
      await recordReverted(trx, ctx.config.tableName, step.name);
      await commitBoundary(stepCtx, trx, step);
      return prev;
    }
  });
}

/** Rewrites the record to `target` without running anything. */
export async function stamp(ctx: TransactionContext, target: string): Promise<{ added: string[]; removed: string[] }> {
  const files = listMigrations(ctx.config.migrations, ctx.config.loadExtensions);
  const graph = readGraph(files);
  return inLockedTransaction(ctx, () => `stamp ${target}`, async (trx: Knex.Transaction) => {
    const applied = (await understoodRows(trx, ctx.config.tableName, graph)).map((a) => a.name);
    const want = stampSet(files, applied, target);
    const wantSet = new Set(want);
    const removed = applied.filter((n) => !wantSet.has(n));
    const appliedSet = new Set(applied);
    const added = want.filter((n) => !appliedSet.has(n));
    for (const name of removed) await recordReverted(trx, ctx.config.tableName, name);
    if (added.length) {
      const batch = await nextBatch(trx, ctx.config.tableName);
      const byName = new Map(files.map((f) => [f.name, f]));
      for (const name of added) await recordApplied(trx, ctx.config.tableName, name, batch, checksumOf(byName.get(name)!));
    }
    return { added, removed };
  });
}

/** The applied rows, with rows naming squashed or moved files rewritten (src/runner/history-rows.ts). */
type Graph = ReturnType<typeof readGraph>;

async function understoodRows(trx: Knex.Transaction, tableName: string, graph: Graph) {
  const understood = understandApplied(graph, await selectApplied(trx, tableName));
  await rewriteRows(trx, tableName, understood);
  return understood.applied;
}

function interruptedAtBoundary(signal: NodeJS.Signals, step: MigrationFile): KilnError {
  return new CommitThenInterrupt(
    `interrupted (${signal === 'SIGINT' ? 'Ctrl-C' : signal}): stopped after migration ${displayPath(step.path)}, which was let finish because MySQL cannot roll back DDL; the database is at ${step.id}`,
    { exit: signal === 'SIGINT' ? 130 : 143, hint: "run 'kiln db upgrade' again to apply the rest" },
  );
}
