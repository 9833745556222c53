/**
 * Seeded random schemas in the model language, random rows for them, and random edits of
 * them, for the round-trip suite. Everything is a pure function of the PRNG, so a case is
 * reproduced by its seed.
 */
import { COLUMN_TYPES, type ColumnType } from '../../src/schema/types';
import { TYPE_IMPORTS, TYPE_VOCABULARY, typeDefault, typeLength, typeSource, typeValue } from './generate-types';

import { mulberry32 } from '../helpers/prng';
import { ENUM_EDITS, enumSource, enumValue, maybeEnum } from './generate-enumgen';
import { decorateTriggers, dropTriggersOf, renameInTriggers, TRIGGER_EDITS, triggerLines, type GTrigger } from './generate-triggers';
import { decorateSchema, dropViewsOf, renameInViews, VIEW_EDITS, viewLines, type GView } from './generate-views';
import { checkedValues, checksSource, columnCommentSource, decorateTable, extraColumnLines, multiSource, TABLE_EDITS, tableCommentSource, type Checked, type Generated } from './generate-tables';

export { mulberry32 };

export class Rng {
  private readonly next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  float(): number {
    return this.next();
  }
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(xs: readonly T[]): T {
    if (!xs.length) throw new Error('pick from an empty list');
    return xs[Math.floor(this.next() * xs.length)];
  }
}

export type Action = 'NO ACTION' | 'CASCADE' | 'SET NULL' | 'RESTRICT';
export type GDefault = { kind: 'literal'; value: string | number | boolean } | { kind: 'expression'; sql: string };

export interface GCol {
  name: string;
  type: ColumnType;
  length: number | null;
  nullable: boolean;
  def: GDefault | null;
  unique: boolean;
  index: boolean;
  fk: { table: string; onDelete: Action; onUpdate: Action } | null;
  /** enum: its values (./generate-enumgen). */
  values?: string[];
  comment?: string;
}

export interface GTable {
  name: string;
  /** The auto-increment key's type (default integer). */
  idType?: 'integer' | 'bigint';
  cols: GCol[];
  /** Multi-column indexes and unique rules. */
  multi: { cols: string[]; unique: boolean; order?: ('asc' | 'desc')[]; where?: string }[];
  comment?: string;
  /** Integer columns with CHECK constraints, and generated columns over them (./generate-tables). */
  checked?: Checked[];
  generated?: Generated[];
}

export interface GSchema {
  tables: GTable[];
  /** Views over the tables (./generate-views); absent: none. */
  views?: GView[];
  /** Triggers on the tables (./generate-triggers); absent: none. */
  triggers?: GTrigger[];
}

/** Types a portable model may index or make unique (MySQL cannot index TEXT/BLOB/JSON without a prefix length). */
const INDEXABLE: readonly ColumnType[] = ['integer', 'bigint', 'string', 'date', 'time', 'datetime', 'float'];
const RESERVED = ['order', 'group', 'select', 'user', 'key', 'check', 'Mixed Case', "it's"];

export const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

function freshName(rng: Rng, prefix: string, taken: Set<string>): string {
  for (;;) {
    const name = rng.chance(0.08) ? rng.pick(RESERVED) : `${prefix}${rng.int(0, 999)}`;
    if (!taken.has(name.toLowerCase()) && name !== 'id') {
      taken.add(name.toLowerCase());
      return name;
    }
  }
}

function randomDefault(rng: Rng, type: ColumnType, length: number | null): GDefault | null {
  switch (type) {
    case 'integer':
    case 'bigint':
      return { kind: 'literal', value: rng.int(-50, 50) };
    case 'float':
      return { kind: 'literal', value: rng.int(-20, 20) / 4 };
    case 'boolean':
      return { kind: 'literal', value: rng.chance(0.5) };
    case 'string': {
      const v = rng.pick(['', 'x', "it's", 'a "quoted" \\ value', 'ünïcode ✓', 'NULL', 'CURRENT_TIMESTAMP', '0']);
      return { kind: 'literal', value: v.slice(0, length ?? 255) };
    }
    case 'text':
      return { kind: 'literal', value: rng.pick(['hello', "it's", '']) };
    case 'date':
      return { kind: 'literal', value: rng.pick(['2020-01-02', '1999-12-31']) };
    case 'time':
      return { kind: 'literal', value: rng.pick(['10:00:00', '23:59:59']) };
    case 'datetime':
      return rng.chance(0.5) ? { kind: 'expression', sql: 'CURRENT_TIMESTAMP' } : { kind: 'literal', value: '2020-01-02 03:04:05' };
    case 'interval':
      return { kind: 'literal', value: rng.pick(['01:00:00', '00:00:30']) };
    case 'json':
      return { kind: 'literal', value: rng.pick(['{}', '[1,2]', '{"a":"b"}']) };
    case 'binary':
    case 'enum':
      return null;
    default:
      return typeDefault(rng, type, length);
  }
}

