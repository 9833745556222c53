import type { Knex } from 'knex';
import type { IntrospectOptions } from '../../introspect';
import type { Sequence } from '../../schema/types';

/**
 * The schema's standalone sequences (issue 12 item 4), in one catalog query: pg_sequence's
 * options as decimal text. A sequence a column owns (pg_depend 'a': serial or OWNED BY; 'i':
 * identity) is that column's business and is not reported, nor is an extension's ('e').
 */
const SEQUENCES_SQL = `
select c.relname as name, pg_catalog.format_type(s.seqtypid, null) as type, s.seqstart::text as start,
  s.seqincrement::text as increment, s.seqmin::text as min_value, s.seqmax::text as max_value,
  s.seqcache::text as cache, s.seqcycle as cycle
from pg_catalog.pg_sequence s
join pg_catalog.pg_class c on c.oid = s.seqrelid
join pg_catalog.pg_namespace n on n.oid = c.relnamespace
where n.nspname = coalesce(?::text, current_schema())
  and not exists (select 1 from pg_catalog.pg_depend d
    where d.classid = 'pg_catalog.pg_class'::regclass and d.objid = c.oid and d.deptype in ('a', 'i', 'e'))
order by c.relname`;

/** A sequence's options as pg_sequence holds them (format_type of its type, the numbers as text). */
export interface SequenceOptionsRow {
  type: string;
  start: string;
  increment: string;
  min_value: string;
  max_value: string;
  cache: string;
  cycle: boolean;
}

interface SequenceRow extends SequenceOptionsRow {
  name: string;
}

/** A pg_sequence row as kiln's Sequence. */
export function sequenceOfRow(name: string, r: SequenceOptionsRow): Sequence {
  return {
    name,
    as: r.type === 'smallint' || r.type === 'integer' ? r.type : 'bigint',
    start: r.start,
    increment: r.increment,
    minValue: r.min_value,
    maxValue: r.max_value,
    cache: r.cache,
    cycle: r.cycle,
  };
}

export async function readPostgresSequences(knex: Knex, options: IntrospectOptions): Promise<Sequence[]> {
  options.onQuery?.(SEQUENCES_SQL);
  const { rows } = (await knex.raw(SEQUENCES_SQL, [options.schema ?? null])) as { rows: SequenceRow[] };
  return rows.map((r) => sequenceOfRow(r.name, r));
}
