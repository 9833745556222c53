import type { LintEvent, StatementReader, StatementReading, TableLock } from '../../lint/types';
import type { Schema } from '../../schema/types';

/**
 * PostgreSQL statements read by PostgreSQL's own parser (libpg-query: libpg_query compiled to
 * WebAssembly, the parser squawk uses), so that what a migration does is known from its parse
 * tree rather than guessed from its text. Lock levels are those of the PostgreSQL manual
 * ("Explicit Locking", and each ALTER TABLE form's note).
 */

type Dict = Record<string, unknown>;
const obj = (v: unknown): Dict => (v !== null && typeof v === 'object' ? (v as Dict) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
/** The one key of a node wrapper: `{ IndexStmt: {...} }` -> ['IndexStmt', {...}]. */
const unwrap = (node: unknown): [string, Dict] => {
  const [k, v] = Object.entries(obj(node))[0] ?? ['', {}];
  return [k, obj(v)];
};

const LEVELS = ['ACCESS SHARE', 'ROW SHARE', 'ROW EXCLUSIVE', 'SHARE UPDATE EXCLUSIVE', 'SHARE', 'SHARE ROW EXCLUSIVE', 'EXCLUSIVE', 'ACCESS EXCLUSIVE'] as const;
type Level = (typeof LEVELS)[number];
const rank = (l: Level) => LEVELS.indexOf(l);

/** Functions whose value changes per row: a default calling one rewrites the table on ADD COLUMN. */
const VOLATILE = new Set(['random', 'gen_random_uuid', 'uuid_generate_v1', 'uuid_generate_v1mc', 'uuid_generate_v4', 'clock_timestamp', 'timeofday', 'nextval', 'txid_current', 'statement_timestamp', 'setseed']);

class Reading {
  kind = '';
  private readonly locks = new Map<string, Level>();
  readonly rewrites = new Set<string>();
  readonly events: LintEvent[] = [];

  lock(table: string, level: Level): void {
    const had = this.locks.get(table);
    if (!had || rank(level) > rank(had)) this.locks.set(table, level);
  }

  done(): StatementReading {
    const locks: TableLock[] = [...this.locks].map(([table, mode]) => ({
      table,
      mode,
      blocksReads: mode === 'ACCESS EXCLUSIVE',
      blocksWrites: rank(mode) >= rank('SHARE'),
      queues: rank(mode) >= rank('SHARE'),
    }));
    return { kind: this.kind, locks, rewrites: [...this.rewrites], events: this.events };
  }
}

type Parser = typeof import('libpg-query');

export async function loadPostgresReader(): Promise<StatementReader> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const parser = require('libpg-query') as Parser;
  await parser.loadModule();
  return { read: (sql, schema) => readStatement(parser, sql, schema) };
}

function readStatement(parser: Parser, sql: string, schema: Schema): StatementReading {
  const r = new Reading();
  let stmts: unknown[];
  try {
    stmts = arr(obj(parser.parseSync(sql)).stmts);
  } catch {
    r.kind = 'UNPARSED';
    return r.done();
  }
  const kinds: string[] = [];
  for (const raw of stmts) {
    const [type, node] = unwrap(obj(raw).stmt);
    kinds.push(readOne(r, type, node, schema));
  }
  r.kind = [...new Set(kinds)].join('; ');
  return r.done();
}

