import type { Knex } from 'knex';
import { deepFreeze, makeSchema } from '../../schema/build';
import { INTEGER_TYPES, type Column, type ColumnDefault, type ColumnType, type ForeignKey, type Index, type ReferentialAction, type Schema, type Table, type Unique, type Unmanaged } from '../../schema/types';
import { identityOptionsOf } from '../../schema/sequence';
import { sequenceOfRow, type SequenceOptionsRow } from './sequences';
import { balanced, normalizeExpression, typedLiteral } from '../../schema/defaults';
import { DEFAULT_BOOKKEEPING_TABLES } from '../../introspect/ignored';
import { mapPgType } from './column-types';
import { isPlainIndex, qualified, specialUnique, withTableExtras } from './introspect-table-extras';

/**
 * PostgreSQL -> canonical {@link Schema}, in four catalog queries whatever the number of
 * tables (tables, columns, constraints, indexes: each over the whole schema).
 *
 * Normalisation at the boundary (see the normal forms in ../../schema/types):
 * - Types by `format_type()` (./column-types mapPgType): integer; smallint; bigint;
 *   `character varying(n)` -> string n (no length: text); `character(n)` -> char n; text;
 *   date; `time[(p)] with[out] time zone` -> time (timezone: true when with);
 *   `timestamp[(p)] with[out] time zone` -> datetime (timezone: false when without; precision
 *   6 is the default); interval (any fields) -> interval; real -> real; double precision ->
 *   float; numeric(p,s) -> decimal; boolean; json; jsonb; bytea -> binary; uuid; `x[]` ->
 *   array of x; anything else -> custom, in its normalised spelling.
 * - `serial`/`bigserial`/`smallserial` (a `nextval(...)` default on a sequence the column owns)
 *   and identity columns: the sequence never surfaces as a default; autoIncrement is true only
 *   when the column is the lone primary key. A `nextval('s'::regclass)` default on a standalone sequence
 *   is the expression default `nextval('s')`.
 * - Defaults: casts and parentheses are stripped (`'-1'::integer`, `(-1)`, `'a''b'::character
 *   varying`), literals are typed by the column type; `now()`, `CURRENT_TIMESTAMP` ->
 *   expression 'CURRENT_TIMESTAMP'; `NULL::...` -> no default; other expressions verbatim
 *   (a bare keyword or `fn()` upper-cased, as the model compiler does). A `timestamptz`
 *   literal reads back in the session's zone with its offset (`'2020-01-02 03:04:05+00'` for a
 *   model's '2020-01-02 03:04:05'): the offset is dropped, so a zone-less literal round-trips.
 * - Unique constraints and unique indexes -> uniques (real names); the primary key's index and
 *   the indexes backing unique/exclusion constraints are not indexes. Partial, expression,
 *   descending, non-btree and INCLUDE indexes, CHECK constraints and comments: see
 *   ./introspect-table-extras (an index kiln cannot model is Table.unmanaged).
 * - FK actions from confdeltype/confupdtype letters; uniques, indexes and foreign keys are
 *   sorted by name.
 */

export interface PostgresIntrospectOptions {
  /** Default: the connection's current schema (`?schema=` in the URL, else `public`). */
  readonly schema?: string;
  /** The other schemas read (config `schemas`): their tables are named `schema.table`. */
  readonly schemas?: readonly string[];
  /** Every table left out (default: DEFAULT_BOOKKEEPING_TABLES); see IntrospectOptions. */
  readonly ignoreTables?: readonly string[];
  /** Called with each SQL statement before it runs (tests count queries with it). */
  readonly onQuery?: (sql: string) => void;
}

/**
 * The managed schemas (bindings: the default schema or null for the connection's current one,
 * then the other managed schemas, config `schemas`), each with the prefix of its tables' names:
 * none in the default schema, `billing.` elsewhere (../../schema/qualified). Every query starts
 * with it, so several schemas cost no extra query.
 */
export const WITH_SCHEMAS = `
with kiln_default as (select coalesce(?::text, current_schema()) as name),
kiln_ns as (
  select n.oid, n.nspname, case when n.nspname = d.name then '' else n.nspname || '.' end as prefix
  from pg_catalog.pg_namespace n cross join kiln_default d
  where n.nspname = d.name or n.nspname = any(?::text[]))`;

