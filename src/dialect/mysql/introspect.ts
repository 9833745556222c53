import type { Knex } from 'knex';
import { makeSchema } from '../../schema/build';
import { primaryKeyName } from '../../schema/naming';
import { INTEGER_TYPES } from '../../schema/types';
import type { Column, ColumnDefault, ColumnType, ForeignKey, LobSize, Index, ReferentialAction, Schema, Table, Unique, Unmanaged } from '../../schema/types';
import { normalizeExpression, typedLiteral } from '../../schema/defaults';
import { DEFAULT_BOOKKEEPING_TABLES } from '../../introspect/ignored';
import { columnOptions } from './introspect-column-options';
import { tableOptionEntries, type TableOptionRow } from './table-options';
import { normalizeTypeSpelling } from '../../schema/element';
import type { TypeFields } from '../../schema/element';
import { mapMysqlType } from './column-types';
import { mysqlColumnExtras } from './introspect-extras';
import { orderOf, withTableExtras, type CheckRow } from './introspect-table-extras';

/**
 * MySQL/MariaDB (the connection's current database) -> canonical {@link Schema}, in a fixed
 * number of information_schema queries whatever the number of tables: version, tables,
 * columns, index columns, foreign key columns, foreign key rules, check constraints (7 queries; comments come
 * with tables and columns, key order with the index columns: see ./introspect-table-extras).
 *
 * Normalisation at the boundary (see the normal forms in ../../schema/types):
 * - Types: `tinyint(1)` -> boolean; tinyint; smallint; mediumint; int -> integer; bigint (display
 *   widths dropped; `unsigned` kept on these); year -> custom `year` (MariaDB's `year(4)`);
 *   varchar(n) -> string n; char(n) -> char n; text -> text, tinytext/mediumtext/longtext -> text
 *   of that size (tinyblob..longblob alike), except MariaDB's `json` (a longtext with `CHECK (json_valid(col))`) and
 *   MySQL's `json` -> json; date; time[(p)] -> time (MySQL has no interval: the model side
 *   stores interval as time); datetime[(p)] -> datetime (precision when not 0); timestamp[(p)]
 *   -> custom `timestamp[(p)]` (UTC-stored, read in the session's zone: not a datetime);
 *   float -> real; double/real -> float; decimal(p,s) -> decimal; binary(n), varbinary(n);
 *   blob -> binary; anything else -> custom in its normalised spelling (./column-types).
 * - auto_increment -> autoIncrement only on the lone primary key column; its default is null.
 * - Defaults: MariaDB quotes literals (`'it''s'`) and reports `NULL` for "no default";
 *   MySQL 8 does not quote and flags expressions with DEFAULT_GENERATED. Literals are typed
 *   by column type (`tinyint(1)` '1' -> true); `current_timestamp()` -> expression
 *   'CURRENT_TIMESTAMP'; other expressions verbatim (a bare keyword or `fn()` upper-cased).
 *   A TEXT/BLOB/JSON default (MySQL 8 stores it only as an expression, `DEFAULT ('x')`) that is
 *   one string literal is that literal (MariaDB reports it as a literal already).
 * - The primary key is always named PRIMARY by MySQL: it is reported as kiln's
 *   `<table>_pkey` (naming.primaryKeyName), which is what the model compiler produces.
 * - Unique indexes -> uniques. InnoDB silently creates an index for every foreign key that
 *   has none, named after the constraint: a non-unique index whose name AND columns equal
 *   those of a foreign key on the same table is that implicit index and is NOT reported
 *   (an index the user declared under exactly the constraint's name cannot be told apart).
 * - FK actions: InnoDB treats RESTRICT and NO ACTION alike and reports RESTRICT when no rule
 *   was given, so RESTRICT reads back as 'NO ACTION' (the normal form for "no rule").
 * - Uniques, indexes and foreign keys are sorted by name.
 */