function readOne(r: Reading, type: string, n: Dict, schema: Schema): string {
  switch (type) {
    case 'CreateStmt':
      return createTable(r, n);
    case 'IndexStmt': {
      const table = relname(n.relation);
      const concurrent = n.concurrent === true;
      r.lock(table, concurrent ? 'SHARE UPDATE EXCLUSIVE' : 'SHARE');
      if (concurrent) r.events.push({ kind: 'concurrently', table });
      r.events.push({ kind: 'index-build', table, index: str(n.idxname), unique: n.unique === true, online: concurrent });
      return n.unique === true ? 'CREATE UNIQUE INDEX' : 'CREATE INDEX';
    }
    case 'DropStmt':
      return drop(r, n, schema);
    case 'AlterTableStmt':
      return alterTable(r, n, schema);
    case 'RenameStmt':
      return rename(r, n);
    case 'VariableSetStmt': {
      if (str(n.name) === 'lock_timeout') {
        const value = settingValue(n.args);
        // 0 (the default) means no timeout.
        if (value !== null && !/^0\s*[a-z]*$/i.test(value)) r.events.push({ kind: 'lock-timeout', value });
      }
      return 'SET';
    }
    case 'InsertStmt':
    case 'UpdateStmt':
    case 'DeleteStmt': {
      const table = relname(n.relation);
      if (table) r.lock(table, 'ROW EXCLUSIVE');
      return type.replace('Stmt', '').toUpperCase();
    }
    case 'CommentStmt':
      return 'COMMENT';
    // A standalone sequence (issue 12 item 4): no table lock.
    case 'CreateSeqStmt':
      return 'CREATE SEQUENCE';
    case 'AlterSeqStmt':
      return 'ALTER SEQUENCE';
    default:
      return type.replace(/Stmt$/, '').replace(/([a-z])([A-Z])/g, '$1 $2').toUpperCase();
  }
}

/** `SET x = '5s'` / `= 5000` -> '5s' / '5000'; null for DEFAULT. An A_Const's zero is written as `{}`. */
function settingValue(args: unknown): string | null {
  const c = obj(unwrap(arr(args)[0])[1]);
  if (c.sval !== undefined) return str(obj(c.sval).sval);
  if (c.ival !== undefined) return String(obj(c.ival).ival ?? 0);
  return null;
}

function relname(v: unknown): string {
  return str(obj(v).relname);
}

function createTable(r: Reading, n: Dict): string {
  const table = relname(n.relation);
  r.events.push({ kind: 'create-table', table });
  // A foreign key to an existing table takes SHARE ROW EXCLUSIVE on the table it references.
  for (const elt of arr(n.tableElts)) {
    const [k, node] = unwrap(elt);
    const constraints = k === 'ColumnDef' ? arr(node.constraints) : k === 'Constraint' ? [elt] : [];
    for (const c of constraints) {
      const con = unwrap(c)[1];
      if (con.contype === 'CONSTR_FOREIGN') {
        const ref = relname(con.pktable);
        if (ref && ref !== table) r.lock(ref, 'SHARE ROW EXCLUSIVE');
      }
    }
  }
  return 'CREATE TABLE';
}

function drop(r: Reading, n: Dict, schema: Schema): string {
  const names = arr(n.objects).map((o) => arr(unwrap(o)[1].items ?? o).map((s) => str(unwrap(s)[1].sval)));
  const last = (parts: string[]) => parts[parts.length - 1] ?? '';
  if (n.removeType === 'OBJECT_TABLE') {
    for (const parts of names) {
      const table = last(parts);
      r.lock(table, 'ACCESS EXCLUSIVE');
      r.events.push({ kind: 'drop-table', table });
    }
    return 'DROP TABLE';
  }
  if (n.removeType === 'OBJECT_INDEX') {
    const concurrent = n.concurrent === true;
    for (const parts of names) {
      const index = last(parts);
      const table = tableOfIndex(schema, index);
      if (!table) continue;
      r.lock(table, concurrent ? 'SHARE UPDATE EXCLUSIVE' : 'ACCESS EXCLUSIVE');
      if (concurrent) r.events.push({ kind: 'concurrently', table });
      r.events.push({ kind: 'index-drop', table, index, online: concurrent });
    }
    return 'DROP INDEX';
  }
  return `DROP ${str(n.removeType).replace('OBJECT_', '')}`;
}

function tableOfIndex(schema: Schema, index: string): string | undefined {
  return schema.tables.find((t) => t.indexes.some((i) => i.name === index) || t.uniques.some((u) => u.name === index))?.name;
}