/** The name of a table in another schema as kiln says it (`billing.invoice`), bare in the default one. */
const qualifiedName = (namespace: string, relname: string) =>
  `(case when ${namespace} = (select name from kiln_default) then '' else ${namespace} || '.' end) || ${relname}`;

/**
 * An enum type's name as kiln says it (src/schema/qualified.ts splitTypeName): bare in the default
 * schema, `shared.mood` in another one, `.Odd.Name` for a default-schema type whose name holds a '.'.
 */
const typeName = (namespace: string, typname: string) =>
  `(case when ${namespace} <> (select name from kiln_default) then ${namespace} || '.' when strpos(${typname}, '.') > 0 then '.' else '' end) || ${typname}`;

// An empty managed schema gives one row with no table (its existence is Schema.schemas).
const TABLES_SQL = `${WITH_SCHEMAS}
select n.prefix || c.relname as table_name, ds.description as comment, n.nspname as schema_name, n.prefix,
  case when c.relkind = 'p' then pg_catalog.pg_get_partkeydef(c.oid) end as partition_key, c.relpersistence = 'u' as unlogged,
  (select array_agg(pc.oid::regclass::text order by i.inhseqno) from pg_catalog.pg_inherits i
    join pg_catalog.pg_class pc on pc.oid = i.inhparent where i.inhrelid = c.oid) as inherits
from kiln_ns n
left join pg_catalog.pg_class c on n.oid = c.relnamespace and c.relkind in ('r', 'p') and not c.relispartition
left join pg_catalog.pg_description ds on ds.objoid = c.oid and ds.classoid = 'pg_catalog.pg_class'::regclass and ds.objsubid = 0
order by table_name`;

// Joins rather than per-row subqueries and col_description(): the planner's estimate stays far
// below jit_above_cost (the per-row EXISTS put it at 440k for 1000 tables, and PostgreSQL's
// default JIT then spent 45 ms compiling a catalog query that runs in 50).
const COLUMNS_SQL = `
${WITH_SCHEMAS}
select n.prefix || c.relname as table_name, a.attname as column_name, a.attnum as position,
  pg_catalog.format_type(a.atttypid, a.atttypmod) as data_type, a.attnotnull as not_null,
  a.attidentity as identity, pg_catalog.pg_get_expr(d.adbin, d.adrelid) as default_expr,
  a.attgenerated as generated, case when ty.typtype = 'e' then (select ${typeName('tn.nspname', 'ty.typname')}
    from pg_catalog.pg_namespace tn where tn.oid = ty.typnamespace) end as enum_name,
  case when ty.typtype = 'e' then array(select e.enumlabel::text from pg_catalog.pg_enum e
    where e.enumtypid = ty.oid order by e.enumsortorder) end as enum_values,
  ds.description as comment, co.collname as collation,
  owned.refobjid is not null as owned_sequence
from pg_catalog.pg_attribute a
join pg_catalog.pg_class c on c.oid = a.attrelid
join pg_catalog.pg_type ty on ty.oid = a.atttypid
join kiln_ns n on n.oid = c.relnamespace
left join pg_catalog.pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
left join pg_catalog.pg_collation co on co.oid = a.attcollation and a.attcollation <> ty.typcollation
left join pg_catalog.pg_description ds on ds.objoid = a.attrelid and ds.classoid = 'pg_catalog.pg_class'::regclass and ds.objsubid = a.attnum
left join (select distinct dep.refobjid, dep.refobjsubid from pg_catalog.pg_depend dep
    join pg_catalog.pg_class sq on sq.oid = dep.objid and sq.relkind = 'S'
    where dep.classid = 'pg_catalog.pg_class'::regclass and dep.refclassid = 'pg_catalog.pg_class'::regclass and dep.deptype in ('a', 'i')) owned
  on owned.refobjid = a.attrelid and owned.refobjsubid = a.attnum
where c.relkind in ('r', 'p') and a.attnum > 0 and not a.attisdropped
order by table_name, a.attnum`;

/** Column names of a key, in key order. */
const keyNames = (rel: string, keys: string) => `array(
    select a.attname::text from unnest(${keys}) with ordinality k(num, ord)
    join pg_catalog.pg_attribute a on a.attrelid = ${rel} and a.attnum = k.num
    order by k.ord)`;

