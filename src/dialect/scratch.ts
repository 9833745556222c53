/**
 * How a throwaway database of a dialect is made (`db check --roundtrip`, `db squash`,
 * `db rebase` run migrations there): a temporary file, or a database created on the configured
 * server and dropped afterwards. `name` is kiln's own (`kiln_scratch_<hex>`), never a user's.
 */
export type ScratchRules =
  | { readonly kind: 'file' }
  | { readonly kind: 'server'; readonly createSql: (name: string) => string; readonly dropSql: (name: string) => string };