export interface MysqlIntrospectOptions {
  /** Every table left out (default: DEFAULT_BOOKKEEPING_TABLES); see IntrospectOptions. */
  readonly ignoreTables?: readonly string[];
  /** Called with each SQL statement before it runs (tests count queries with it). */
  readonly onQuery?: (sql: string) => void;
}

const VERSION_SQL = 'SELECT VERSION() AS version';

const TABLES_SQL = `
SELECT TABLE_NAME AS table_name, TABLE_COMMENT AS comment, TABLE_COLLATION AS collation, ENGINE AS engine,
  @@default_storage_engine AS default_engine,
  (SELECT COLLATION_NAME FROM information_schema.COLLATIONS WHERE CHARACTER_SET_NAME = 'utf8mb4' AND IS_DEFAULT = 'Yes') AS kiln_collation,
  %CHARSET_COLLATIONS% AS charset_collations
FROM information_schema.TABLES
WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE'
ORDER BY TABLE_NAME`;

/**
 * MariaDB 11.2+ gives a character set named without a collation the one @@character_set_collations
 * maps it to (utf8mb4=utf8mb4_uca1400_ai_ci), not the one COLLATIONS calls its default. No row on
 * an older MariaDB; MySQL has neither the variable nor information_schema.SESSION_VARIABLES.
 */
const tablesSql = (mariadb: boolean) =>
  TABLES_SQL.replace('%CHARSET_COLLATIONS%', mariadb ? "(SELECT VARIABLE_VALUE FROM information_schema.SESSION_VARIABLES WHERE VARIABLE_NAME = 'CHARACTER_SET_COLLATIONS')" : 'NULL');

const COLUMNS_SQL = `
SELECT TABLE_NAME AS table_name, COLUMN_NAME AS column_name, DATA_TYPE AS data_type,
  COLUMN_TYPE AS column_type, CHARACTER_MAXIMUM_LENGTH AS max_length,
  IS_NULLABLE AS is_nullable, COLUMN_DEFAULT AS column_default, EXTRA AS extra,
  GENERATION_EXPRESSION AS generation_expression, COLUMN_COMMENT AS comment, COLLATION_NAME AS collation,
  TABLE_SCHEMA AS table_schema
FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE()
ORDER BY TABLE_NAME, ORDINAL_POSITION`;

const INDEXES_SQL = `
SELECT TABLE_NAME AS table_name, INDEX_NAME AS index_name, NON_UNIQUE AS non_unique,
  COLUMN_NAME AS column_name, COLLATION AS collation, SUB_PART AS sub_part, INDEX_TYPE AS index_type, INDEX_COMMENT AS comment
FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE()
ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX`;

// A foreign key's columns and its rules come in two queries, joined here: MariaDB joins two
// information_schema tables only by a block nested loop (1000 x 1000 rows unpacked, 0.15 to 0.3 s
// for 1000 foreign keys), while each query alone reads one database's constraints (a constant
// DATABASE() on the column its scan is narrowed by) in a few milliseconds.
const FOREIGN_KEYS_SQL = `
SELECT TABLE_NAME AS table_name, CONSTRAINT_NAME AS name, COLUMN_NAME AS column_name,
  REFERENCED_TABLE_NAME AS ref_table, REFERENCED_COLUMN_NAME AS ref_column
FROM information_schema.KEY_COLUMN_USAGE
WHERE TABLE_SCHEMA = DATABASE() AND REFERENCED_TABLE_NAME IS NOT NULL
ORDER BY TABLE_NAME, CONSTRAINT_NAME, ORDINAL_POSITION`;

const FOREIGN_KEY_RULES_SQL = `
SELECT TABLE_NAME AS table_name, CONSTRAINT_NAME AS name, DELETE_RULE AS on_delete, UPDATE_RULE AS on_update
FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE()`;

