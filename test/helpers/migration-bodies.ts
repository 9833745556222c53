/** The text of each `[export] async function NAME(knex: Knex): Promise<void> { ... }` of a migration file. */
export function functionBodies(source: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of source.matchAll(/^(?:export )?async function (\w+)\(knex: Knex\): Promise<void> \{\n([\s\S]*?)\n\}\n/gm)) out[m[1]] = m[2];
  return out;
}

/** The function of a `byDialect` migration that holds a dialect's body: `up` + this suffix. */
export const DIALECT_SUFFIX = { sqlite: 'Sqlite', postgres: 'Postgres', mysql: 'Mysql' } as const;
