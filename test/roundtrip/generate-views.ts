/**
 * Issue 12's views in the seeded random round trip (./generate.ts): a random schema sometimes
 * declares views over its tables (a filter on the key, a count, a union of two tables) and views
 * over those views; edits add, drop and change a view, and the table edits keep them true (a
 * renamed table is renamed in the view's text, a dropped table takes its views with it).
 * Views read only `id` or `count(*)`: no column edit can break one, and they stand on tables
 * that edits alter (kiln drops and re-creates a view around a change its database refuses
 * under it). Names are quoted in the dialect's way: tables may be called `order` or `it's`.
 */
import type { Edit, Rng } from './generate';

export interface GView {
  name: string;
  kind: 'filter' | 'count' | 'union' | 'onView';
  /** The tables it reads (`onView`: the one view). */
  reads: string[];
  k: number;
}

interface Schema {
  tables: { name: string }[];
  views?: GView[];
}

const js = (v: unknown) => JSON.stringify(v);

/** The view's SELECT for `dialect`. */
export function viewSql(v: GView, dialect: string): string {
  const q = (name: string) => (dialect === 'mysql' ? `\`${name.replace(/`/g, '``')}\`` : `"${name.replace(/"/g, '""')}"`);
  switch (v.kind) {
    case 'filter':
      return `select id from ${q(v.reads[0])} where id > ${v.k}`;
    case 'count':
      return `select count(*) as n from ${q(v.reads[0])}`;
    case 'union':
      return `select id from ${q(v.reads[0])} union all select id from ${q(v.reads[1])}`;
    case 'onView':
      return `select id from ${q(v.reads[0])} where id < ${v.k}`;
  }
}

/** The model source lines declaring the views (after the tables). */
export function viewLines(s: Schema, dialect: string): string[] {
  return (s.views ?? []).map((v, i) => `export const V${i} = view(${js(v.name)}, ${js(viewSql(v, dialect))});`);
}

function freshViewName(rng: Rng, s: Schema): string {
  const taken = new Set([...s.tables.map((t) => t.name.toLowerCase()), ...(s.views ?? []).map((v) => v.name)]);
  for (;;) {
    const name = `v${rng.int(0, 999)}`;
    if (!taken.has(name)) return name;
  }
}

/** A random view over the schema's tables, or over one of its views that has an `id`. */
function randomView(rng: Rng, s: Schema): GView {
  const name = freshViewName(rng, s);
  const bases = (s.views ?? []).filter((v) => v.kind !== 'count');
  const kinds: GView['kind'][] = ['filter', 'count', ...(s.tables.length > 1 ? ['union' as const] : []), ...(bases.length ? ['onView' as const] : [])];
  const kind = rng.pick(kinds);
  const k = rng.int(0, 9);
  if (kind === 'onView') return { name, kind, reads: [rng.pick(bases).name], k };
  if (kind === 'union') {
    const a = rng.pick(s.tables);
    const b = rng.pick(s.tables.filter((t) => t !== a));
    return { name, kind, reads: [a.name, b.name], k };
  }
  return { name, kind, reads: [rng.pick(s.tables).name], k };
}

/** Sometimes one to three views on a freshly generated schema. */
export function decorateSchema(rng: Rng, s: Schema): void {
  if (!rng.chance(0.3)) return;
  s.views = [];
  for (let i = rng.int(1, 3); i > 0; i--) s.views.push(randomView(rng, s));
}

/** The views that read `names`, and those that read them, and so on. */
function readersOf(s: Schema, names: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (let grew = true; grew; ) {
    grew = false;
    for (const v of s.views ?? []) {
      if (out.has(v.name) || !v.reads.some((r) => names.includes(r) || out.has(r))) continue;
      out.add(v.name);
      grew = true;
    }
  }
  return out;
}

/** The table edits' part: a renamed table is renamed in the views' text. */
export function renameInViews(s: Schema, old: string, name: string): void {
  for (const v of s.views ?? []) v.reads = v.reads.map((r) => (r === old ? name : r));
}

/** The table edits' part: a dropped table takes the views over it (and over those) with it. */
export function dropViewsOf(s: Schema, table: string): string[] {
  const gone = readersOf(s, [table]);
  if (s.views) s.views = s.views.filter((v) => !gone.has(v.name));
  return [...gone];
}

const none = (label: string): Omit<Edit, 'schema'> => ({ label, renames: [], touched: new Set(), tableRenames: {} });

export const VIEW_EDITS: Record<string, (rng: Rng, s: Schema) => Omit<Edit, 'schema'> | null> = {
  addView(rng, s) {
    const v = randomView(rng, s);
    s.views = [...(s.views ?? []), v];
    return none(`add view ${v.name} (${v.kind} of ${v.reads.join(', ')})`);
  },
  dropView(rng, s) {
    if (!s.views?.length) return null;
    const v = rng.pick(s.views);
    const gone = new Set([v.name, ...readersOf(s, [v.name])]);
    s.views = s.views.filter((x) => !gone.has(x.name));
    return none(`drop view ${[...gone].join(', ')}`);
  },
  changeView(rng, s) {
    const found = (s.views ?? []).filter((v) => v.kind === 'filter' || v.kind === 'onView' || v.kind === 'count');
    if (!found.length) return null;
    const v = rng.pick(found);
    if (v.kind === 'count') {
      // count -> filter changes the view's columns: its readers (none read a count) stay valid
      v.kind = 'filter';
    } else v.k = v.k === 9 ? 0 : v.k + 1;
    return none(`view ${v.name} -> ${v.kind} ${v.k}`);
  },
};