function alterTable(r: Reading, n: Dict, schema: Schema): string {
  const table = relname(n.relation);
  for (const c of arr(n.cmds)) {
    const cmd = unwrap(c)[1];
    const sub = str(cmd.subtype);
    const column = str(cmd.name);
    switch (sub) {
      case 'AT_AddColumn':
        addColumn(r, table, obj(obj(cmd.def).ColumnDef));
        break;
      case 'AT_DropColumn':
        r.lock(table, 'ACCESS EXCLUSIVE');
        r.events.push({ kind: 'drop-column', table, column });
        break;
      case 'AT_AlterColumnType': {
        r.lock(table, 'ACCESS EXCLUSIVE');
        const to = typeName(obj(obj(cmd.def).ColumnDef).typeName);
        const rewrite = !widening(schema, table, column, to);
        if (rewrite) r.rewrites.add(table);
        r.events.push({ kind: 'type-change', table, column, to: to.text, rewrite });
        break;
      }
      case 'AT_SetNotNull':
        r.lock(table, 'ACCESS EXCLUSIVE');
        r.events.push({ kind: 'set-not-null', table, column });
        break;
      case 'AT_AddConstraint':
        addConstraint(r, table, obj(obj(cmd.def).Constraint));
        break;
      case 'AT_ValidateConstraint':
        r.lock(table, 'SHARE UPDATE EXCLUSIVE');
        r.events.push({ kind: 'validated', table, constraint: str(cmd.name) });
        break;
      default:
        // Every other form (SET/DROP DEFAULT, DROP NOT NULL, DROP CONSTRAINT, ...) takes ACCESS EXCLUSIVE.
        r.lock(table, 'ACCESS EXCLUSIVE');
    }
  }
  return 'ALTER TABLE';
}

function addColumn(r: Reading, table: string, def: Dict): void {
  r.lock(table, 'ACCESS EXCLUSIVE');
  const column = str(def.colname);
  let notNull = false;
  let hasDefault = false;
  let volatileDefault: string | null = null;
  for (const c of arr(def.constraints)) {
    const con = unwrap(c)[1];
    switch (con.contype) {
      case 'CONSTR_NOTNULL':
      case 'CONSTR_PRIMARY':
        notNull = true;
        break;
      case 'CONSTR_DEFAULT': {
        hasDefault = true;
        const fn = volatileCall(con.raw_expr);
        if (fn) volatileDefault = `${fn}()`;
        break;
      }
      case 'CONSTR_IDENTITY':
      case 'CONSTR_GENERATED':
        hasDefault = true;
        volatileDefault = con.contype === 'CONSTR_IDENTITY' ? 'an identity sequence' : 'a generated expression';
        break;
      default:
        break;
    }
    if (con.contype === 'CONSTR_UNIQUE' || con.contype === 'CONSTR_PRIMARY') {
      r.events.push({ kind: 'index-build', table, index: str(con.conname) || `${table}_${column}_key`, unique: true, online: false });
    }
    if (con.contype === 'CONSTR_FOREIGN') foreignKey(r, table, con);
    if (con.contype === 'CONSTR_CHECK' && con.skip_validation !== true) r.events.push({ kind: 'validate', table, constraint: str(con.conname) || `${table}_${column}_check`, what: 'check' });
  }
  if (volatileDefault) r.rewrites.add(table);
  r.events.push({ kind: 'add-column', table, column, notNull, hasDefault, volatileDefault });
}

function addConstraint(r: Reading, table: string, con: Dict): void {
  const name = str(con.conname);
  switch (con.contype) {
    case 'CONSTR_FOREIGN':
      foreignKey(r, table, con);
      break;
    case 'CONSTR_CHECK': {
      r.lock(table, 'ACCESS EXCLUSIVE');
      if (con.skip_validation !== true) r.events.push({ kind: 'validate', table, constraint: name, what: 'check' });
      const column = notNullColumn(con.raw_expr);
      if (column) {
        r.events.push({ kind: 'not-null-check', table, constraint: name, column });
        if (con.skip_validation !== true) r.events.push({ kind: 'validated', table, constraint: name });
      }
      break;
    }
    case 'CONSTR_UNIQUE':
    case 'CONSTR_PRIMARY':
      r.lock(table, 'ACCESS EXCLUSIVE');
      // USING INDEX attaches an index built before (CONCURRENTLY): no build here.
      if (!con.indexname) r.events.push({ kind: 'index-build', table, index: name, unique: true, online: false });
      break;
    default:
      r.lock(table, 'ACCESS EXCLUSIVE');
  }
}

