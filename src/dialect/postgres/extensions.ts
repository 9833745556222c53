import type { Knex } from 'knex';

/**
 * The extensions something of the database's own uses, and the extensions those require, in an
 * order where a requirement comes first: a column of one of its types, a default, a view or a
 * trigger (its WHEN condition, its function) calling one of its functions, an index with one of
 * its operator classes, a domain over one of its types. Found through pg_depend: a table, index,
 * view, default, check, trigger or domain (or what it belongs to) that depends on a member of the
 * extension (deptype 'e'), or on the array type of a member type (a column of hstore[]), and is
 * not itself a member of one (the array type itself, which depends on its element type only
 * internally, is not a dependant). An extension's requirements (earthdistance's cube, installed by CASCADE) are its own
 * pg_depend rows on other extensions, followed recursively: a fresh database needs them at the
 * version and in the schema the database has, and a baseline's down() drops them too. The order
 * is the length of the longest chain of requirements below each (0 for one requiring nothing),
 * then creation order. plpgsql (every database's own) is left out; so are the extensions nothing
 * uses (pg_stat_statements, an hstore called only inside a function body, where PostgreSQL records
 * no dependency): a baseline would otherwise need the privilege to create them on every fresh
 * database. Those come back as `unused`, by name, for a warning. One query.
 */
const USED_EXTENSIONS_SQL = `
with recursive members as (
  select m.classid, m.objid, m.refobjid as ext
  from pg_catalog.pg_depend m
  where m.refclassid = 'pg_catalog.pg_extension'::regclass and m.deptype = 'e'
  union all
  -- The array type of a member type (_hstore) is not a member: it depends on hstore internally.
  -- A column or domain of hstore[] depends on it alone, so it counts for finding dependants.
  select 'pg_catalog.pg_type'::regclass::oid, t.typarray, m.refobjid
  from pg_catalog.pg_depend m
  join pg_catalog.pg_type t on t.oid = m.objid and t.typarray <> 0
  where m.refclassid = 'pg_catalog.pg_extension'::regclass and m.deptype = 'e' and m.classid = 'pg_catalog.pg_type'::regclass),
used as (
  select distinct m.ext
  from members m
  join pg_catalog.pg_depend u on u.refclassid = m.classid and u.refobjid = m.objid and u.deptype in ('n', 'a')
  left join pg_catalog.pg_index ix on u.classid = 'pg_catalog.pg_class'::regclass and ix.indexrelid = u.objid
  left join pg_catalog.pg_attrdef ad on u.classid = 'pg_catalog.pg_attrdef'::regclass and ad.oid = u.objid
  left join pg_catalog.pg_rewrite rw on u.classid = 'pg_catalog.pg_rewrite'::regclass and rw.oid = u.objid
  left join pg_catalog.pg_constraint co on u.classid = 'pg_catalog.pg_constraint'::regclass and co.oid = u.objid
  left join pg_catalog.pg_trigger tg on u.classid = 'pg_catalog.pg_trigger'::regclass and tg.oid = u.objid
  cross join lateral (select
    case when u.classid = 'pg_catalog.pg_class'::regclass then coalesce(ix.indrelid, u.objid)
      else coalesce(ad.adrelid, rw.ev_class, nullif(co.conrelid, 0), tg.tgrelid) end as rel,
    case when u.classid = 'pg_catalog.pg_type'::regclass then u.objid else nullif(co.contypid, 0) end as typ) o
  where (o.rel is not null or o.typ is not null)
    and not exists (select 1 from pg_catalog.pg_depend x where x.deptype = 'e'
      and ((x.classid = 'pg_catalog.pg_class'::regclass and x.objid = o.rel) or (x.classid = 'pg_catalog.pg_type'::regclass and x.objid = o.typ)))),
-- An extension's requirements: pg_depend rows from one pg_extension row to another.
requires as (
  select r.objid as ext, r.refobjid as req
  from pg_catalog.pg_depend r
  where r.classid = 'pg_catalog.pg_extension'::regclass and r.refclassid = 'pg_catalog.pg_extension'::regclass and r.deptype = 'n'),
needed as (
  select ext from used
  union
  select q.req from needed n join requires q on q.ext = n.ext),
-- (start, an extension start requires at some depth, that depth): the longest is start's height.
chain as (
  select ext as start, ext as cur, 0 as depth from needed
  union all
  select c.start, q.req, c.depth + 1 from chain c join requires q on q.ext = c.cur where c.depth < 100)
select e.extname as name, n.nspname as schema, e.extversion as version, h.start is not null as used
from pg_catalog.pg_extension e
join pg_catalog.pg_namespace n on n.oid = e.extnamespace
left join (select start, max(depth) as height from chain group by start) h on h.start = e.oid
where e.extname <> 'plpgsql'
order by h.height nulls last, e.oid`;

export interface InstalledExtensions {
  /** The extensions to create, a requirement first. */
  readonly used: { name: string; schema: string; version: string }[];
  /** The other installed extensions (not plpgsql): nothing kiln reads depends on them. */
  readonly unused: string[];
}

export async function readUsedExtensions(knex: Knex): Promise<InstalledExtensions> {
  const { rows } = (await knex.raw(USED_EXTENSIONS_SQL)) as { rows: { name: string; schema: string; version: string; used: boolean }[] };
  return {
    used: rows.filter((r) => r.used).map(({ name, schema, version }) => ({ name, schema, version })),
    unused: rows.filter((r) => !r.used).map((r) => r.name),
  };
}
