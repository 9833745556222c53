import type { Activity } from '../public/activity';

/**
 * How a use case tells what it does: `line` for stdout, `warn` for a warning. The use cases print
 * nothing themselves; the oclif commands, the fast path and the tests pass their own.
 */
export interface Progress {
  readonly line: (text: string) => void;
  readonly warn: (text: string) => void;
  /** What a running migration is doing (statements, rows copied), for a progress display. */
  readonly activity?: (activity: Activity) => void;
}

export const QUIET: Progress = { line: () => undefined, warn: () => undefined };