// Keys come as attribute numbers, named in kiln from the columns query's rows (resolveKeys()):
// naming them here, two subqueries per constraint, was 60 % of this query's time cold (1000
// tables: 37 -> 15 ms), and this query ends last. The names are still read here where the
// columns query has no row for them: a key on a system column (a check on tableoid) or an
// expression (attribute 0), a foreign key to a table outside the managed schemas.
const CONSTRAINTS_SQL = `${WITH_SCHEMAS}
select n.prefix || c.relname as table_name, con.conname as name, con.contype as type,
  con.conkey as key_numbers,
  case when not (0 < all(coalesce(con.conkey, '{}'))) then ${keyNames('con.conrelid', 'con.conkey')} end as columns,
  ${qualifiedName('rn.nspname', 'rc.relname')} as ref_table, con.confkey as ref_key_numbers,
  case when con.confrelid <> 0 and not (rc.relkind in ('r', 'p') and rc.relnamespace in (select oid from kiln_ns) and 0 < all(con.confkey))
    then ${keyNames('con.confrelid', 'con.confkey')} end as ref_columns,
  con.confdeltype as on_delete, con.confupdtype as on_update, con.condeferrable as deferrable, con.condeferred as deferred,
  case when con.contype in ('c', 'u', 'x') then pg_catalog.pg_get_constraintdef(con.oid) end as definition,
  dc.description as comment, ci.relname as index_name, dci.description as index_comment
from pg_catalog.pg_constraint con
join pg_catalog.pg_class c on c.oid = con.conrelid
join kiln_ns n on n.oid = c.relnamespace
left join pg_catalog.pg_description dc on dc.objoid = con.oid and dc.classoid = 'pg_catalog.pg_constraint'::regclass and dc.objsubid = 0
left join pg_catalog.pg_class ci on ci.oid = con.conindid and con.contype in ('p', 'u', 'x')
left join pg_catalog.pg_description dci on dci.objoid = ci.oid and dci.classoid = 'pg_catalog.pg_class'::regclass and dci.objsubid = 0
left join pg_catalog.pg_class rc on rc.oid = con.confrelid
left join pg_catalog.pg_namespace rn on rn.oid = rc.relnamespace
where con.contype in ('p', 'u', 'f', 'c', 'x')
order by table_name, con.conname`;

// The per-key texts only for an index with an expression, the operator classes against one list
// of the non-default ones (an InitPlan run once): the per-index subqueries were half of this
// query's time at 1000 indexes.
const INDEXES_SQL = `${WITH_SCHEMAS}
select n.prefix || c.relname as table_name, ic.relname as name, i.indisunique as is_unique,
  ${keyNames('i.indrelid', '(i.indkey::int2[])[0:i.indnkeyatts - 1]')} as columns,
  (i.indexprs is not null or i.indpred is not null or 0 = any(i.indkey::int2[])) as is_special,
  pg_catalog.pg_get_indexdef(i.indexrelid) as definition, am.amname as method,
  pg_catalog.pg_get_expr(i.indpred, i.indrelid) as predicate, i.indoption::int2[] as options,
  (i.indkey::int2[])[0:i.indnkeyatts - 1] as key_numbers,
  case when 0 = any(i.indkey::int2[]) then array(select pg_catalog.pg_get_indexdef(i.indexrelid, k, true) from generate_series(1, i.indnkeyatts) k) end as key_definitions,
  ${keyNames('i.indrelid', '(i.indkey::int2[])[i.indnkeyatts:i.indnatts - 1]')} as include,
  not (i.indclass::oid[] && (select array_agg(opc.oid) from pg_catalog.pg_opclass opc where not opc.opcdefault)) as default_classes,
  di.description as comment
from pg_catalog.pg_index i
join pg_catalog.pg_class c on c.oid = i.indrelid
join pg_catalog.pg_class ic on ic.oid = i.indexrelid
left join pg_catalog.pg_description di on di.objoid = i.indexrelid and di.classoid = 'pg_catalog.pg_class'::regclass and di.objsubid = 0
join pg_catalog.pg_am am on am.oid = ic.relam
join kiln_ns n on n.oid = c.relnamespace
where c.relkind in ('r', 'p') and not i.indisprimary
  and not exists (select 1 from pg_catalog.pg_constraint con
    where con.conindid = i.indexrelid and con.conrelid = i.indrelid and con.contype in ('p', 'u', 'x'))
order by table_name, ic.relname`;

