import type { DialectLint } from '../lint';

export const postgresLint: DialectLint = {
  reader() {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (require('./lint') as typeof import('./lint')).loadPostgresReader();
  },
  async estimateRows(knex, tables) {
    const rows = (await knex.raw(
      // A table of another schema is named `billing.invoice` (src/schema/qualified.ts).
      `select case when n.nspname = current_schema() then c.relname else n.nspname || '.' || c.relname end as name,
         c.reltuples::float8 as estimate from pg_catalog.pg_class c
       join pg_catalog.pg_namespace n on n.oid = c.relnamespace
       where c.relkind in ('r', 'p') and ((n.nspname = current_schema() and c.relname = any(?)) or n.nspname || '.' || c.relname = any(?))`,
      [[...tables], [...tables]],
    )) as { rows: { name: string; estimate: number }[] };
    // reltuples is -1 before the first ANALYZE: such tables are counted instead.
    return new Map(rows.rows.filter((r) => r.estimate >= 0).map((r) => [r.name, Math.round(r.estimate)]));
  },
};