/** MariaDB: CHECK_CONSTRAINTS names the table (check names are per table there). */
const CHECKS_SQL = `
SELECT TABLE_NAME AS table_name, CONSTRAINT_NAME AS name, CHECK_CLAUSE AS clause
FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE()`;

/** MySQL 8: CHECK_CONSTRAINTS has no table name; TABLE_CONSTRAINTS gives it (names are per schema). */
const MYSQL_CHECKS_SQL = `
SELECT t.TABLE_NAME AS table_name, c.CONSTRAINT_NAME AS name, c.CHECK_CLAUSE AS clause
FROM information_schema.TABLE_CONSTRAINTS t
JOIN information_schema.CHECK_CONSTRAINTS c
  ON c.CONSTRAINT_SCHEMA = t.CONSTRAINT_SCHEMA AND c.CONSTRAINT_NAME = t.CONSTRAINT_NAME
WHERE t.TABLE_SCHEMA = DATABASE() AND t.CONSTRAINT_TYPE = 'CHECK'`;

export interface ColumnRow {
  table_name: string;
  column_name: string;
  data_type: string;
  column_type: string;
  max_length: number | string | null;
  is_nullable: string;
  column_default: string | null;
  extra: string;
  generation_expression: string | null;
  comment: string | null;
  collation: string | null;
  /** The database (DATABASE()): a default naming its objects qualified is read without it. */
  table_schema: string;
}

export interface IndexRow {
  table_name: string;
  index_name: string;
  non_unique: number | string;
  column_name: string | null;
  collation: string | null;
  /** Indexed characters or bytes of a prefix key part (`name(10)`); null for the whole column. */
  sub_part: number | string | null;
  /** BTREE, HASH, FULLTEXT, SPATIAL. */
  index_type: string;
  /** `COMMENT '...'` of the index; '' when none. */
  comment: string | null;
}

interface ForeignKeyColumnRow {
  table_name: string;
  name: string;
  column_name: string;
  ref_table: string;
  ref_column: string;
}

interface ForeignKeyRulesRow {
  table_name: string;
  name: string;
  on_delete: string;
  on_update: string;
}

type ForeignKeyRow = ForeignKeyColumnRow & Pick<ForeignKeyRulesRow, 'on_delete' | 'on_update'>;

/** Each foreign key column with its constraint's rules (a row without rules, never seen, is left out as the join did). */
function withRules(columns: readonly ForeignKeyColumnRow[], rules: readonly ForeignKeyRulesRow[]): ForeignKeyRow[] {
  const byKey = new Map(rules.map((r) => [`${r.table_name}\0${r.name}`, r]));
  return columns.flatMap((c) => {
    const r = byKey.get(`${c.table_name}\0${c.name}`);
    return r ? [{ ...c, on_delete: r.on_delete, on_update: r.on_update }] : [];
  });
}