interface ColumnRow {
  table_name: string;
  column_name: string;
  /** attnum: what a constraint's keys hold (resolveKeys()). */
  position: number;
  data_type: string;
  not_null: boolean;
  identity: string;
  default_expr: string | null;
  generated: string;
  enum_name: string | null;
  enum_values: string[] | null;
  comment: string | null;
  /** The column's collation where it is not its type's default (the database's). */
  collation: string | null;
  /**
   * Whether the column owns a sequence (a serial's or an identity's). Read with default_expr in
   * kiln (ownsSequence()), not in the SQL: a second pg_get_expr() per default cost the cold
   * columns query about 10 % at 1000 tables.
   */
  owned_sequence: boolean;
}

/** A row of CONSTRAINTS_SQL once its keys are named (resolveKeys()). */
export interface ConstraintRow {
  table_name: string;
  name: string;
  type: 'p' | 'u' | 'f' | 'c' | 'x';
  columns: string[];
  ref_table: string | null;
  ref_columns: string[];
  on_delete: string;
  on_update: string;
  deferrable: boolean;
  deferred: boolean;
  definition: string | null;
  /** COMMENT ON CONSTRAINT (Unmanaged: the models say table and column comments only). */
  comment: string | null;
  /** The index of a primary key, unique or exclusion constraint, and its COMMENT ON INDEX. */
  index_name: string | null;
  index_comment: string | null;
}

export interface IndexRow {
  table_name: string;
  name: string;
  is_unique: boolean;
  columns: string[];
  is_special: boolean;
  definition: string;
  method: string;
  predicate: string | null;
  options: number[];
  key_numbers: number[];
  /** Each key's text (`pg_get_indexdef(index, k, true)`); only for an index with an expression key, else null. */
  key_definitions: string[] | null;
  include: string[];
  default_classes: boolean | null;
  /** COMMENT ON INDEX (Unmanaged). */
  comment: string | null;
}

export async function introspectPostgres(knex: Knex, options: PostgresIntrospectOptions = {}): Promise<Schema> {
  const bindings = [options.schema ?? null, [...(options.schemas ?? [])]];
  const run = async <T>(sql: string): Promise<T[]> => {
    options.onQuery?.(sql);
    const result = (await knex.raw(sql, bindings)) as { rows: T[] };
    return result.rows;
  };
  // Side by side on the pool's connections (the statements and their number are the same), the
  // longest first: with two connections, columns on one and indexes on the other, then the
  // constraints and the short tables' query.
  const [columns, indexes, constraints, rows] = await Promise.all([
    run<ColumnRow>(COLUMNS_SQL),
    run<IndexRow>(INDEXES_SQL),
    run<ConstraintKeysRow>(CONSTRAINTS_SQL),
    run<TableRow>(TABLES_SQL),
  ]);
  const tables = rows.filter((r): r is typeof r & { table_name: string } => r.table_name !== null);
  const ignored = new Set(options.ignoreTables ?? DEFAULT_BOOKKEEPING_TABLES);
  const byTable = <R extends { table_name: string }>(rows: R[]) => {
    const map = new Map<string, R[]>();
    for (const r of rows) (map.get(r.table_name) ?? map.set(r.table_name, []).get(r.table_name)!).push(r);
    return map;
  };
  const cols = byTable(columns);
  const cons = byTable(resolveKeys(constraints, cols));
  const idxs = byTable(indexes);
  const out: Table[] = [];
  for (const row of tables) {
    const { table_name: name, comment } = row;
    if (ignored.has(name)) continue;
    const table = buildTable(name, cols.get(name) ?? [], cons.get(name) ?? [], idxs.get(name) ?? []);
    out.push(withSerialDefaults(withStructure(withTableExtras(table, comment, cons.get(name) ?? [], idxs.get(name) ?? []), row), cols.get(name) ?? []));
  }
  // An identity's sequence options: one more query, only where some column is an identity.
  const identities = columns.some((r) => r.identity === 'a' || r.identity === 'd') ? await run<IdentityRow>(IDENTITY_SQL) : [];
  const schemas = [...new Set(rows.filter((r) => r.prefix !== '').map((r) => r.schema_name))].sort();
  const schema = makeSchema(identities.length ? withIdentityOptions(out, identities) : out);
  return schemas.length ? deepFreeze({ ...schema, schemas }) : schema;
}

