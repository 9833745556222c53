/**
 * Issue 11's table vocabulary for the seeded random round trip (./generate.ts), with its edits:
 * - comments on tables and columns (text with quotes, a backslash, '?', non-ASCII; SQLite
 *   ignores them) and key order of the multi-column indexes;
 * - CHECK constraints, column-level and table-level, named or unnamed, on "checked" columns:
 *   integer columns kept apart from the plain columns, so that no other edit (drop, rename,
 *   retype) has to rewrite a check's text; edits add, drop and change a check;
 * - generated columns over a checked column, stored, or virtual where the database has them
 *   (not PostgreSQL); edits add one and change its expression;
 * - partial indexes (`where`), kept off MySQL/MariaDB with `dialects` (which have none); an
 *   edit makes a multi-column index partial.
 * Enums and their edit are in ./generate-enumgen.ts.
 */
import type { Rng } from './generate';

interface Commented {
  comment?: string;
}
interface Multi {
  cols: string[];
  unique: boolean;
  order?: ('asc' | 'desc')[];
  /** A partial index's predicate (on the key `id`, which no edit renames). */
  where?: string;
}
/** An integer column with a CHECK: column-level `col >= lo`, table-level `col between lo and hi`, or none. */
export interface Checked {
  name: string;
  lo: number;
  hi: number;
  level: 'column' | 'table' | 'none';
  /** The constraint's name; absent: kiln's default. */
  checkName?: string;
}
/** An integer generated column: `of op k`. */
export interface Generated {
  name: string;
  of: string;
  op: '+' | '*';
  k: number;
  stored: boolean;
}
interface Table extends Commented {
  name: string;
  cols: (Commented & { name: string; fk?: unknown })[];
  multi: Multi[];
  checked?: Checked[];
  generated?: Generated[];
}
interface Schema {
  tables: Table[];
}

const TEXTS = ["it's ours", 'a \\ b', 'what?', 'say "hi"', 'ünïcode', 'plain'];
const PREDICATES = ['id > 0', 'id <> 7'];
const js = (v: unknown) => JSON.stringify(v);

/** Names of the checked and generated columns: never a reserved word, never among the plain columns' (c..., r...). */
function freshExtraName(rng: Rng, prefix: string, t: Table): string {
  const taken = new Set([...t.cols.map((c) => c.name), ...(t.checked ?? []).map((c) => c.name), ...(t.generated ?? []).map((g) => g.name)]);
  for (;;) {
    const name = `${prefix}${rng.int(0, 999)}`;
    if (!taken.has(name)) return name;
  }
}

/** Check names are unique in the whole database (MySQL/MariaDB). */
function freshCheckName(rng: Rng, s: Schema | undefined): string {
  const taken = new Set((s?.tables ?? []).flatMap((t) => (t.checked ?? []).map((c) => c.checkName)));
  for (;;) {
    const name = `ck_${rng.int(0, 99999)}`;
    if (!taken.has(name)) return name;
  }
}

function randomChecked(rng: Rng, t: Table, s?: Schema): Checked {
  const lo = rng.int(-5, 5);
  const c: Checked = { name: freshExtraName(rng, 'k', t), lo, hi: lo + rng.int(10, 50), level: rng.pick(['column', 'table', 'none'] as const) };
  if (c.level !== 'none' && rng.chance(0.5)) c.checkName = freshCheckName(rng, s);
  return c;
}

function randomGenerated(rng: Rng, t: Table): Generated | null {
  if (!t.checked?.length) return null;
  return { name: freshExtraName(rng, 'g', t), of: rng.pick(t.checked).name, op: rng.pick(['+', '*'] as const), k: rng.int(1, 9), stored: rng.chance(0.5) };
}