export async function introspectMysql(knex: Knex, options: MysqlIntrospectOptions = {}): Promise<Schema> {
  const run = async <T>(sql: string): Promise<T[]> => {
    options.onQuery?.(sql);
    const [rows] = (await knex.raw(sql)) as [T[], unknown];
    return rows;
  };
  const [{ version }] = await run<{ version: string }>(VERSION_SQL);
  const mariadb = /mariadb/i.test(version);
  // Side by side on the pool's connections (the statements and their number are the same).
  const [tables, columns, indexes, foreignKeyColumns, foreignKeyRules, checks] = await Promise.all([
    run<{ table_name: string; comment: string | null } & TableOptionRow>(tablesSql(mariadb)),
    run<ColumnRow>(COLUMNS_SQL).then((rows) => rows.map(withOwnNamesBare)),
    run<IndexRow>(INDEXES_SQL),
    run<ForeignKeyColumnRow>(FOREIGN_KEYS_SQL),
    run<ForeignKeyRulesRow>(FOREIGN_KEY_RULES_SQL),
    run<CheckRow>(mariadb ? CHECKS_SQL : MYSQL_CHECKS_SQL),
  ]);
  const foreignKeys = withRules(foreignKeyColumns, foreignKeyRules);
  const jsonColumns = new Set<string>();
  for (const c of mariadb ? checks : []) {
    const m = /^json_valid\(`((?:[^`]|``)+)`\)$/i.exec(c.clause.trim());
    if (m) jsonColumns.add(`${c.table_name}.${m[1].replace(/``/g, '`')}`);
  }
  const ignored = new Set(options.ignoreTables ?? DEFAULT_BOOKKEEPING_TABLES);
  const cols = groupByTable(columns);
  const idxs = groupByTable(indexes);
  const fks = groupByTable(foreignKeys);
  const tableChecks = groupByTable(checks);
  const out: Table[] = [];
  for (const row of tables) {
    const { table_name: name, comment, collation } = row;
    if (ignored.has(name)) continue;
    const ctx: TableContext = { name, mariadb, jsonColumns, collation };
    const table = buildTable(ctx, cols.get(name) ?? [], idxs.get(name) ?? [], fks.get(name) ?? []);
    const options = [...tableOptionEntries(row), ...(cols.get(name) ?? []).flatMap((r) => columnOptions(name, r, mariadb))];
    const extended = withTableExtras(table, comment, tableChecks.get(name) ?? [], mariadb);
    out.push(options.length ? { ...extended, unmanaged: [...(extended.unmanaged ?? []), ...options] } : extended);
  }
  return makeSchema(out);
}

export interface TableContext {
  readonly name: string;
  readonly mariadb: boolean;
  readonly jsonColumns: ReadonlySet<string>;
  /** The table's default collation: a column's own is Column.collation only where it differs. */
  readonly collation: string | null;
}

function groupByTable<R extends { table_name: string }>(rows: R[]): Map<string, R[]> {
  const map = new Map<string, R[]>();
  for (const r of rows) {
    let list = map.get(r.table_name);
    if (!list) map.set(r.table_name, (list = []));
    list.push(r);
  }
  return map;
}

/** Groups ordered rows by a key, keeping first-seen order. */
function groupBy<R>(rows: R[], key: (r: R) => string): Map<string, R[]> {
  const map = new Map<string, R[]>();
  for (const r of rows) {
    const k = key(r);
    let list = map.get(k);
    if (!list) map.set(k, (list = []));
    list.push(r);
  }
  return map;
}

/** Exported for its unit test (test/unit/mysql-functional-index.test.ts). */
export function buildTable(ctx: TableContext, colRows: ColumnRow[], idxRows: IndexRow[], fkRows: ForeignKeyRow[]): Table {
  const foreignKeys: ForeignKey[] = [...groupBy(fkRows, (r) => r.name)].map(([name, rows]) => ({
    name,
    columns: rows.map((r) => r.column_name),
    refTable: rows[0].ref_table,
    refColumns: rows.map((r) => r.ref_column),
    onDelete: action(rows[0].on_delete),
    onUpdate: action(rows[0].on_update),
  }));
  const fkByName = new Map(foreignKeys.map((fk) => [fk.name, fk]));
  let primaryKey: Table['primaryKey'] = null;
  const uniques: Unique[] = [];
  const indexes: Index[] = [];
  const unmanaged: Unmanaged[] = [];
  for (const [name, rows] of groupBy(idxRows, (r) => r.index_name)) {
    // A MySQL 8 functional index (a key part that is an expression: no COLUMN_NAME). Its
    // expression is in a column MariaDB's STATISTICS lacks: kept as it is, and refused by what
    // would re-create the table (a baseline, a down()) rather than left out of it in silence.
    if (rows.some((r) => r.column_name === null)) {
      unmanaged.push({ kind: 'functional index', name, sql: '' });
      continue;
    }
    const columns = rows.map((r) => r.column_name as string);
    const order = orderOf(rows);
    if (name !== 'PRIMARY' && isSpecialIndex(rows)) {
      unmanaged.push({ kind: 'index', name, sql: specialIndexSql(ctx.name, name, rows) });
    } else if (name === 'PRIMARY') {
      primaryKey = { name: primaryKeyName(ctx.name), columns };
    } else if (order) {
      indexes.push({ name, columns, order, ...(Number(rows[0].non_unique) === 0 ? { unique: true } : {}) });
    } else if (Number(rows[0].non_unique) === 0) {
      uniques.push({ name, columns });
    } else if (!isImplicitForeignKeyIndex(name, columns, fkByName)) {
      indexes.push({ name, columns });
    }
  }
  const lonePk = primaryKey && primaryKey.columns.length === 1 ? primaryKey.columns[0] : null;
  return {
    name: ctx.name,
    columns: colRows.map((r) => buildColumn(ctx, r, r.column_name === lonePk)),
    primaryKey,
    indexes: indexes.sort(byName),
    uniques: uniques.sort(byName),
    foreignKeys: foreignKeys.sort(byName),
    ...(unmanaged.length ? { unmanaged: unmanaged.sort(byName) } : {}),
  };
}

/**
 * FULLTEXT and SPATIAL indexes, and indexes on a prefix of a column (`name(10)`): the model
 * language cannot say them, and reading them as plain indexes would make a database built from
 * pulled models (or a baseline) index whole columns with a b-tree in silence. They are kept as
 * they are (Table.unmanaged, listed by `db check`), with the statement that recreates them. So
 * is an index with a COMMENT, which knex's index builder cannot write.
 */
function isSpecialIndex(rows: readonly IndexRow[]): boolean {
  const type = rows[0].index_type.toUpperCase();
  return type === 'FULLTEXT' || type === 'SPATIAL' || rows.some((r) => r.sub_part !== null) || !!rows[0].comment;
}

function specialIndexSql(table: string, name: string, rows: readonly IndexRow[]): string {
  const q = (id: string) => `\`${id.replace(/`/g, '``')}\``;
  const type = rows[0].index_type.toUpperCase();
  const whole = type === 'FULLTEXT' || type === 'SPATIAL'; // MariaDB reports SUB_PART 32 for SPATIAL: not a prefix
  const kind = whole ? `${type} ` : Number(rows[0].non_unique) === 0 ? 'UNIQUE ' : '';
  const parts = rows.map((r) => `${q(r.column_name as string)}${r.sub_part === null || whole ? '' : `(${Number(r.sub_part)})`}${r.collation === 'D' ? ' DESC' : ''}`);
  // MySQL's string escapes: a backslash and a quote doubled.
  const comment = rows[0].comment ? ` COMMENT '${rows[0].comment.replace(/\\/g, '\\\\').replace(/'/g, "''")}'` : '';
  return `CREATE ${kind}INDEX ${q(name)} ON ${q(table)} (${parts.join(', ')})${comment}`;
}

