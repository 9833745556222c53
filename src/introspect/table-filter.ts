/**
 * Which tables kiln manages: config `include` / `exclude`, names or globs (`*` any run of
 * characters, `?` one character; everything else literal, case-sensitive). A pattern holding a
 * `.` is also tried against `schema.table` where the database has schemas (PostgreSQL), so
 * `audit.*` or `public.legacy_*` say which schema they mean; a pattern without a dot matches a
 * table of any managed schema by its bare name. With `include`, only matching
 * tables are managed; `exclude` then removes tables from what is left. Applied once, at the
 * introspection boundary (src/introspect/index.ts): an excluded table is invisible to every
 * command.
 */
export interface TableFilter {
  readonly include?: readonly string[];
  readonly exclude?: readonly string[];
}

/** A glob as an anchored regular expression (no other metacharacters: a name is matched as written). */
export function globToRegExp(pattern: string): RegExp {
  let source = '';
  for (const ch of pattern) {
    if (ch === '*') source += '[\\s\\S]*';
    else if (ch === '?') source += '[\\s\\S]';
    else source += ch.replace(/[\\^$.|+()[\]{}]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, 'u');
}

/** A predicate: is `table` (in `schema`, where there is one) managed under `filter`? */
export function tableMatcher(filter: TableFilter, schema?: string): (table: string) => boolean {
  const compile = (patterns: readonly string[] | undefined) => (patterns ?? []).map((p) => ({ re: globToRegExp(p), qualified: p.includes('.') }));
  const include = filter.include && filter.include.length ? compile(filter.include) : null;
  const exclude = compile(filter.exclude);
  // A table of another managed schema is named `billing.invoice` (src/schema/qualified.ts): a
  // pattern with a dot matches that name, one without matches the bare table name in any schema.
  const hits = (rules: ReturnType<typeof compile>, table: string) =>
    rules.some((r) =>
      table.includes('.')
        ? r.re.test(r.qualified ? table : table.slice(table.indexOf('.') + 1))
        : r.re.test(table) || (r.qualified && schema !== undefined && r.re.test(`${schema}.${table}`)),
    );
  return (table) => (!include || hits(include, table)) && !hits(exclude, table);
}

/** True when the filter leaves every table in (no include, no exclude). */
export function filtersNothing(filter: TableFilter): boolean {
  return !filter.include?.length && !filter.exclude?.length;
}
