import type { Knex } from 'knex';
import { KilnError } from '../errors';

/**
 * Ctrl-C (SIGINT) and SIGTERM. Outside a migration run the process stops at once with one
 * line. Inside a run's transaction the current statement is let finish, the next one is
 * refused (the query listener throws before Knex sends it), the run rolls back, releases its
 * locks and the command exits 130 with one line. On MySQL, where DDL commits at once and
 * cannot be rolled back, stopping between statements would leave a half-applied migration:
 * there the running migration is let finish and recorded, and the run stops at that boundary
 * (`betweenMigrations`). A second signal exits at once: the server (or SQLite's journal)
 * rolls the open transaction back. One signal is enough all the same (SIGTERM is usually all an
 * orchestrator sends before SIGKILL): a migration that does not reach its next statement within
 * STOP_GRACE_MS, or a process that does not close within CLOSING_GRACE_MS after its run, exits.
 */
type Phase = 'lock' | 'work' | 'done';

interface Run {
  phase: Phase;
  signal: NodeJS.Signals | null;
  /** MySQL: the running migration is let finish, however long it takes. */
  betweenMigrations: boolean;
}

let current: Run | null = null;
let installed = false;

const SIGNAL_EXIT: Partial<Record<NodeJS.Signals, number>> = { SIGINT: 130, SIGTERM: 143 };

let finished = false;
let exitTimer: NodeJS.Timeout | undefined;
/** A signal that arrived while the run committed or rolled back. */
let closingSignal: NodeJS.Signals | null = null;
/** How long a process whose run is over may take to close after a signal before it is ended. */
const CLOSING_GRACE_MS = 1000;
/**
 * How long a migration may take to reach its next statement after a signal (one that awaits
 * something that never comes would keep the process forever) before the process exits, the
 * database rolling the open transaction back. Not on MySQL, where the migration is let finish.
 */
const STOP_GRACE_MS = 5000;
let stopTimer: NodeJS.Timeout | undefined;

function onSignal(signal: NodeJS.Signals): void {
  const what = signal === 'SIGINT' ? 'interrupted (Ctrl-C)' : `interrupted (${signal})`;
  if (current && current.phase === 'work' && !current.signal) {
    current.signal = signal;
    if (!current.betweenMigrations) {
      stopTimer = setTimeout(() => exitNow(signal, `error: ${what}: the migration did not stop within ${STOP_GRACE_MS / 1000} s: exiting now; the database rolls the open transaction back\n`), STOP_GRACE_MS);
      stopTimer.unref();
    }
    return;
  }
  // Committing or rolling back, or the run is over and the process is closing: let it end by
  // itself (in milliseconds) with the run's own outcome rather than claim it was interrupted.
  // If it has not ended a moment after the run (a hanging close, a timer a migration left
  // running), it is ended then: one signal is enough, SIGTERM as much as SIGINT.
  if (current && current.phase === 'done' && !current.signal && !closingSignal) {
    closingSignal = signal;
    return;
  }
  if (!current && finished && !exitTimer) {
    exitSoon(signal);
    return;
  }
  if (current && current.phase === 'lock') {
    exitNow(signal, `error: ${what} while waiting for the migration lock: nothing was changed\n`);
  } else if (current && current.signal) {
    exitNow(signal, `error: ${what} again: exiting now; the database rolls the open transaction back\n`);
  } else {
    exitNow(signal, `error: ${what}\n`);
  }
}

/** Ends a process that is closing after its run, unless it ends by itself first. */
function exitSoon(signal: NodeJS.Signals): void {
  const what = signal === 'SIGINT' ? 'interrupted (Ctrl-C)' : `interrupted (${signal})`;
  exitTimer = setTimeout(() => exitNow(signal, `error: ${what} after the run ended: exiting\n`), CLOSING_GRACE_MS);
  exitTimer.unref();
}

function exitNow(signal: NodeJS.Signals, line: string): never {
  process.stderr.write(line);
  process.exit(SIGNAL_EXIT[signal] ?? 130);
}

/** Installs the SIGINT/SIGTERM handlers once (the first guarded run does). */
export function installInterruptHandlers(): void {
  if (installed) return;
  installed = true;
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}

export function interruptedError(signal: NodeJS.Signals): KilnError {
  const what = signal === 'SIGINT' ? 'Ctrl-C' : signal;
  return new KilnError('INTERRUPTED', `interrupted (${what}): stopped between statements`, { exit: SIGNAL_EXIT[signal] ?? 130 });
}

/** The signal that is stopping the current run, if any. */
export function pendingSignal(): NodeJS.Signals | null {
  return current && current.phase === 'work' ? current.signal : null;
}

export interface RunGuard {
  /** The lock is held: from now on a signal stops the run between statements. */
  working(): void;
  /** Throws the interruption when a signal arrived. */
  check(): void;
  /** Work over (committing or rolling back): signals wait for the end. */
  done(): void;
  readonly signal: NodeJS.Signals | null;
}

/** Guards one run on `knex`: a query started after a signal throws instead of running. */
export function guardRun(knex: Knex, options: { betweenMigrations?: boolean } = {}): RunGuard & { release(): void } {
  installInterruptHandlers();
  const run: Run = { phase: 'lock', signal: null, betweenMigrations: Boolean(options.betweenMigrations) };
  current = run;
  const onQuery = () => {
    if (run.phase === 'work' && run.signal && !options.betweenMigrations) throw interruptedError(run.signal);
  };
  knex.on('query', onQuery);
  return {
    working: () => void (run.phase = 'work'),
    check: () => {
      if (run.phase === 'work' && run.signal) throw interruptedError(run.signal);
    },
    done: () => void (run.phase = 'done'),
    get signal() {
      return run.signal;
    },
    release: () => {
      knex.removeListener('query', onQuery);
      finished = true;
      if (current === run) current = null;
      if (stopTimer) clearTimeout(stopTimer);
      // An interrupted run is over: the process closes now, or is ended shortly.
      const signal = closingSignal ?? run.signal;
      if (signal && !exitTimer) exitSoon(signal);
    },
  };
}