/** Random comments, orders, checks, generated columns and partial indexes on a freshly generated table. */
export function decorateTable(rng: Rng, t: Table, s?: Schema): void {
  if (rng.chance(0.3)) t.comment = rng.pick(TEXTS);
  for (const c of t.cols) if (rng.chance(0.2)) c.comment = rng.pick(TEXTS);
  for (const m of t.multi) {
    if (rng.chance(0.5)) m.order = m.cols.map(() => (rng.chance(0.5) ? 'desc' : 'asc'));
    if (rng.chance(0.2) && partialAllowed(t, m)) m.where = rng.pick(PREDICATES);
  }
  if (rng.chance(0.4)) {
    t.checked = [];
    for (let i = rng.int(1, 2); i > 0; i--) t.checked.push(randomChecked(rng, t, s));
    if (rng.chance(0.5)) t.generated = [randomGenerated(rng, t)!];
  }
}

export const columnCommentSource = (c: Commented): string => (c.comment === undefined ? '' : `.comment(${js(c.comment)})`);

export const tableCommentSource = (t: Commented): string => (t.comment === undefined ? '' : `, comment: ${js(t.comment)}`);

/** An ordered or partial multi-column rule is an entry of `indexes` (with `unique`), else as before. */
export function multiSource(m: Multi): { readonly inIndexes: boolean; readonly source: string } {
  if (!m.order && m.where === undefined) return { inIndexes: !m.unique, source: `{ columns: ${js(m.cols)} }` };
  const order = m.order ? `, order: ${js(m.order)}` : '';
  const where = m.where === undefined ? '' : `, where: ${js(m.where)}, dialects: ['postgres', 'sqlite']`;
  return { inIndexes: true, source: `{ columns: ${js(m.cols)}${order}${where}${m.unique ? ', unique: true' : ''} }` };
}

const checkExpression = (c: Checked): string => (c.level === 'column' ? `${c.name} >= ${c.lo}` : `${c.name} between ${c.lo} and ${c.hi}`);

/** The model source lines of a table's checked and generated columns (PostgreSQL has no virtual generated columns). */
export function extraColumnLines(t: Table, dialect: string): string[] {
  const lines: string[] = [];
  for (const c of t.checked ?? []) {
    const check = c.level === 'column' ? `.check(${js(checkExpression(c))}${c.checkName ? `, ${js(c.checkName)}` : ''})` : '';
    lines.push(`  ${js(c.name)}: Integer().notNull().default(${c.lo})${check},`);
  }
  for (const g of t.generated ?? []) {
    lines.push(`  ${js(g.name)}: Integer().computed(${js(`${g.of} ${g.op} ${g.k}`)}, { stored: ${g.stored || dialect === 'postgres'} }),`);
  }
  return lines;
}

/** `, checks: [...]` for the table-level checks, or ''. */
export function checksSource(t: Table): string {
  const checks = (t.checked ?? []).filter((c) => c.level === 'table');
  if (!checks.length) return '';
  return `, checks: [${checks.map((c) => `{ expression: ${js(checkExpression(c))}${c.checkName ? `, name: ${js(c.checkName)}` : ''} }`).join(', ')}]`;
}

/** A row's values of the checked columns (inside every check: [lo, hi]); generated columns get none. */
export function checkedValues(rng: Rng, t: Table): Record<string, number> {
  const row: Record<string, number> = {};
  for (const c of t.checked ?? []) if (rng.chance(0.8)) row[c.name] = rng.int(c.lo, c.hi);
  return row;
}

/** MySQL/MariaDB keep a foreign key's index: a multi-column index led by a key column stays whole there. */
function partialAllowed(t: Table, m: Multi): boolean {
  const first = t.cols.find((c) => c.name === m.cols[0]);
  return m.where === undefined && !first?.fk;
}

const one = (label: string, table: string) => ({ label, renames: [], touched: new Set([table]), tableRenames: {} });