function isImplicitForeignKeyIndex(name: string, columns: string[], fks: Map<string, ForeignKey>): boolean {
  const fk = fks.get(name);
  return !!fk && fk.columns.length === columns.length && fk.columns.every((c, i) => c === columns[i]);
}

const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

function action(rule: string): ReferentialAction {
  const r = rule.toUpperCase();
  if (r === 'CASCADE' || r === 'SET NULL' || r === 'SET DEFAULT') return r;
  return 'NO ACTION'; // NO ACTION, and RESTRICT (InnoDB's spelling of the same thing)
}

function buildColumn(ctx: TableContext, r: ColumnRow, lonePk: boolean): Column {
  const json = ctx.jsonColumns.has(`${ctx.name}.${r.column_name}`);
  const { type, length, ...fields } = mapType(r.data_type, r.column_type, r.max_length, json);
  const isInteger = INTEGER_TYPES.has(type);
  const autoIncrement = /\bauto_increment\b/i.test(r.extra);
  const extras = mysqlColumnExtras(r.data_type, r.column_type, r.extra, r.generation_expression);
  return {
    name: r.column_name,
    type: extras.enum ? 'enum' : type,
    length: extras.enum ? null : length,
    nullable: r.is_nullable.toUpperCase() === 'YES',
    default: autoIncrement || extras.generated ? null : parseDefault(r.column_default, type, ctx.mariadb, r.extra),
    autoIncrement: autoIncrement && isInteger && lonePk,
    unsigned: isInteger && /\bunsigned\b/i.test(r.column_type),
    ...(extras.enum ? {} : fields),
    ...extras,
    ...(r.comment ? { comment: r.comment } : {}),
    ...columnCollation(ctx, r, json),
  };
}

