import type { Knex } from 'knex';
import type { IntrospectOptions } from '../../introspect';
import { WITH_SCHEMAS } from './introspect';

/** A domain some table's column uses (directly or as an array's element), with its CREATE DOMAIN. */
export interface UsedDomain {
  /** As PostgreSQL prints the type (`year`, `"Money Amount"`, `billing.cents`). */
  readonly name: string;
  readonly sql: string;
  /** The tables using it, as kiln names them (`billing.invoice` outside the default schema). */
  readonly tables: readonly string[];
}

/**
 * The domains the managed schemas' tables use, in creation order (a domain over another domain
 * comes after it), each with the statement that re-creates it: base type, collation where it
 * is not the base type's, default, NOT NULL and its CHECK constraints. One catalog query. A
 * domain that is a member of an extension (earthdistance's `earth`) is left out: the baseline
 * creates the extension, which makes it (creating it again failed on `type "earth" already exists`).
 */
const DOMAINS_SQL = `${WITH_SCHEMAS},
used as (
  select t.oid, array_agg(distinct n.prefix || c.relname) as tables
  from pg_catalog.pg_attribute a
  join pg_catalog.pg_class c on c.oid = a.attrelid and c.relkind in ('r', 'p')
  join kiln_ns n on n.oid = c.relnamespace
  join pg_catalog.pg_type ct on ct.oid = a.atttypid
  join pg_catalog.pg_type t on t.typtype = 'd' and (t.oid = ct.oid or t.oid = ct.typelem)
  where a.attnum > 0 and not a.attisdropped
    -- An extension's own domain (earthdistance's earth): CREATE EXTENSION makes it.
    and not exists (select 1 from pg_catalog.pg_depend x
      where x.classid = 'pg_catalog.pg_type'::regclass and x.objid = t.oid and x.deptype = 'e')
  group by t.oid)
select t.oid::regtype::text as name, u.tables,
  'CREATE DOMAIN ' || t.oid::regtype::text || ' AS ' || pg_catalog.format_type(t.typbasetype, t.typtypmod)
  || case when t.typcollation <> 0 and t.typcollation <> bt.typcollation
       then ' COLLATE ' || pg_catalog.quote_ident(co.collname) else '' end
  || coalesce(' DEFAULT ' || t.typdefault, '')
  || case when t.typnotnull then ' NOT NULL' else '' end
  || coalesce((select string_agg(' CONSTRAINT ' || pg_catalog.quote_ident(k.conname) || ' ' || pg_catalog.pg_get_constraintdef(k.oid), '' order by k.conname)
       from pg_catalog.pg_constraint k where k.contypid = t.oid and k.contype = 'c'), '') as sql
from used u
join pg_catalog.pg_type t on t.oid = u.oid
join pg_catalog.pg_type bt on bt.oid = t.typbasetype
left join pg_catalog.pg_collation co on co.oid = t.typcollation
order by t.oid`;

export async function readUsedDomains(knex: Knex, options: IntrospectOptions): Promise<UsedDomain[]> {
  options.onQuery?.(DOMAINS_SQL);
  const { rows } = (await knex.raw(DOMAINS_SQL, [options.schema ?? null, [...(options.schemas ?? [])]])) as { rows: UsedDomain[] };
  return rows.map((r) => ({ name: r.name, sql: r.sql, tables: [...r.tables].sort() }));
}
