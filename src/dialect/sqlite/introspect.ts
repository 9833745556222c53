import type { Knex } from 'knex';
import { makeSchema } from '../../schema/build';
import { foreignKeyName, primaryKeyName, uniqueName } from '../../schema/naming';
import type { Column, ForeignKey, Index, PrimaryKey, ReferentialAction, Schema, Table, Unique, Unmanaged } from '../../schema/types';
import { parseSqliteDefault, parseSqliteType } from './introspect-types';
import { columnTexts, sqliteColumnExtras, tableOptionsOf, unrecreatableClauses, type SqliteColumnText } from './introspect-extras';
import { checksOf, specialIndex, withoutComments } from './introspect-table-extras';
import { DEFAULT_BOOKKEEPING_TABLES } from '../../introspect/ignored';
import { looseReason } from '../../schema/foreign-keys';

export interface IntrospectSqliteOptions {
  /** Every table left out (default: DEFAULT_BOOKKEEPING_TABLES); `sqlite_*` tables always are. */
  readonly ignoreTables?: readonly string[];
  /** Called with each catalog query's SQL (tests and benchmarks count them). */
  onQuery?(sql: string): void;
}

const TABLES = `m.type = 'table' AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\'`;

/** One query each for columns, indexes and foreign keys, whatever the number of tables. */
const COLUMNS_SQL = `SELECT m.name AS tbl, CASE WHEN p.cid = 0 THEN m.sql END AS tsql, p.cid AS cid, p.name AS col,
  p.type AS type, p."notnull" AS required, p.dflt_value AS dflt, p.pk AS pk, p.hidden AS hidden
  FROM sqlite_master m JOIN pragma_table_xinfo(m.name) p WHERE ${TABLES} AND p.hidden <> 1 ORDER BY m.name, p.cid`;
const INDEXES_SQL = `SELECT m.name AS tbl, il.name AS idx, il."unique" AS uniq, il.origin AS origin, il.partial AS part, ii.seqno AS seqno,
  ii.name AS col, ii."desc" AS descending, ii.coll AS coll, ix.sql AS isql
  FROM sqlite_master m JOIN pragma_index_list(m.name) il JOIN pragma_index_xinfo(il.name) ii
  LEFT JOIN sqlite_master ix ON ix.type = 'index' AND ix.name = il.name
  WHERE ${TABLES} AND ii.key = 1 ORDER BY m.name, il.name, ii.seqno`;
const FOREIGN_KEYS_SQL = `SELECT m.name AS tbl, f.id AS id, f.seq AS seq, f."table" AS ref, f."from" AS col, f."to" AS refcol,
  f.on_update AS onupdate, f.on_delete AS ondelete
  FROM sqlite_master m JOIN pragma_foreign_key_list(m.name) f WHERE ${TABLES} ORDER BY m.name, f.id, f.seq`;

interface ColumnRow { tbl: string; tsql: string | null; cid: number; col: string; type: string; required: number; dflt: string | null; pk: number; hidden: number }
interface IndexRow {
  tbl: string; idx: string; uniq: number; origin: string; part: number; seqno: number; col: string | null; descending: number; coll: string | null; isql: string | null;
}
interface ForeignKeyRow { tbl: string; id: number; seq: number; ref: string; col: string; refcol: string | null; onupdate: string; ondelete: string }

interface Draft {
  name: string;
  sql: string;
  /** `CONSTRAINT name ...` clauses of the CREATE TABLE text. */
  names: Map<string, string>;
  rows: ColumnRow[];
  primaryKey: PrimaryKey | null;
  indexes: Index[];
  uniques: Unique[];
  foreignKeys: ForeignKey[];
  unmanaged: Unmanaged[];
}