const IDENTITY_SQL = `${WITH_SCHEMAS}
select n.prefix || c.relname as table_name, a.attname as column_name, pg_catalog.format_type(s.seqtypid, null) as type,
  s.seqstart::text as start, s.seqincrement::text as increment, s.seqmin::text as min_value, s.seqmax::text as max_value,
  s.seqcache::text as cache, s.seqcycle as cycle
from kiln_ns n
join pg_catalog.pg_class c on c.relnamespace = n.oid and c.relkind in ('r', 'p')
join pg_catalog.pg_attribute a on a.attrelid = c.oid and a.attidentity <> ''
join pg_catalog.pg_depend d on d.refobjid = c.oid and d.refobjsubid = a.attnum and d.deptype = 'i'
  and d.classid = 'pg_catalog.pg_class'::regclass and d.refclassid = 'pg_catalog.pg_class'::regclass
join pg_catalog.pg_sequence s on s.seqrelid = d.objid`;

interface IdentityRow extends SequenceOptionsRow {
  table_name: string;
  column_name: string;
}

/** Each identity column with the options of its sequence that differ from the defaults (Column.identityOptions). */
function withIdentityOptions(tables: readonly Table[], rows: readonly IdentityRow[]): Table[] {
  const byColumn = new Map(rows.map((r) => [`${r.table_name}\0${r.column_name}`, r]));
  return tables.map((t) => {
    if (!t.columns.some((c) => c.identity && byColumn.has(`${t.name}\0${c.name}`))) return t;
    const columns = t.columns.map((c) => {
      const r = c.identity ? byColumn.get(`${t.name}\0${c.name}`) : undefined;
      if (!r || !['smallint', 'integer', 'bigint'].includes(r.type)) return c;
      const options = identityOptionsOf(sequenceOfRow('', r));
      return options ? { ...c, identityOptions: options } : c;
    });
    return { ...t, columns };
  });
}

interface TableRow {
  table_name: string | null;
  comment: string | null;
  schema_name: string;
  prefix: string;
  /** A partitioned table's `RANGE (created_at)`; null for a plain table. */
  partition_key: string | null;
  /** The tables it inherits from (table inheritance; a partition is never read), as regclass text. */
  inherits: string[] | null;
  /** CREATE UNLOGGED TABLE (no WAL: faster writes, emptied after a crash, not replicated). */
  unlogged: boolean | null;
}

/**
 * A partitioned table (its partitions are not read) or one that inherits from others: the model
 * language cannot say either, and a table re-created from its columns would be a plain one (the
 * partitions or the inheritance gone) in silence. Each is an Unmanaged entry with no statement
 * (src/render/table.ts refuseUnrecreatable): kept as it is, listed by `db check`, and a migration
 * that would re-create the table (a baseline, a `down` that restores it) is refused, naming it.
 */
function withStructure(table: Table, row: TableRow): Table {
  const extra: Unmanaged[] = [];
  if (row.partition_key) extra.push({ kind: 'partitioning', name: `PARTITION BY ${row.partition_key}`, sql: '' });
  if (row.inherits?.length) extra.push({ kind: 'inheritance', name: `INHERITS (${row.inherits.join(', ')})`, sql: '' });
  // Re-set after CREATE TABLE (a baseline, a down() re-creating it): the models cannot say it.
  if (row.unlogged) extra.push({ kind: 'persistence', name: 'UNLOGGED', sql: `ALTER TABLE ${qualified(table.name)} SET UNLOGGED` });
  return extra.length ? { ...table, unmanaged: [...(table.unmanaged ?? []), ...extra] } : table;
}

const quoteId = (id: string) => `"${id.replace(/"/g, '""')}"`;

/**
 * A `serial` column that is not a lone key (one of a composite key, or no key at all): the column
 * owns a sequence and defaults to its nextval(), which the model language cannot say (only a lone
 * integer key auto-increments). Read as no default, as before, but kept: an Unmanaged column option
 * whose statements recreate the sequence and the default, so `db check` lists it and a table
 * re-created by a baseline or a `down` keeps numbering its rows.
 */
function withSerialDefaults(table: Table, colRows: readonly ColumnRow[]): Table {
  const extra: Unmanaged[] = [];
  for (const r of colRows) {
    if (r.identity !== '' || ownsSequence(r) !== true) continue;
    if (table.columns.find((c) => c.name === r.column_name)?.autoIncrement) continue;
    const sequence = /^nextval\('((?:[^']|'')+)'::regclass\)$/.exec(r.default_expr!)?.[1].replace(/''/g, "'");
    if (sequence === undefined) continue;
    const target = qualified(table.name);
    const as = /^(smallint|integer|bigint)$/.test(r.data_type) ? ` AS ${r.data_type}` : '';
    extra.push({
      kind: 'column option',
      name: `${r.column_name} DEFAULT ${r.default_expr}`,
      sql: `CREATE SEQUENCE ${sequence}${as} OWNED BY ${target}.${quoteId(r.column_name)}; ALTER TABLE ${target} ALTER COLUMN ${quoteId(r.column_name)} SET DEFAULT ${r.default_expr}`,
    });
  }
  return extra.length ? { ...table, unmanaged: [...(table.unmanaged ?? []), ...extra] } : table;
}