/** The column's collation where it is not the table's (MariaDB's JSON is utf8mb4_bin text: not one). */
function columnCollation(ctx: TableContext, r: ColumnRow, json: boolean): Pick<Column, 'collation'> {
  if (!r.collation || json || r.data_type.toLowerCase() === 'json' || r.collation === ctx.collation) return {};
  return { collation: r.collation.toLowerCase() };
}

/**
 * MariaDB prints a default that uses a sequence with the database's name, `nextval(\`shop\`.\`seq\`)`:
 * kept so, a baseline run on another database would take its numbers from this one. Names of this
 * database lose the qualifier (`nextval(\`seq\`)`, which the server resolves where it runs).
 */
function withOwnNamesBare(r: ColumnRow): ColumnRow {
  if (r.column_default === null || !r.column_default.includes('`')) return r;
  const own = `\`${r.table_schema.replace(/`/g, '``')}\`.`;
  return r.column_default.includes(own) ? { ...r, column_default: outsideStrings(r.column_default, (part) => part.split(own).join('')) } : r;
}

/**
 * `text` with `change` applied to what lies outside its SQL string literals ('...', with ''
 * and MySQL's backslash escapes inside): a string default that happens to hold the database's
 * qualified name (`'\`shop\`.x'`) keeps it.
 */
export function outsideStrings(text: string, change: (part: string) => string): string {
  let out = '';
  let start = 0;
  let i = 0;
  while (i < text.length) {
    if (text[i] !== "'") {
      i++;
      continue;
    }
    out += change(text.slice(start, i));
    let j = i + 1;
    while (j < text.length) {
      if (text[j] === '\\') j += 2;
      else if (text[j] === "'" && text[j + 1] === "'") j += 2;
      else if (text[j] === "'") break;
      else j++;
    }
    out += text.slice(i, j + 1);
    start = i = j + 1;
  }
  return out + change(text.slice(start));
}

/** information_schema DATA_TYPE / COLUMN_TYPE -> canonical type. */
export function mapType(
  dataType: string,
  columnType: string,
  maxLength: number | string | null,
  json = false,
): TypeFields & Pick<Column, 'precision' | 'size'> {
  const d = dataType.toLowerCase();
  const full = columnType.toLowerCase();
  if (json || d === 'json') return { type: 'json', length: null };
  if (d === 'varchar') return { type: 'string', length: Number(maxLength ?? 255) };
  if (d === 'tinyint' && /^tinyint\(1\)/.test(full)) return { type: 'boolean', length: null };
  if (d === 'bit' && /^bit\(1\)/.test(full)) return { type: 'boolean', length: null };
  const more = mapMysqlType(d, full);
  if (more) return more;
  // YEAR has no canonical type: a custom one, without MariaDB's display width (`year(4)`).
  if (d === 'year') return { type: 'custom', length: null, custom: 'year' };
  const simple: Record<string, ColumnType> = {
    int: 'integer',
    integer: 'integer',
    bigint: 'bigint',
    date: 'date',
    double: 'float',
    real: 'float',
  };
  if (simple[d]) return { type: simple[d], length: null };
  const lob = /^(tiny|medium|long|)(text|blob)$/.exec(d);
  if (lob) return { type: lob[2] === 'text' ? 'text' : 'binary', length: null, ...(lob[1] ? { size: lob[1] as LobSize } : {}) };
  if (d === 'enum') return { type: 'text', length: null };
  // From COLUMN_TYPE as given: a SET's values keep their case.
  return { type: 'custom', length: null, custom: normalizeTypeSpelling(columnType.replace(/\s+(unsigned|zerofill)\b/gi, '')) };
}

