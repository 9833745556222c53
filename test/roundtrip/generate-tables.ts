/**
 * Issue 11's table vocabulary for the seeded random round trip (./generate.ts): comments on
 * tables and columns (text with quotes, a backslash, '?', non-ASCII) and key order of the
 * multi-column indexes, plus their edits. Portable to every dialect (SQLite ignores comments).
 * CHECK constraints are not generated here: the other edits (drop, rename, retype a column)
 * would have to rewrite their text; test/tables/ covers them.
 */
import type { Rng } from './generate';

interface Commented {
  comment?: string;
}
interface Multi {
  cols: string[];
  unique: boolean;
  order?: ('asc' | 'desc')[];
}
interface Table extends Commented {
  name: string;
  cols: (Commented & { name: string })[];
  multi: Multi[];
}
interface Schema {
  tables: Table[];
}

const TEXTS = ["it's ours", 'a \\ b', 'what?', 'say "hi"', 'ünïcode', 'plain'];
const js = (v: unknown) => JSON.stringify(v);

/** Random comments and orders on a freshly generated table. */
export function decorateTable(rng: Rng, t: Table): void {
  if (rng.chance(0.3)) t.comment = rng.pick(TEXTS);
  for (const c of t.cols) if (rng.chance(0.2)) c.comment = rng.pick(TEXTS);
  for (const m of t.multi) if (rng.chance(0.5)) m.order = m.cols.map(() => (rng.chance(0.5) ? 'desc' : 'asc'));
}

export const columnCommentSource = (c: Commented): string => (c.comment === undefined ? '' : `.comment(${js(c.comment)})`);

export const tableCommentSource = (t: Commented): string => (t.comment === undefined ? '' : `, comment: ${js(t.comment)}`);

/** An ordered multi-column rule is an entry of `indexes` (with `unique`), else as before. */
export function multiSource(m: Multi): { readonly inIndexes: boolean; readonly source: string } {
  if (!m.order) return { inIndexes: !m.unique, source: `{ columns: ${js(m.cols)} }` };
  return { inIndexes: true, source: `{ columns: ${js(m.cols)}, order: ${js(m.order)}${m.unique ? ', unique: true' : ''} }` };
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
};