/** CONSTRAINTS_SQL's row: keys as attribute numbers; `columns` / `ref_columns` only where the columns query cannot name them. */
type ConstraintKeysRow = Omit<ConstraintRow, 'columns' | 'ref_columns'> & {
  key_numbers: number[] | null;
  ref_key_numbers: number[] | null;
  columns: string[] | null;
  ref_columns: string[] | null;
};

/** Names each constraint's keys from the columns of its table (and of the referenced one), in key order. */
function resolveKeys(rows: readonly ConstraintKeysRow[], columns: ReadonlyMap<string, readonly ColumnRow[]>): ConstraintRow[] {
  const numbered = new Map<string, Map<number, string>>();
  const named = (table: string | null, numbers: readonly number[] | null): string[] => {
    if (table === null || numbers === null) return [];
    let byNumber = numbered.get(table);
    if (!byNumber) numbered.set(table, (byNumber = new Map((columns.get(table) ?? []).map((c) => [c.position, c.column_name]))));
    const names: string[] = [];
    for (const n of numbers) {
      const name = byNumber.get(n);
      if (name !== undefined) names.push(name);
    }
    return names;
  };
  return rows.map(({ key_numbers, ref_key_numbers, columns: keyColumns, ref_columns, ...row }) => ({
    ...row,
    columns: keyColumns ?? named(row.table_name, key_numbers),
    ref_columns: ref_columns ?? named(row.ref_table, ref_key_numbers),
  }));
}

function buildTable(name: string, colRows: ColumnRow[], conRows: ConstraintRow[], idxRows: IndexRow[]): Table {
  const pk = conRows.find((c) => c.type === 'p');
  const lonePk = pk && pk.columns.length === 1 ? pk.columns[0] : null;
  // A NULLS NOT DISTINCT (PostgreSQL 15) or DEFERRABLE unique is not a plain Unique: Table.unmanaged (./introspect-table-extras).
  const uniques: Unique[] = conRows.filter((c) => c.type === 'u' && !specialUnique(c)).map((c) => ({ name: c.name, columns: c.columns }));
  const indexes: Index[] = [];
  for (const i of idxRows) {
    if (!isPlainIndex(i)) continue;
    if (i.is_unique) uniques.push({ name: i.name, columns: i.columns, indexOnly: true });
    else indexes.push({ name: i.name, columns: i.columns });
  }
  const foreignKeys: ForeignKey[] = conRows
    .filter((c) => c.type === 'f')
    .map((c) => ({
      name: c.name,
      columns: c.columns,
      refTable: c.ref_table ?? '',
      refColumns: c.ref_columns,
      onDelete: ACTIONS[c.on_delete] ?? 'NO ACTION',
      onUpdate: ACTIONS[c.on_update] ?? 'NO ACTION',
    }));
  return {
    name,
    columns: colRows.map((r) => buildColumn(r, r.column_name === lonePk)),
    primaryKey: pk ? { name: pk.name, columns: pk.columns } : null,
    indexes: indexes.sort(byName),
    uniques: uniques.sort(byName),
    foreignKeys: foreignKeys.sort(byName),
  };
}

const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

const ACTIONS: Readonly<Record<string, ReferentialAction>> = {
  a: 'NO ACTION',
  r: 'RESTRICT',
  c: 'CASCADE',
  n: 'SET NULL',
  d: 'SET DEFAULT',
};

/** A `nextval(...)` default: whether the column owns that sequence (serial), else null. */
function ownsSequence(r: ColumnRow): boolean | null {
  return r.default_expr !== null && r.default_expr.startsWith('nextval(') ? r.owned_sequence : null;
}

