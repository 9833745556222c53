/**
 * The one error class for mistakes a user can cause or fix. The CLI prints
 * `error: <message>` (one line, plus an optional hint line) and exits with `exit`; anything
 * that is not a KilnError is a bug and prints a stack trace only with --verbose / DEBUG=kiln*.
 */
export type ErrorCode =
  | 'BAD_ARGUMENT'
  | 'BAD_URL'
  | 'CONNECTION'
  | 'CONFIG'
  | 'MODEL'
  | 'MIGRATION_FILE'
  | 'MIGRATION_FAILED'
  | 'NOT_UP_TO_DATE'
  | 'TARGET'
  | 'HISTORY'
  | 'LOCKED'
  | 'DIRECTORY'
  | 'ABORTED'
  | 'SEED'
  | 'INTEGRITY'
  | 'DRIFT'
  | 'INTERRUPTED'
  | 'DATA_LOSS';

export class KilnError extends Error {
  readonly code: ErrorCode;
  readonly hint?: string;
  readonly exit: number;

  constructor(code: ErrorCode, message: string, options: { hint?: string; exit?: number; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'KilnError';
    this.code = code;
    this.hint = options.hint;
    this.exit = options.exit ?? 1;
  }
}

export function isKilnError(e: unknown): e is KilnError {
  return e instanceof KilnError || (typeof e === 'object' && e !== null && (e as { name?: string }).name === 'KilnError');
}

/** First line of an unknown thrown value's message, without stack. */
export function messageOf(e: unknown): string {
  const msg = (e as { message?: unknown } | null)?.message;
  const m = typeof msg === 'string' ? msg : String(e);
  return m.split('\n')[0].trim();
}