const DRAWN: readonly ColumnType[] = [...COLUMN_TYPES.slice(0, COLUMN_TYPES.indexOf('binary') + 1), ...TYPE_VOCABULARY];

export function randomColumn(rng: Rng, taken: Set<string>, type: ColumnType = rng.pick(DRAWN)): GCol {
  const length = type === 'string' ? rng.pick([10, 40, 255]) : (typeLength(rng, type) ?? null);
  const indexable = INDEXABLE.includes(type);
  const def = rng.chance(0.35) ? randomDefault(rng, type, length) : null;
  const unique = indexable && rng.chance(0.15);
  return maybeEnum(rng, {
    name: freshName(rng, 'c', taken),
    type,
    length,
    nullable: def ? rng.chance(0.5) : rng.chance(0.8),
    def,
    unique,
    index: indexable && (unique ? rng.chance(0.1) : rng.chance(0.15)),
    fk: null,
  });
}

function randomFk(rng: Rng, taken: Set<string>, parents: readonly GTable[]): GCol {
  const parent = rng.pick(parents);
  const nullable = rng.chance(0.7);
  const type = parent.idType ?? 'integer';
  const actions: Action[] = nullable ? ['NO ACTION', 'CASCADE', 'SET NULL', 'RESTRICT'] : ['NO ACTION', 'CASCADE', 'RESTRICT'];
  return {
    name: freshName(rng, `${parent.name.replace(/[^a-z0-9]/gi, '')}_id`, taken),
    type,
    length: null,
    nullable,
    def: null,
    unique: rng.chance(0.1),
    index: rng.chance(0.2),
    fk: { table: parent.name, onDelete: rng.pick(actions), onUpdate: rng.pick(['NO ACTION', 'CASCADE'] as Action[]) },
  };
}

export function randomTable(rng: Rng, tableNames: Set<string>, parents: readonly GTable[]): GTable {
  const taken = new Set<string>(['id']);
  const name = freshName(rng, 't', tableNames);
  const cols: GCol[] = [];
  const n = rng.int(1, 6);
  for (let i = 0; i < n; i++) cols.push(randomColumn(rng, taken));
  if (parents.length) for (let i = rng.int(0, 2); i > 0; i--) cols.push(randomFk(rng, taken, parents));
  const table: GTable = { name, cols, multi: [] };
  const indexable = cols.filter((c) => INDEXABLE.includes(c.type));
  if (indexable.length >= 2 && rng.chance(0.3)) {
    const a = rng.pick(indexable);
    const b = rng.pick(indexable.filter((c) => c !== a));
    table.multi.push({ cols: [a.name, b.name], unique: rng.chance(0.4) });
  }
  decorateTable(rng, table, { tables: [...parents] });
  return table;
}

export function randomSchema(rng: Rng): GSchema {
  const names = new Set<string>();
  const tables: GTable[] = [];
  const n = rng.int(2, 6);
  for (let i = 0; i < n; i++) tables.push(randomTable(rng, names, tables));
  const schema: GSchema = { tables };
  decorateSchema(rng, schema);
  decorateTriggers(rng, schema);
  return schema;
}

// ------------------------------------------------------------------ model source

const BUILDER: Partial<Record<ColumnType, string>> = {
  integer: 'Integer',
  bigint: 'BigInteger',
  string: 'String',
  text: 'Text',
  date: 'Date',
  time: 'Time',
  datetime: 'DateTime',
  interval: 'Interval',
  float: 'Float',
  boolean: 'Boolean',
  json: 'JSON',
  binary: 'LargeBinary',
  enum: 'Enum',
};

const js = (v: unknown) => JSON.stringify(v);