/**
 * The SQLite database as a canonical {@link Schema} (see ./introspect-types for type and default
 * rules). Decisions:
 * - autoIncrement: true for a lone `INTEGER PRIMARY KEY` declared with AUTOINCREMENT (what
 *   Knex's `increments` writes). A bare rowid alias also assigns ids, but reuses freed ones;
 *   it reads as autoIncrement false so that a model with `autoIncrement(false)` round-trips.
 * - primary-key columns are NOT NULL (SQLite lets a non-integer key hold NULL; kiln's models
 *   never declare that).
 * - unique indexes (origin 'c') and UNIQUE constraints (origin 'u', `sqlite_autoindex_*`) are
 *   both uniques; the latter take the constraint's name from the CREATE TABLE text, else the
 *   convention name, and are marked `inline` (DROP INDEX refuses them; see Unique.inline).
 * - indexes on an expression, partial (WHERE) or descending are read from their CREATE INDEX
 *   text and index_xinfo into Index.expression/where/order (a unique one is an Index with
 *   `unique`); one kiln cannot model (a COLLATE, several key parts with an expression) is
 *   Table.unmanaged with its SQL: never diffed, kept by every rebuild (src/public/sqlite.ts).
 * - CHECK constraints come from the CREATE TABLE text (./introspect-table-extras).
 * - foreign keys: SQLite reports no names; they come from `CONSTRAINT name FOREIGN KEY` in the
 *   CREATE TABLE text, else the convention name. SQLite accepts one whose target is not a key
 *   (a table dropped with foreign keys off, a column that is not unique): it reads as a
 *   ForeignKey marked `loose` (../../schema/foreign-keys, the model compiler's rule), which the
 *   models say with `loose: true` and every CREATE TABLE and rebuild writes back as it was.
 */
export async function introspectSqlite(knex: Knex, options: IntrospectSqliteOptions = {}): Promise<Schema> {
  const ignored = new Set(options.ignoreTables ?? DEFAULT_BOOKKEEPING_TABLES);
  const run = async <T>(sql: string): Promise<T[]> => {
    options.onQuery?.(sql);
    return (await knex.raw(sql)) as T[];
  };
  const columnRows = await run<ColumnRow>(COLUMNS_SQL);
  const drafts = new Map<string, Draft>();
  for (const row of columnRows) {
    if (ignored.has(row.tbl)) continue;
    let d = drafts.get(row.tbl);
    if (!d) {
      // The CREATE TABLE text as SQLite keeps it, without its comments (withoutComments()).
      const sql = withoutComments(row.tsql ?? '');
      drafts.set(row.tbl, (d = { name: row.tbl, sql, names: constraintNames(sql), rows: [], primaryKey: null, indexes: [], uniques: [], foreignKeys: [], unmanaged: [] }));
    }
    d.rows.push(row);
  }
  for (const d of drafts.values()) d.primaryKey = primaryKeyOf(d);
  addIndexes(drafts, await run<IndexRow>(INDEXES_SQL));
  renameSharedInlineUniques(drafts);
  addForeignKeys(drafts, await run<ForeignKeyRow>(FOREIGN_KEYS_SQL));
  return makeSchema([...drafts.values()].map(finishTable));
}

function primaryKeyOf(d: Draft): PrimaryKey | null {
  const columns = d.rows.filter((r) => r.pk > 0).sort((a, b) => a.pk - b.pk).map((r) => r.col);
  if (!columns.length) return null;
  return { name: d.names.get(`primary key:${columns.join(',')}`) ?? primaryKeyName(d.name), columns };
}