function buildColumn(r: ColumnRow, lonePk: boolean): Column {
  const { type, length, ...fields } = r.enum_name !== null ? { type: 'enum' as const, length: null } : mapPgType(r.data_type);
  const isInteger = INTEGER_TYPES.has(type);
  // A nextval() default on a sequence the column does not own (a standalone one, issue 12
  // item 4) is a plain expression default, as the models write it: nextval('name').
  const standalone = ownsSequence(r) === false;
  const sequence = r.identity !== '' || (!standalone && /^nextval\(/i.test(r.default_expr ?? ''));
  const generated = r.generated === 's';
  return {
    name: r.column_name,
    type,
    length,
    nullable: !r.not_null,
    default: sequence || generated ? null : standalone ? { kind: 'expression', sql: r.default_expr!.replace(/'::regclass\)$/, "')") } : parseDefault(r.default_expr, type),
    autoIncrement: sequence && isInteger && lonePk,
    unsigned: false,
    ...fields,
    ...columnExtras(r),
    ...(r.comment ? { comment: r.comment } : {}),
    ...(r.collation ? { collation: r.collation } : {}),
  };
}

/** Enum type (pg_enum), STORED generation (attgenerated 's', its expression in pg_attrdef) and identity (attidentity a/d). */
function columnExtras(r: ColumnRow): Pick<Column, 'enum' | 'generated' | 'identity'> {
  const out: { -readonly [K in 'enum' | 'generated' | 'identity']?: Column[K] } = {};
  if (r.enum_name !== null) out.enum = { name: r.enum_name, values: r.enum_values ?? [] };
  if (r.generated === 's' && r.default_expr !== null) out.generated = { expression: normalizeExpression(r.default_expr), stored: true };
  if (r.identity === 'a' || r.identity === 'd') out.identity = r.identity === 'a' ? 'always' : 'by default';
  return out;
}

export { mapPgType as mapType } from './column-types';

/** `pg_get_expr()` of a default -> canonical default. */
export function parseDefault(expr: string | null, type: ColumnType): ColumnDefault | null {
  if (expr === null) return null;
  // A negative bare number prints quoted with its own type's cast (`'-2'::integer`): on a custom
  // type (money DEFAULT -2) it is the bare number, as a positive one (see below).
  const negative = type === 'custom' ? /^'(-\d+(?:\.\d+)?)'::(?:integer|bigint|smallint|numeric)$/.exec(expr.trim()) : null;
  if (negative) return { kind: 'expression', sql: negative[1] };
  let e = stripCasts(expr.trim());
  while (/^\(.*\)$/s.test(e) && balanced(e.slice(1, -1))) e = stripCasts(e.slice(1, -1).trim());
  if (/^null$/i.test(e)) return null;
  const quoted = /^'((?:[^']|'')*)'$/s.exec(e);
  if (quoted) return literal(quoted[1].replace(/''/g, "'"), type);
  // A bare number on a type kiln does not know (money: `DEFAULT 0`) is cast when a row is
  // written; as a quoted literal it would be cast once, at CREATE, into the type's own text
  // ('$0.00'::money), and a baseline's copy would differ: kept a number, `.defaultRaw('0')`.
  if (/^-?\d+(\.\d+)?(e[+-]?\d+)?$/i.test(e)) return type === 'custom' ? { kind: 'expression', sql: e } : literal(e, type);
  if (/^(true|false)$/i.test(e)) return literal(e.toLowerCase(), type);
  return { kind: 'expression', sql: normalizeExpression(e) };
}

/** Removes trailing `::type` casts (types may hold spaces, parentheses, brackets, quotes, a schema). */
function stripCasts(e: string): string {
  let out = e;
  for (;;) {
    // The type may be of another schema: `'draft'::billing.invoice_status`.
    const m = /::(?:(?:"[^"]+"|[a-z_]\w*)\.)?(?:"[^"]+"|[a-z_][\w ]*)(?:\([\d, ]*\))?(?:\[\])*$/i.exec(out);
    if (!m || !balanced(out.slice(0, m.index))) return out;
    out = out.slice(0, m.index).trim();
  }
}

const TIMESTAMP_WITH_OFFSET = /^(\d{4,}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)?)[+-]\d\d(?::\d\d){0,2}$/;

/** A timestamptz literal reads back in the session's zone with an offset: drop it, so a zone-less literal round-trips. */
function literal(text: string, type: ColumnType): ColumnDefault {
  const m = type === 'datetime' ? TIMESTAMP_WITH_OFFSET.exec(text) : null;
  return m ? { kind: 'literal', value: m[1] } : typedLiteral(text, type);
}


