/**
 * What a running migration is doing, for the progress display of `kiln db upgrade` (src/cli/ticker.ts).
 * The sink lives on globalThis under a registered symbol, so that a migration importing
 * `kiln/sqlite` from another copy of kiln (the project's own node_modules) reaches the runner too.
 */
export type Activity =
  /** A statement of the running migration was sent (index counts from 1 within the migration). */
  | { readonly kind: 'statement'; readonly migration: string; readonly index: number; readonly sql: string }
  /** The statement finished (or failed). */
  | { readonly kind: 'statement-done' }
  /** A table rebuild copied `copied` of `total` rows. */
  | { readonly kind: 'rows'; readonly table: string; readonly copied: number; readonly total: number }
  /** The run is over: the display stops. */
  | { readonly kind: 'end' };

const KEY = Symbol.for('kiln.activity');

type Sink = (activity: Activity) => void;

export function reportActivity(activity: Activity): void {
  const sink = (globalThis as Record<symbol, unknown>)[KEY];
  if (typeof sink === 'function') (sink as Sink)(activity);
}

/** Sets the sink for the duration of a run; returns the function that removes it. */
export function setActivitySink(sink: Sink): () => void {
  const g = globalThis as Record<symbol, unknown>;
  const before = g[KEY];
  g[KEY] = sink;
  return () => {
    g[KEY] = before;
  };
}