function columnSource(c: GCol): string {
  let s = c.type === 'enum' ? enumSource(c) : (typeSource(c.type, c.length) ?? `${BUILDER[c.type]}(${c.type === 'string' ? c.length : ''})`);
  if (c.fk) s += `.references(${js(`${c.fk.table}.id`)}, { onDelete: ${js(c.fk.onDelete)}, onUpdate: ${js(c.fk.onUpdate)} })`;
  s += c.nullable ? '.nullable()' : '.notNull()';
  if (c.def?.kind === 'literal') s += `.default(${js(c.def.value)})`;
  if (c.def?.kind === 'expression') s += `.defaultRaw(${js(c.def.sql)})`;
  if (c.unique) s += '.unique()';
  if (c.index) s += '.index()';
  return s + columnCommentSource(c);
}

/** One models file declaring every table with `table()`, for a database of `dialect`. */
export function modelSource(schema: GSchema, dialect: string): string {
  const lines = [`import { table, view, trigger, Integer, BigInteger, String, Text, Date, Time, DateTime, Interval, Float, Boolean, JSON, LargeBinary, Enum, ${TYPE_IMPORTS} } from 'kiln';`, ''];
  schema.tables.forEach((t, i) => {
    lines.push(`export const T${i} = table(${js(t.name)}, {`);
    lines.push(`  id: ${t.idType === 'bigint' ? 'BigInteger' : 'Integer'}().primaryKey(),`);
    for (const c of t.cols) lines.push(`  ${js(c.name)}: ${columnSource(c)},`);
    lines.push(...extraColumnLines(t, dialect));
    const indexes = t.multi.map(multiSource).filter((m) => m.inIndexes).map((m) => m.source);
    const uniques = t.multi.map(multiSource).filter((m) => !m.inIndexes).map((m) => m.source);
    lines.push(`}, { indexes: [${indexes.join(', ')}], uniques: [${uniques.join(', ')}]${tableCommentSource(t)}${checksSource(t)} });`);
    lines.push('');
  });
  lines.push(...viewLines(schema, dialect), ...triggerLines(schema), '');
  return lines.join('\n');
}

// ------------------------------------------------------------------ rows

export type Rows = Record<string, Record<string, unknown>[]>;

let counter = 0;

function randomValue(rng: Rng, c: GCol, unique: boolean): unknown {
  const n = unique ? ++counter : rng.int(0, 9);
  switch (c.type) {
    case 'integer':
    case 'bigint':
      return unique ? n : rng.int(-1000, 1000);
    case 'float':
      return n + rng.int(0, 3) / 4;
    case 'boolean':
      return rng.chance(0.5);
    case 'string':
      return `${rng.pick(['v', "q'", 'ü', '"'])}${n}`.slice(0, c.length ?? 255);
    case 'text':
      return `text ${n} ${rng.pick(["it's", 'ünï', '\n'])}`;
    case 'date':
      return `20${String(10 + (n % 80)).padStart(2, '0')}-0${1 + (n % 9)}-1${n % 10}`;
    case 'time':
      return `${String(n % 24).padStart(2, '0')}:${String(Math.floor(n / 24) % 60).padStart(2, '0')}:0${n % 10}`;
    case 'datetime':
      return `20${String(10 + (n % 80)).padStart(2, '0')}-0${1 + (n % 9)}-1${n % 10} 0${n % 10}:00:00`;
    case 'interval':
      return `0${n % 10}:00:0${n % 10}`;
    case 'json':
      return JSON.stringify({ n, s: "it's" });
    case 'binary':
      return Buffer.from([n % 256, 0, 255]);
    case 'enum':
      return enumValue(rng, c);
    default:
      return typeValue(c.type, n, c.length);
  }
}

/** Rows for every table, parents first; ids are given explicitly (1..k). */
export function randomRows(rng: Rng, schema: GSchema): Rows {
  counter = 0;
  const rows: Rows = {};
  for (const t of schema.tables) {
    const list: Record<string, unknown>[] = [];
    const k = rng.int(0, 4);
    const uniqueCols = new Set([...t.cols.filter((c) => c.unique).map((c) => c.name), ...t.multi.filter((m) => m.unique).flatMap((m) => m.cols)]);
    for (let id = 1; id <= k; id++) {
      const row: Record<string, unknown> = { id, ...checkedValues(rng, t) };
      for (const c of t.cols) {
        if (c.fk) {
          const parentRows = rows[c.fk.table] ?? [];
          const unique = c.unique || uniqueCols.has(c.name);
          const candidates = parentRows.map((r) => r.id).filter((v) => !unique || !list.some((r) => r[c.name] === v));
          if (candidates.length && (!c.nullable || rng.chance(0.7))) row[c.name] = rng.pick(candidates);
          else if (c.nullable) row[c.name] = null;
          else return rows; // cannot satisfy a NOT NULL key: leave the rest empty
          continue;
        }
        if (c.nullable && rng.chance(0.2)) row[c.name] = null;
        // let the default fill it
        else if (c.def && !uniqueCols.has(c.name) && rng.chance(0.2)) continue;
        else row[c.name] = randomValue(rng, c, uniqueCols.has(c.name));
      }
      list.push(row);
      rows[t.name] = list;
    }
    rows[t.name] = list;
  }
  return rows;
}