function finishTable(d: Draft): Table {
  const pk = d.primaryKey?.columns ?? [];
  const texts = d.rows.some((r) => r.hidden > 1) || /\b(?:check|collate)\b/i.test(d.sql) ? columnTexts(d.sql) : new Map<string, SqliteColumnText>();
  const autoincrement = hasAutoincrement(d.sql);
  const columns = d.rows.map((r) => withExtras(toColumn(r, pk, autoincrement), sqliteColumnExtras(texts.get(r.col), Number(r.hidden))));
  // The enum's own CHECK (read above as Column.enum) is left out of the table's checks.
  const checks = checksOf(d.name, d.sql, columns);
  const options = tableOptionsOf(d.sql).map((o): Unmanaged => ({ kind: 'table option', name: o, sql: o }));
  const clauses = unrecreatableClauses(d.sql).map((c): Unmanaged => ({ kind: 'clause', name: c, sql: '' }));
  const unmanaged = [...options, ...clauses, ...d.unmanaged];
  return {
    name: d.name,
    columns,
    primaryKey: d.primaryKey,
    indexes: d.indexes,
    uniques: d.uniques,
    foreignKeys: d.foreignKeys,
    ...(checks.length ? { checks } : {}),
    ...(unmanaged.length ? { unmanaged } : {}),
  };
}

function toColumn(r: ColumnRow, pk: readonly string[], autoincrementKeyword: boolean): Column {
  const { type, length, custom } = parseSqliteType(r.type ?? '');
  const inKey = pk.includes(r.col);
  const lone = inKey && pk.length === 1;
  const autoIncrement = lone && autoincrementKeyword && (r.type ?? '').trim().toUpperCase() === 'INTEGER';
  return {
    name: r.col,
    type,
    length,
    nullable: inKey ? false : r.required === 0,
    default: autoIncrement ? null : parseSqliteDefault(r.dflt, type),
    autoIncrement,
    unsigned: false,
    ...(custom === undefined ? {} : { custom }),
  };
}

function withExtras(c: Column, extras: Pick<Column, 'enum' | 'generated' | 'collation'>): Column {
  if (!extras.enum && !extras.generated) return extras.collation ? { ...c, collation: extras.collation } : c;
  return { ...c, ...(extras.enum ? { type: 'enum' as const, length: null } : {}), ...(extras.generated ? { default: null } : {}), ...extras };
}

/** Whether the CREATE TABLE text says AUTOINCREMENT outside quotes and identifiers. */
function hasAutoincrement(sql: string): boolean {
  return /\bautoincrement\b/i.test(sql.replace(/'(?:[^']|'')*'|"(?:[^"]|"")*"|`(?:[^`]|``)*`|\[[^\]]*\]/g, ' '));
}