/** The column of a `column IS NOT NULL` check expression, or null. */
function notNullColumn(expr: unknown): string | null {
  const test = obj(obj(expr).NullTest);
  if (test.nulltesttype !== 'IS_NOT_NULL') return null;
  const fields = obj(obj(test.arg).ColumnRef).fields;
  if (!Array.isArray(fields) || fields.length !== 1) return null;
  return str(obj(obj(fields[0]).String).sval) || null;
}

function foreignKey(r: Reading, table: string, con: Dict): void {
  r.lock(table, 'SHARE ROW EXCLUSIVE');
  const ref = relname(con.pktable);
  if (ref) r.lock(ref, 'SHARE ROW EXCLUSIVE');
  if (con.skip_validation !== true) r.events.push({ kind: 'validate', table, constraint: str(con.conname), what: 'foreign key' });
}

function rename(r: Reading, n: Dict): string {
  const table = relname(n.relation);
  const to = str(n.newname);
  switch (n.renameType) {
    case 'OBJECT_TABLE':
      r.lock(table, 'ACCESS EXCLUSIVE');
      r.events.push({ kind: 'rename-table', table, to });
      return 'ALTER TABLE RENAME';
    case 'OBJECT_COLUMN':
      r.lock(table, 'ACCESS EXCLUSIVE');
      r.events.push({ kind: 'rename-column', table, column: str(n.subname), to });
      return 'ALTER TABLE RENAME COLUMN';
    case 'OBJECT_INDEX':
      return 'ALTER INDEX RENAME';
    default:
      if (table) r.lock(table, 'ACCESS EXCLUSIVE');
      return 'RENAME';
  }
}

/** The first volatile function a default expression calls, if any. */
function volatileCall(expr: unknown): string | null {
  const seen = JSON.stringify(expr ?? null);
  for (const m of seen.matchAll(/"FuncCall":\{"funcname":\[((?:\{"String":\{"sval":"[^"]*"\}\},?)+)\]/g)) {
    const names = [...m[1].matchAll(/"sval":"([^"]*)"/g)].map((x) => x[1]);
    const fn = names[names.length - 1];
    if (VOLATILE.has(fn)) return fn;
  }
  return null;
}

interface TypeText {
  readonly name: string;
  readonly mods: number[];
  readonly text: string;
}

function typeName(v: unknown): TypeText {
  const t = obj(v);
  const names = arr(t.names).map((s) => str(unwrap(s)[1].sval)).filter((s) => s !== 'pg_catalog');
  const mods = arr(t.typmods).map((m) => Number(obj(obj(unwrap(m)[1]).ival).ival ?? 0));
  const name = names.join('.');
  return { name, mods, text: mods.length ? `${name}(${mods.join(', ')})` : name };
}

/**
 * Whether ALTER COLUMN TYPE keeps every row as is: a VARCHAR made longer or made TEXT (no
 * rewrite, no scan), judged from the column as introspection read it.
 */
function widening(schema: Schema, table: string, column: string, to: TypeText): boolean {
  const col = schema.tables.find((t) => t.name === table)?.columns.find((c) => c.name === column);
  if (!col) return false;
  const toText = to.name === 'text';
  const toVarchar = to.name === 'varchar';
  if (col.type === 'text') return toText;
  if (col.type === 'string') return toText || (toVarchar && (to.mods.length === 0 || (col.length !== null && to.mods[0] >= col.length)));
  return false;
}