// ------------------------------------------------------------------ edits

export interface Edit {
  readonly label: string;
  readonly schema: GSchema;
  /** --rename values. */
  readonly renames: string[];
  /** Tables (names after the edit) whose rows may change shape; everything else must be untouched. */
  readonly touched: Set<string>;
  /** old table name -> new, for comparing rows. */
  readonly tableRenames: Record<string, string>;
  /** The edit kinds (keys of EDITS) it is made of. */
  readonly kinds?: readonly string[];
}

type EditFn = (rng: Rng, s: GSchema, rows: Rows) => Omit<Edit, 'schema'> | null;

const referencedBy = (s: GSchema, table: string) => s.tables.filter((t) => t.cols.some((c) => c.fk?.table === table));
const valuesOf = (rows: Rows, t: GTable, c: GCol) => (rows[t.name] ?? []).map((r) => r[c.name]);
const inMulti = (t: GTable, c: GCol) => t.multi.some((m) => m.cols.includes(c.name));
const one = (label: string, table: string, extra: Partial<Omit<Edit, 'schema'>> = {}) => ({ label, renames: [], touched: new Set([table]), tableRenames: {}, ...extra });

const EDITS: Record<string, EditFn> = {
  ...TABLE_EDITS,
  addColumn(rng, s) {
    const t = rng.pick(s.tables);
    const c = randomColumn(rng, new Set(['id', ...t.cols.map((x) => x.name.toLowerCase())]));
    if (!c.nullable && !c.def) c.nullable = true;
    if (c.unique && !c.nullable) c.unique = false;
    t.cols.push(c);
    return one(`add column ${t.name}.${c.name} ${c.type}`, t.name);
  },
  dropColumn(rng, s, rows) {
    const t = rng.pick(s.tables);
    if (t.cols.length < 2) return null;
    const c = rng.pick(t.cols);
    // A NOT NULL column without a default cannot come back on downgrade while rows exist.
    if (!c.nullable && !c.def && rows[t.name]?.length) return null;
    // Nor a unique one with a default: every row would get the same value back.
    const unique = c.unique || t.multi.some((m) => m.unique && m.cols.includes(c.name));
    if (unique && c.def && (rows[t.name]?.length ?? 0) > 1) return null;
    t.cols = t.cols.filter((x) => x !== c);
    t.multi = t.multi.filter((m) => !m.cols.includes(c.name));
    return one(`drop column ${t.name}.${c.name}`, t.name);
  },
  changeLength(rng, s, rows) {
    const candidates = s.tables.flatMap((t) => t.cols.filter((c) => c.type === 'string').map((c) => [t, c] as const));
    if (!candidates.length) return null;
    const [t, c] = rng.pick(candidates);
    const longest = Math.max(0, ...valuesOf(rows, t, c).map((v) => String(v ?? '').length), c.def ? String((c.def as { value: unknown }).value ?? '').length : 0);
    const options = [12, 50, 100, 255].filter((n) => n !== c.length && n >= longest);
    if (!options.length) return null;
    c.length = rng.pick(options);
    return one(`length of ${t.name}.${c.name} -> ${c.length}`, t.name);
  },
  tightenNullable(rng, s, rows) {
    const candidates = s.tables.flatMap((t) =>
      t.cols.filter((c) => c.nullable && c.fk?.onDelete !== 'SET NULL' && valuesOf(rows, t, c).every((v) => v !== null && (v !== undefined || c.def))).map((c) => [t, c] as const),
    );
    if (!candidates.length) return null;
    const [t, c] = rng.pick(candidates);
    c.nullable = false;
    if (!c.def && !c.fk && rng.chance(0.5)) c.def = randomDefault(rng, c.type, c.length);
    return one(`${t.name}.${c.name} NOT NULL`, t.name);
  },
  loosenNullable(rng, s) {
    const candidates = s.tables.flatMap((t) => t.cols.filter((c) => !c.nullable).map((c) => [t, c] as const));
    if (!candidates.length) return null;
    const [t, c] = rng.pick(candidates);
    c.nullable = true;
    return one(`${t.name}.${c.name} nullable`, t.name);
  },
  changeDefault(rng, s) {
    const candidates = s.tables.flatMap((t) => t.cols.filter((c) => !c.fk && c.type !== 'binary').map((c) => [t, c] as const));
    if (!candidates.length) return null;
    const [t, c] = rng.pick(candidates);
    const next = c.def && rng.chance(0.4) ? null : randomDefault(rng, c.type, c.length);
    if (JSON.stringify(next) === JSON.stringify(c.def)) return null;
    if (!next && !c.nullable) return null;
    c.def = next;
    return one(`default of ${t.name}.${c.name} -> ${JSON.stringify(next)}`, t.name);
  },
  changeType(rng, s, rows) {
    const candidates = s.tables.flatMap((t) =>
      t.cols.filter((c) => !c.fk && (c.type === 'integer' || c.type === 'bigint' || (c.type === 'string' && !c.unique && !c.index && !inMulti(t, c)))).map((c) => [t, c] as const),
    );
    if (!candidates.length) return null;
    const [t, c] = rng.pick(candidates);
    if (c.type === 'string') {
      c.type = 'text';
      c.length = null;
    } else c.type = c.type === 'integer' ? 'bigint' : 'integer';
    void rows;
    return one(`type of ${t.name}.${c.name} -> ${c.type}`, t.name);
  },
  addUnique(rng, s, rows) {
    const candidates = s.tables.flatMap((t) =>
      t.cols
        .filter((c) => !c.unique && INDEXABLE.includes(c.type))
        .filter((c) => {
          const vs = valuesOf(rows, t, c).filter((v) => v !== null);
          return !vs.includes(undefined) && new Set(vs.map((v) => JSON.stringify(v))).size === vs.length;
        })
        .map((c) => [t, c] as const),
    );
    if (!candidates.length) return null;
    const [t, c] = rng.pick(candidates);
    c.unique = true;
    c.index = false;
    return one(`unique ${t.name}.${c.name}`, t.name);
  },
  dropUnique(rng, s) {
    const candidates = s.tables.flatMap((t) => t.cols.filter((c) => c.unique).map((c) => [t, c] as const));
    if (!candidates.length) return null;
    const [t, c] = rng.pick(candidates);
    c.unique = false;
    return one(`not unique ${t.name}.${c.name}`, t.name);
  },
  addIndex(rng, s) {
    const candidates = s.tables.flatMap((t) => t.cols.filter((c) => !c.index && !c.unique && INDEXABLE.includes(c.type)).map((c) => [t, c] as const));
    if (!candidates.length) return null;
    const [t, c] = rng.pick(candidates);
    c.index = true;
    return one(`index ${t.name}.${c.name}${c.fk ? ' (a foreign key)' : ''}`, t.name);
  },
  dropIndex(rng, s) {
    const candidates = s.tables.flatMap((t) => [
      ...t.cols.filter((c) => c.index).map((c) => [t, () => (c.index = false), c.name] as const),
      ...t.multi.map((m) => [t, () => (t.multi = t.multi.filter((x) => x !== m)), m.cols.join('+')] as const),
    ]);
    if (!candidates.length) return null;
    const [t, drop, what] = rng.pick(candidates);
    drop();
    return one(`drop index/unique ${t.name}(${what})`, t.name);
  },
  addForeignKey(rng, s) {
    if (s.tables.length < 2) return null;
    const i = rng.int(1, s.tables.length - 1);
    const t = s.tables[i];
    const c = randomFk(rng, new Set(['id', ...t.cols.map((x) => x.name.toLowerCase())]), s.tables.slice(0, i));
    c.nullable = true;
    t.cols.push(c);
    return one(`add column + foreign key ${t.name}.${c.name} -> ${c.fk!.table} ${c.fk!.onDelete}`, t.name);
  },
  changeForeignKeyAction(rng, s) {
    const candidates = s.tables.flatMap((t) => t.cols.filter((c) => c.fk).map((c) => [t, c] as const));
    if (!candidates.length) return null;
    const [t, c] = rng.pick(candidates);
    const actions: Action[] = (c.nullable ? ['NO ACTION', 'CASCADE', 'SET NULL'] : ['NO ACTION', 'CASCADE']) as Action[];
    const next = rng.pick(actions.filter((a) => a !== c.fk!.onDelete && !(a === 'NO ACTION' && c.fk!.onDelete === 'RESTRICT')));
    c.fk!.onDelete = next;
    return one(`onDelete of ${t.name}.${c.name} -> ${next}`, t.name);
  },
  dropForeignKey(rng, s) {
    const candidates = s.tables.flatMap((t) => t.cols.filter((c) => c.fk).map((c) => [t, c] as const));
    if (!candidates.length) return null;
    const [t, c] = rng.pick(candidates);
    c.fk = null;
    return one(`drop foreign key ${t.name}.${c.name}`, t.name);
  },
  renameColumn(rng, s, rows) {
    const t = rng.pick(s.tables);
    if (!t.cols.length) return null;
    const c = rng.pick(t.cols);
    const old = c.name;
    const name = freshName(rng, 'r', new Set(['id', ...t.cols.map((x) => x.name.toLowerCase())]));
    if ([t.name, old, name].some((n) => /[.= ]/.test(n))) return null; // not expressible as --rename
    c.name = name;
    for (const m of t.multi) m.cols = m.cols.map((x) => (x === old ? c.name : x));
    let label = `rename column ${t.name}.${old} -> ${c.name}`;
    if (rng.chance(0.5)) {
      // and alter it in the same migration
      const values = valuesOf(rows, t, { ...c, name: old });
      const how = rng.int(0, 2);
      if (how === 0 && c.type === 'string') {
        c.length = Math.max(c.length ?? 255, 20) + 5;
        label += ` + length ${c.length}`;
      } else if (how === 1 && !c.fk && c.type !== 'binary') {
        c.def = c.def ? null : randomDefault(rng, c.type, c.length);
        if (!c.def) c.nullable = true;
        label += ` + default ${JSON.stringify(c.def)}`;
      } else if (c.nullable && !c.fk && values.every((v) => v !== null && v !== undefined)) {
        c.nullable = false;
        label += ' + NOT NULL';
      } else if (!c.nullable) {
        c.nullable = true;
        label += ' + nullable';
      }
    }
    return one(label, t.name, { renames: [`${t.name}.${old}=${c.name}`] });
  },
  renameTable(rng, s) {
    const t = rng.pick(s.tables);
    const old = t.name;
    const name = freshName(rng, 'n', new Set(s.tables.map((x) => x.name.toLowerCase())));
    if (/[.= ]/.test(old) || /[.= ]/.test(name)) return null;
    t.name = name;
    renameInViews(s, old, name);
    renameInTriggers(s, old, name);
    const touched = new Set([name]);
    for (const other of s.tables) {
      for (const c of other.cols) {
        if (c.fk?.table === old) {
          c.fk.table = name;
          touched.add(other.name);
        }
      }
    }
    return { label: `rename table ${old} -> ${name}`, renames: [`${old}=${name}`], touched, tableRenames: { [old]: name } };
  },
  widenKey(rng, s) {
    const candidates = s.tables.filter((t) => t.idType !== 'bigint');
    if (!candidates.length) return null;
    const t = rng.pick(candidates);
    t.idType = 'bigint';
    const touched = new Set([t.name]);
    for (const other of s.tables) {
      for (const c of other.cols) {
        if (c.fk?.table === t.name) {
          c.type = 'bigint';
          touched.add(other.name);
        }
      }
    }
    return { label: `key of ${t.name} -> bigint (and ${touched.size - 1} referencing columns)`, renames: [], touched, tableRenames: {} };
  },
  renameTableAndColumn(rng, s, rows) {
    const table = EDITS.renameTable(rng, s, rows);
    if (!table) return null;
    const t = s.tables.find((x) => x.name === Object.values(table.tableRenames)[0])!;
    if (!t.cols.length) return table;
    const c = rng.pick(t.cols);
    const name = freshName(rng, 'r', new Set(['id', ...t.cols.map((x) => x.name.toLowerCase())]));
    if ([c.name, name].some((n) => /[.= ]/.test(n))) return table;
    const old = c.name;
    c.name = name;
    for (const m of t.multi) m.cols = m.cols.map((x) => (x === old ? name : x));
    return { ...table, label: `${table.label} + column ${old} -> ${name}`, renames: [...table.renames, `${t.name}.${old}=${name}`] };
  },
  addTable(rng, s) {
    const t = randomTable(rng, new Set(s.tables.map((x) => x.name.toLowerCase())), s.tables);
    s.tables.push(t);
    return one(`add table ${t.name}`, t.name);
  },
  dropTable(rng, s) {
    const leaves = s.tables.filter((t) => referencedBy(s, t.name).every((r) => r === t));
    if (!leaves.length || s.tables.length < 2) return null;
    const t = rng.pick(leaves);
    s.tables = s.tables.filter((x) => x !== t);
    const views = dropViewsOf(s, t.name);
    const triggers = dropTriggersOf(s, t.name);
    const along = [...views, ...triggers];
    return one(`drop table ${t.name}${along.length ? ` and its views and triggers ${along.join(', ')}` : ''}`, t.name);
  },
  ...ENUM_EDITS,
  ...VIEW_EDITS,
  ...TRIGGER_EDITS,
};