function addIndexes(drafts: Map<string, Draft>, rows: readonly IndexRow[]): void {
  const groups = new Map<string, IndexRow[]>();
  for (const row of rows) {
    if (!drafts.has(row.tbl) || row.origin === 'pk') continue;
    const key = `${row.tbl}\u0000${row.idx}`;
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  for (const group of groups.values()) {
    const first = group[0];
    const d = drafts.get(first.tbl)!;
    // A COLLATE on plain columns reads as the plain index (kiln's rebuild puts the COLLATE back).
    if (first.origin === 'c' && group.some((r) => r.col === null || Number(r.part) === 1 || Number(r.descending) === 1)) {
      const parts = group.map((r) => ({ col: r.col, desc: Number(r.descending) === 1, coll: r.coll ?? 'BINARY' }));
      const special = specialIndex(first.idx, Number(first.uniq) === 1, Number(first.part) === 1, parts, first.isql === null ? null : withoutComments(first.isql));
      if ('sql' in special) d.unmanaged.push(special);
      else d.indexes.push(special);
      continue;
    }
    const columns = group.map((r) => r.col as string);
    if (!first.uniq) d.indexes.push({ name: first.idx, columns });
    else if (first.origin === 'c') d.uniques.push({ name: first.idx, columns });
    else {
      const name = d.names.get(`unique:${columns.join(',')}`) ?? uniqueName(d.name, columns);
      d.uniques.push({ name, columns, inline: true });
    }
  }
  for (const d of drafts.values()) {
    d.indexes.sort(byName);
    d.uniques.sort(byName);
  }
}

/**
 * A UNIQUE constraint inside CREATE TABLE keeps its `CONSTRAINT name` only in the table's text
 * (its index is `sqlite_autoindex_*`), and SQLite lets two tables use one such name, or one an
 * index of another table has. A model's unique is a `CREATE UNIQUE INDEX`, named once in the
 * database (src/dialect/sqlite/names.ts): such an inline unique reads under kiln's convention
 * name, so the pulled models compile and make a database (uniques are compared by columns).
 */
function renameSharedInlineUniques(drafts: ReadonlyMap<string, Draft>): void {
  const taken = new Set<string>();
  for (const d of drafts.values()) for (const i of [...d.indexes, ...d.uniques.filter((u) => !u.inline)]) taken.add(i.name.toLowerCase());
  for (const d of [...drafts.values()].sort(byName)) {
    d.uniques = d.uniques.map((u) => {
      if (!u.inline) return u;
      const name = taken.has(u.name.toLowerCase()) ? uniqueName(d.name, u.columns) : u.name;
      taken.add(name.toLowerCase());
      return name === u.name ? u : { ...u, name };
    });
    d.uniques.sort(byName);
  }
}

const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

function addForeignKeys(drafts: Map<string, Draft>, rows: readonly ForeignKeyRow[]): void {
  const groups = new Map<string, ForeignKeyRow[]>();
  for (const row of rows) {
    if (!drafts.has(row.tbl)) continue;
    const key = `${row.tbl}\u0000${row.id}`;
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  for (const group of groups.values()) {
    const d = drafts.get(group[0].tbl)!;
    const columns = group.map((r) => r.col);
    const parentKey = drafts.get(group[0].ref)?.primaryKey?.columns ?? [];
    const refColumns = group.map((r, i) => r.refcol ?? parentKey[i] ?? r.col);
    const name = d.names.get(`foreign key:${columns.join(',')}`) ?? foreignKeyName(d.name, columns);
    const fk = { name, columns, refTable: group[0].ref, refColumns, onDelete: action(group[0].ondelete), onUpdate: action(group[0].onupdate) };
    const target = drafts.get(fk.refTable);
    const loose = looseReason(fk, target && { columns: target.rows.map((r) => ({ name: r.col })), primaryKey: target.primaryKey, uniques: target.uniques });
    d.foreignKeys.push(loose === null ? fk : { ...fk, loose: true });
  }
  for (const d of drafts.values()) d.foreignKeys.sort(byName);
}

function action(rule: string | null): ReferentialAction {
  const upper = (rule ?? '').trim().toUpperCase();
  return (['CASCADE', 'SET NULL', 'RESTRICT', 'SET DEFAULT'] as const).find((a) => a === upper) ?? 'NO ACTION';
}

const IDENT = '(?:`((?:[^`]|``)+)`|"((?:[^"]|"")+)"|\\[([^\\]]+)\\]|([\\w$]+))';
const CONSTRAINT = new RegExp(`constraint\\s+${IDENT}\\s+(primary\\s+key|foreign\\s+key|unique)\\s*\\(([^)]*)\\)`, 'gi');

/** `CONSTRAINT name <kind> (cols)` clauses of a CREATE TABLE, keyed `kind:col1,col2`. */
function constraintNames(sql: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of sql.matchAll(CONSTRAINT)) {
    const name = unquoteIdent(m.slice(1, 5));
    const kind = m[5].toLowerCase().replace(/\s+/g, ' ');
    const cols = m[6].split(',').map((c) => unquoteIdent(identParts(c.trim())));
    out.set(`${kind}:${cols.join(',')}`, name);
  }
  return out;
}

function identParts(text: string): (string | undefined)[] {
  const m = new RegExp(`^${IDENT}`).exec(text);
  return m ? m.slice(1, 5) : [text];
}

function unquoteIdent(parts: readonly (string | undefined)[]): string {
  const [bt, dq, br, bare] = parts;
  if (bt !== undefined) return bt.replace(/``/g, '`');
  if (dq !== undefined) return dq.replace(/""/g, '"');
  return br ?? bare ?? '';
}
