/**
 * The random round trip's enum vocabulary (issue 11 item 2), hooked into ./generate: some new
 * random columns are enums (values with a quote and a `?`), rows pick among their values, and
 * an edit adds a value to an enum (in place on PostgreSQL, a MODIFY on MySQL, a rebuild on SQLite)
 * or renames one with --rename table.column:old=new (rows keep it; always an edit on its own).
 */
import type { Edit, GCol, GSchema, Rng, Rows } from './generate';

const VALUES = ['draft', "it's", 'o?k', 'done', 'late'];

/** A fresh plain column, sometimes turned into an enum (no index or unique rule). */
export function maybeEnum(rng: Rng, c: GCol): GCol {
  if (c.fk || !rng.chance(0.12)) return c;
  const values = VALUES.filter(() => rng.chance(0.6));
  if (!values.length) values.push('draft');
  // Not a default with '?': Knex's PostgreSQL client reads it as a parameter (any string default).
  const plain = values.filter((v) => !v.includes('?'));
  const def = plain.length && rng.chance(0.4) ? { kind: 'literal' as const, value: rng.pick(plain) } : null;
  return { ...c, type: 'enum', length: null, values, def, nullable: def ? c.nullable : true, unique: false, index: false };
}

export function enumSource(c: GCol): string {
  return `Enum(${(c.values ?? []).map((v) => JSON.stringify(v)).join(', ')})`;
}

export function enumValue(rng: Rng, c: GCol): string {
  return rng.pick(c.values ?? ['draft']);
}

export const ENUM_EDITS: Record<string, (rng: Rng, s: GSchema, rows: Rows) => Omit<Edit, 'schema'> | null> = {
  addEnumValue(rng, s) {
    const candidates = s.tables.flatMap((t) => t.cols.filter((c) => c.type === 'enum').map((c) => [t, c] as const));
    const [t, c] = candidates.length ? rng.pick(candidates) : [];
    if (!t || !c?.values) return null;
    const value = `new ${rng.int(0, 99)}`;
    if (c.values.includes(value)) return null;
    c.values.splice(rng.int(0, c.values.length), 0, value);
    return { label: `add value '${value}' to ${t.name}.${c.name}`, renames: [], touched: new Set([t.name]), tableRenames: {} };
  },
  renameEnumValue(rng, s) {
    const candidates = s.tables.flatMap((t) => t.cols.filter((c) => c.type === 'enum').map((c) => [t, c] as const));
    const [t, c] = candidates.length ? rng.pick(candidates) : [];
    if (!t || !c?.values) return null;
    const old = rng.pick(c.values);
    const value = `renamed ${rng.int(0, 99)}`;
    if (c.values.includes(value)) return null;
    c.values[c.values.indexOf(old)] = value;
    if (c.def?.kind === 'literal' && c.def.value === old) c.def = { kind: 'literal', value };
    return { label: `rename value '${old}' of ${t.name}.${c.name} to '${value}'`, renames: [`${t.name}.${c.name}:${old}=${value}`], touched: new Set([t.name]), tableRenames: {} };
  },
};