export const EDIT_KINDS = Object.keys(EDITS);

/** What of issue 11's vocabulary a schema holds (for the round trip's counts). */
export function vocabularyOf(g: GSchema): string[] {
  const out = new Set<string>();
  for (const t of g.tables) {
    if (t.cols.some((c) => c.type === 'enum')) out.add('enum');
    if (t.checked?.some((c) => c.level === 'column')) out.add('column check');
    if (t.checked?.some((c) => c.level === 'table')) out.add('table check');
    if (t.checked?.some((c) => c.checkName)) out.add('named check');
    if (t.generated?.some((x) => x.stored)) out.add('stored generated');
    if (t.generated?.some((x) => !x.stored)) out.add('virtual generated');
    if (t.multi.some((m) => m.where !== undefined)) out.add('partial index');
    if (t.comment !== undefined || t.cols.some((c) => c.comment !== undefined)) out.add('comment');
    for (const c of t.cols) if (!['integer', 'bigint', 'string', 'text', 'date', 'time', 'datetime', 'interval', 'float', 'boolean', 'json', 'binary', 'enum'].includes(c.type)) out.add(c.type);
  }
  if (g.views?.length) out.add('view');
  if (g.views?.some((v) => v.kind === 'onView')) out.add('view on a view');
  if (g.triggers?.length) out.add('trigger');
  if (g.triggers?.some((t) => t.when)) out.add('trigger with WHEN');
  return [...out];
}