export const TABLE_EDITS = {
  tableComment(rng: Rng, s: Schema) {
    const t = rng.pick(s.tables);
    const next = rng.chance(0.3) ? undefined : rng.pick(TEXTS.filter((x) => x !== t.comment));
    if (next === t.comment) return null;
    t.comment = next;
    return one(`comment of ${t.name} -> ${next ?? 'none'}`, t.name);
  },
  columnComment(rng: Rng, s: Schema) {
    const t = rng.pick(s.tables);
    if (!t.cols.length) return null;
    const c = rng.pick(t.cols);
    const next = c.comment !== undefined && rng.chance(0.4) ? undefined : rng.pick(TEXTS.filter((x) => x !== c.comment));
    c.comment = next;
    return one(`comment of ${t.name}.${c.name} -> ${next ?? 'none'}`, t.name);
  },
  indexOrder(rng: Rng, s: Schema) {
    const found = s.tables.flatMap((t) => t.multi.map((m) => [t, m] as const));
    if (!found.length) return null;
    const [t, m] = rng.pick(found);
    m.order = m.order ? undefined : m.cols.map((_, i) => (i === 0 ? 'desc' : 'asc'));
    return one(`order of ${t.name} (${m.cols.join(', ')}) -> ${m.order ? m.order.join(', ') : 'ascending'}`, t.name);
  },
  makeIndexPartial(rng: Rng, s: Schema) {
    const found = s.tables.flatMap((t) => t.multi.filter((m) => partialAllowed(t, m)).map((m) => [t, m] as const));
    if (!found.length) return null;
    const [t, m] = rng.pick(found);
    m.where = rng.pick(PREDICATES);
    return one(`index of ${t.name} (${m.cols.join(', ')}) partial: ${m.where}`, t.name);
  },
  addCheckedColumn(rng: Rng, s: Schema) {
    const t = rng.pick(s.tables);
    const c = randomChecked(rng, t, s);
    t.checked = [...(t.checked ?? []), c];
    return one(`add column ${t.name}.${c.name} with a ${c.level} check`, t.name);
  },
  addCheck(rng: Rng, s: Schema) {
    const found = s.tables.flatMap((t) => (t.checked ?? []).filter((c) => c.level === 'none').map((c) => [t, c] as const));
    if (!found.length) return null;
    const [t, c] = rng.pick(found);
    c.level = rng.pick(['column', 'table'] as const);
    if (rng.chance(0.5)) c.checkName = freshCheckName(rng, s);
    return one(`add ${c.level} check on ${t.name}.${c.name}${c.checkName ? ` named ${c.checkName}` : ''}`, t.name);
  },
  changeCheck(rng: Rng, s: Schema) {
    const found = s.tables.flatMap((t) => (t.checked ?? []).filter((c) => c.level !== 'none').map((c) => [t, c] as const));
    if (!found.length) return null;
    const [t, c] = rng.pick(found);
    // Only wider: the rows (inside [lo, hi]) keep satisfying it, and the downgrade's narrower one.
    if (c.level === 'table' && rng.chance(0.5)) c.hi += rng.int(1, 20);
    else c.lo -= rng.int(1, 20);
    return one(`check on ${t.name}.${c.name} -> ${checkExpression(c)}`, t.name);
  },
  dropCheck(rng: Rng, s: Schema) {
    const found = s.tables.flatMap((t) => (t.checked ?? []).filter((c) => c.level !== 'none').map((c) => [t, c] as const));
    if (!found.length) return null;
    const [t, c] = rng.pick(found);
    c.level = 'none';
    delete c.checkName;
    return one(`drop the check on ${t.name}.${c.name}`, t.name);
  },
  addGeneratedColumn(rng: Rng, s: Schema) {
    const t = rng.pick(s.tables);
    const g = randomGenerated(rng, t);
    if (!g) return null;
    t.generated = [...(t.generated ?? []), g];
    return one(`add generated column ${t.name}.${g.name} = ${g.of} ${g.op} ${g.k}${g.stored ? ' stored' : ''}`, t.name);
  },
  changeGeneratedExpression(rng: Rng, s: Schema) {
    const found = s.tables.flatMap((t) => (t.generated ?? []).map((g) => [t, g] as const));
    if (!found.length) return null;
    const [t, g] = rng.pick(found);
    if (rng.chance(0.5)) g.op = g.op === '+' ? '*' : '+';
    else g.k = g.k === 9 ? 1 : g.k + 1;
    return one(`generated ${t.name}.${g.name} -> ${g.of} ${g.op} ${g.k}`, t.name);
  },
};
