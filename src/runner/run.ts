import type { Knex } from 'knex';
import { KilnError, isKilnError } from '../errors';
import { nextBatch, readApplied, recordApplied, recordReverted, selectApplied } from './bookkeeping';
import { listMigrations, type MigrationFile } from './files';
import { displayPath, loadMigration, type MigrationModule } from './load-migration';
import { assertNoMissing, checksumOf, editedMigrations, statusOf, type Status } from './status';
import { commitBoundary, runStep, type StepContext } from './step';
import { CommitThenInterrupt, inLockedTransaction, runtimeOf, type TransactionContext } from './transaction';
import { planDowngrade, planUpgrade, stampSet, type Plan } from './targets';

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
  return runPlanned(ctx, (files, applied) => planUpgrade(files, applied, target));
}

/** Reverts migrations down to `target` (-N, base, NAME, prefix). */
export function downgrade(ctx: RunContext, target = '-1'): Promise<RunResult> {
  return runPlanned(ctx, (files, applied) => planDowngrade(files, applied, target));
}

async function runPlanned(ctx: RunContext, plan: (files: MigrationFile[], applied: string[]) => Plan): Promise<RunResult> {
  const files = listMigrations(ctx.config.migrations, ctx.config.loadExtensions);
  // Plan once before taking the lock so that every module loads (and fails) before any change.
  const before = statusOf(files, await readApplied(ctx.db.knex, ctx.config.tableName));
  assertNoMissing(before);
  const edited = await editedMigrations(ctx.db.knex, ctx.config, before);
  if (edited.length) ctx.report({ kind: 'edited', files: edited });
  const modules = new Map<string, MigrationModule>();
  const load = (f: MigrationFile) => modules.get(f.name) ?? modules.set(f.name, loadMigration(f)).get(f.name)!;
  for (const f of plan(files, before.applied.map((a) => a.name)).steps) load(f);

  const ran: MigrationFile[] = [];
  const committed = () => (ran.length ? `migration${ran.length > 1 ? 's' : ''} ${ran.map((f) => displayPath(f.path)).join(', ')}` : 'the run (no migration to run, bookkeeping only)');
  const stepCtx: StepContext = { knex: ctx.db.knex, runtime: runtimeOf(ctx) };
  return inLockedTransaction(ctx, committed, async (trx, guard) => {
    const applied = await selectApplied(trx, ctx.config.tableName);
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
  return inLockedTransaction(ctx, () => `stamp ${target}`, async (trx: Knex.Transaction) => {
    const applied = (await selectApplied(trx, ctx.config.tableName)).map((a) => a.name);
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

function interruptedAtBoundary(signal: NodeJS.Signals, step: MigrationFile): KilnError {
  return new CommitThenInterrupt(
    `interrupted (${signal === 'SIGINT' ? 'Ctrl-C' : signal}): stopped after migration ${displayPath(step.path)}, which was let finish because MySQL cannot roll back DDL; the database is at ${step.id}`,
    { exit: signal === 'SIGINT' ? 130 : 143, hint: "run 'kiln db upgrade' again to apply the rest" },
  );
}