/** information_schema COLUMN_DEFAULT -> canonical default. */
export function parseDefault(raw: string | null, type: ColumnType, mariadb: boolean, extra = ''): ColumnDefault | null {
  if (raw === null) return null;
  const e = raw.trim();
  if (mariadb) {
    if (/^null$/i.test(e)) return null;
    const quoted = /^'((?:[^'\\]|''|\\.)*)'$/s.exec(e);
    if (quoted) return typedLiteral(unescapeMysql(quoted[1]), type);
    // A bit literal is a value of a BIT(1) boolean; of a wider BIT(n) (custom), an expression
    // to say as written: as a string, `'b''101'''` is no value of the column.
    if (/^b'[01]+'$/i.test(e) && type !== 'boolean') return { kind: 'expression', sql: `b'${e.slice(2, -1)}'` };
    if (/^-?\d+(\.\d+)?(e[+-]?\d+)?$/i.test(e) || /^b'[01]+'$/i.test(e)) return typedLiteral(e, type);
    return { kind: 'expression', sql: normalizeExpression(e) };
  }
  // MySQL 8: literals are unquoted; expressions carry DEFAULT_GENERATED in EXTRA.
  if (/\bDEFAULT_GENERATED\b/i.test(extra) || /^current_timestamp(\(\d*\))?$/i.test(e)) {
    const literal = TAKES_EXPRESSION_DEFAULT.has(type) ? mysqlStringExpression(e) : undefined;
    if (literal !== undefined) return typedLiteral(literal, type);
    return { kind: 'expression', sql: normalizeExpression(e.replace(/^\((.*)\)$/s, '$1')) };
  }
  return typedLiteral(raw, type);
}

/** The types whose literal default MySQL 8 stores only as an expression (`DEFAULT ('x')`). */
const TAKES_EXPRESSION_DEFAULT: ReadonlySet<ColumnType> = new Set(['text', 'binary', 'json']);

/**
 * The value of an expression default that is one string literal, as MySQL 8 reports it in
 * COLUMN_DEFAULT: `_utf8mb4\'it\\\'s\'` (the printed expression `_utf8mb4'it\'s'`, its quotes
 * and backslashes escaped once more), an optional charset introducer, maybe in parentheses;
 * undefined for any other expression. The outer escaping is assumed to be that of MySQL 8's
 * GENERATION_EXPRESSION (./introspect-extras); it is not checked against a MySQL 8 server here
 * (the test servers are MariaDB, which reports such a default as a plain literal).
 */
export function mysqlStringExpression(raw: string): string | undefined {
  let e = raw.trim();
  while (/^\(.*\)$/s.test(e)) e = e.slice(1, -1).trim();
  if (/^(?:_\w+)?\\'/.test(e)) e = e.replace(/\\(.)/gs, '$1');
  const m = /^(?:_\w+)?'((?:[^'\\]|''|\\.)*)'$/s.exec(e);
  return m ? unescapeMysql(m[1]) : undefined;
}

function unescapeMysql(s: string): string {
  const map: Record<string, string> = { '0': '\0', n: '\n', r: '\r', t: '\t', b: '\b', Z: '\x1a' };
  return s.replace(/''|\\(.)/gs, (m, ch: string | undefined) => (m === "''" ? "'" : (map[ch as string] ?? (ch as string))));
}


