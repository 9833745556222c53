import type { Knex } from 'knex';
import type { IntrospectOptions } from '../../introspect';
import type { View } from '../../schema/types';
import { probeName, trimDefinition, type DialectViews } from '../views';
import { pgStringLiteral } from './literal';

const VIEWS_SQL = `
select c.relname as name, pg_catalog.pg_get_viewdef(c.oid, true) as definition, c.relkind = 'm' as materialized, c.reloptions as options,
  pg_catalog.obj_description(c.oid, 'pg_class') as comment,
  coalesce((select json_agg(json_build_object('name', ic.relname, 'unique', x.indisunique,
      'columns', array(select a.attname::text from unnest(x.indkey::int2[]) with ordinality k(num, ord)
        join pg_catalog.pg_attribute a on a.attrelid = c.oid and a.attnum = k.num order by k.ord),
      'sql', case when x.indexprs is not null or x.indpred is not null or 0 = any(x.indkey::int2[])
          or am.amname <> 'btree' or x.indnatts <> x.indnkeyatts or 0 <> any(x.indoption::int2[])
          or x.indclass::oid[] && (select array_agg(opc.oid) from pg_catalog.pg_opclass opc where not opc.opcdefault)
          or pg_catalog.pg_get_indexdef(x.indexrelid) ~* '\\s(COLLATE|WITH\\s*\\(|TABLESPACE|NULLS NOT DISTINCT)'
        then pg_catalog.pg_get_indexdef(x.indexrelid) end,
      'comment', pg_catalog.obj_description(ic.oid, 'pg_class')) order by ic.relname)
    from pg_catalog.pg_index x join pg_catalog.pg_class ic on ic.oid = x.indexrelid
    join pg_catalog.pg_am am on am.oid = ic.relam where x.indrelid = c.oid), '[]') as indexes
from pg_catalog.pg_class c
join pg_catalog.pg_namespace n on n.oid = c.relnamespace
where n.nspname = coalesce(?::text, current_schema()) and c.relkind in ('v', 'm')
  and not exists (select 1 from pg_catalog.pg_depend d where d.objid = c.oid and d.deptype = 'e')
order by c.relname`;

const PROBES_SQL = `
select c.relname as name, pg_catalog.pg_get_viewdef(c.oid, true) as definition
from pg_catalog.pg_class c where c.relnamespace = pg_catalog.pg_my_temp_schema() and c.relkind = 'v'`;

/**
 * PostgreSQL: `pg_get_viewdef(oid, true)` is the stored form (pretty-printed, names qualified
 * only where the search path would not find them). The probe creates each model view as a
 * temporary view inside a transaction that is rolled back (DDL is transactional): all in one
 * statement, or one savepoint per view when one of them cannot be created now.
 */
export const postgresViews: DialectViews = {
  async read(knex, options) {
    options.onQuery?.(VIEWS_SQL);
    const { rows } = (await knex.raw(VIEWS_SQL, [options.schema ?? null])) as { rows: ViewRow[] };
    return rows.map(toView);
  },
  async probe(knex, views, options) {
    const out = new Map<string, string>();
    if (!views.length) return out;
    try {
      await knex.transaction(async (trx) => {
        await probeAll(trx, views, options);
        const { rows } = (await trx.raw(PROBES_SQL)) as { rows: { name: string; definition: string }[] };
        const byProbe = new Map(views.map((v, i) => [probeName(i), v.name]));
        for (const r of rows) {
          const name = byProbe.get(r.name);
          if (name !== undefined) out.set(name, trimDefinition(r.definition));
        }
        throw ROLLBACK;
      });
    } catch (e) {
      if (e !== ROLLBACK) return new Map(); // e.g. a read-only standby: compare as written
    }
    return out;
  },
};

interface ViewRow {
  name: string;
  definition: string;
  materialized: boolean;
  options: string[] | null;
  comment: string | null;
  indexes: { name: string; unique: boolean; columns: string[]; sql: string | null; comment: string | null }[];
}

/**
 * A materialized view with its indexes; one a model cannot say keeps `pg_get_indexdef`'s
 * statement, compared and re-created as it is: anything but a btree on plain columns with their
 * default operator classes and collations, no sort order, no storage parameter, tablespace,
 * INCLUDE, NULLS NOT DISTINCT, expression or predicate (the criteria of a table's plain index,
 * ./introspect-table-extras isPlainIndex). A gist, gin or brin index, an operator class
 * (gin_trgm_ops) or DESC NULLS LAST read as columns would come back as a plain btree.
 */
function toView(r: ViewRow): View {
  // WITH (security_barrier), WITH CHECK OPTION (check_option=cascaded), a storage parameter, a
  // comment, a comment on a materialized view's index: no model says them; each is set again
  // after the view is re-created (an index's by the index, ViewIndex.comment).
  const indexComments = r.materialized ? r.indexes.filter((i) => i.comment !== null).map((i) => `comment on index ${i.name}`) : [];
  const unmanaged = [...(r.options ?? []), ...(r.comment === null ? [] : ['comment']), ...indexComments];
  const view: View = { name: r.name, definition: trimDefinition(r.definition), dependsOn: [], ...(unmanaged.length ? { unmanaged, restate: restatements(r) } : {}) };
  if (!r.materialized) return view;
  const indexes = r.indexes.map((i) => ({
    name: i.name,
    columns: i.columns,
    ...(i.unique ? { unique: true as const } : {}),
    ...(i.sql ? { sql: i.sql } : {}),
    ...(i.comment !== null ? { comment: i.comment } : {}),
  }));
  return { ...view, materialized: true, ...(indexes.length ? { indexes } : {}) };
}

/** `ALTER VIEW v SET (...)` for the options, `COMMENT ON VIEW v IS '...'` for the comment. */
function restatements(r: ViewRow): string[] {
  const target = `${r.materialized ? 'MATERIALIZED VIEW' : 'VIEW'} "${r.name.replace(/"/g, '""')}"`;
  const out: string[] = [];
  if (r.options?.length) out.push(`ALTER ${target} SET (${r.options.join(', ')})`);
  if (r.comment !== null) out.push(`COMMENT ON ${target} IS ${pgStringLiteral(r.comment)}`);
  return out;
}

const ROLLBACK = new Error('kiln: probe rolled back');

/**
 * All the temporary views in one statement (one round trip); when one of them cannot be
 * created, the batch is undone and each is tried under its own savepoint.
 */
async function probeAll(trx: Knex.Transaction, views: readonly View[], options: IntrospectOptions): Promise<void> {
  const statements = views.map((v, i) => `create temporary view "${probeName(i)}" as ${v.definition}`.replace(/\?/g, '\\?'));
  if (await tryUnder(trx, statements.join(';\n'), options)) return;
  for (const sql of statements) await tryUnder(trx, sql, options);
}

async function tryUnder(trx: Knex.Transaction, sql: string, options: IntrospectOptions): Promise<boolean> {
  options.onQuery?.(sql);
  await trx.raw('savepoint kiln_probe');
  try {
    await trx.raw(sql);
    await trx.raw('release savepoint kiln_probe');
    return true;
  } catch {
    await trx.raw('rollback to savepoint kiln_probe');
    return false;
  }
}