/** A random applicable edit of `schema` (which is not modified), sometimes two at once. */
export function randomEdit(rng: Rng, schema: GSchema, rows: Rows): Edit {
  const s = clone(schema);
  const parts: Omit<Edit, 'schema'>[] = [];
  const kinds: string[] = [];
  let wanted = rng.chance(0.25) ? 2 : 1;
  for (let attempts = 0; parts.length < wanted && attempts < 100; attempts++) {
    const kind = rng.pick(EDIT_KINDS);
    // In a pair: no table rename (row bookkeeping stays simple), no second column rename; an
    // enum value rename stays alone (another edit could rename, retype or drop its column).
    const alone = (k: string) => k.startsWith('renameTable') || k === 'renameEnumValue';
    if (parts.length && (alone(kind) || (kind === 'renameColumn' && kinds.includes(kind)))) continue;
    const before = JSON.stringify(s);
    const result = EDITS[kind](rng, s, rows);
    if (!result) {
      if (JSON.stringify(s) !== before) throw new Error(`edit ${kind} changed the schema and gave up`);
      continue;
    }
    parts.push(result);
    kinds.push(kind);
    if (alone(kind)) wanted = 1;
  }
  if (!parts.length) throw new Error('no applicable edit');
  return { schema: s, ...parts.slice(1).reduce(merge, parts[0]), kinds };
}

function merge(a: Omit<Edit, 'schema'>, b: Omit<Edit, 'schema'>): Omit<Edit, 'schema'> {
  const rename = (n: string) => b.tableRenames[n] ?? n;
  return {
    label: `${a.label}; ${b.label}`,
    renames: [...a.renames, ...b.renames],
    touched: new Set([...[...a.touched].map(rename), ...b.touched]),
    tableRenames: { ...Object.fromEntries(Object.entries(a.tableRenames).map(([o, n]) => [o, rename(n)])), ...b.tableRenames },
  };
}
