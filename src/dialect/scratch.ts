import type { DatabaseUrl } from '../config/url';

/**
 * A throwaway database of the same dialect (`kiln db adopt` replays migrations into it): a
 * temporary SQLite file, or a database created on the configured server. `drop()` removes it;
 * it is safe to call once whatever happened in between.
 */
export interface ScratchDatabase {
  /** A kiln URL to it, in the same form as the configured one (options kept). */
  readonly url: string;
  /** For messages: its file or database name (never a password). */
  readonly name: string;
  drop(): Promise<void>;
}

export interface DialectScratch {
  /** Creates an empty scratch database beside the configured one (`raw`: the configured URL as written). */
  create(configured: DatabaseUrl, raw: string): Promise<ScratchDatabase>;
}

/** The same server URL with another database name (query string kept). */
export function urlWithDatabase(raw: string, database: string): string {
  const m = /^([a-z0-9+]+:\/\/[^/]*)\/[^?]*(\?.*)?$/i.exec(raw);
  if (!m) throw new Error(`cannot replace the database in the URL`);
  return `${m[1]}/${database}${m[2] ?? ''}`;
}

/** `kiln_adopt_<12 hex>`: no quoting needed anywhere. */
export function scratchName(): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return `kiln_adopt_${(require('node:crypto') as typeof import('node:crypto')).randomBytes(6).toString('hex')}`;
}
