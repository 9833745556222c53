import { KilnError } from '../errors';
import type { MigrationFile } from './files';

/**
 * Target resolution, pure. History is linear (file-name order, as Knex). `applied` is the
 * list of applied migration names in the order they were applied.
 */
export interface Plan {
  readonly direction: 'up' | 'down';
  /** Migrations to run, in the order to run them. */
  readonly steps: readonly MigrationFile[];
}

export function findByName(files: readonly MigrationFile[], target: string): number {
  const exact = files.findIndex((f) => f.name === target || f.id === target);
  if (exact >= 0) return exact;
  const matches = files.map((f, i) => [f, i] as const).filter(([f]) => f.id.startsWith(target));
  if (matches.length === 1) return matches[0][1];
  if (matches.length > 1) {
    throw new KilnError('TARGET', `ambiguous target '${target}': matches ${matches.map(([f]) => f.id).join(', ')}`);
  }
  throw new KilnError('TARGET', `unknown target '${target}': no migration named or starting with it`, {
    hint: "see 'kiln db history'",
  });
}

function relative(target: string): number | null {
  const m = /^([+-])(\d+)$/.exec(target);
  if (!m) return null;
  const n = Number(m[2]);
  if (n === 0) throw new KilnError('TARGET', `relative target '${target}' must not be zero`);
  return m[1] === '+' ? n : -n;
}

function appliedSet(applied: readonly string[]): Set<string> {
  return new Set(applied);
}

/** `kiln db upgrade TARGET`: head, a name or prefix, +N. */
export function planUpgrade(files: readonly MigrationFile[], applied: readonly string[], target = 'head'): Plan {
  const done = appliedSet(applied);
  const pending = files.filter((f) => !done.has(f.name));
  if (target === 'head' || target === 'heads') return { direction: 'up', steps: pending };
  if (target === 'base') throw new KilnError('TARGET', "cannot upgrade to 'base': use 'kiln db downgrade base'");
  const rel = relative(target);
  if (rel !== null) {
    if (rel < 0) throw new KilnError('TARGET', `cannot upgrade by '${target}': use 'kiln db downgrade ${target}'`);
    if (rel > pending.length) {
      throw new KilnError('TARGET', `cannot upgrade by ${target}: only ${pending.length} migration(s) pending`);
    }
    return { direction: 'up', steps: pending.slice(0, rel) };
  }
  const idx = findByName(files, target);
  if (done.has(files[idx].name) && !files.slice(0, idx + 1).some((f) => !done.has(f.name))) {
    const later = files.slice(idx + 1).some((f) => done.has(f.name));
    if (later) throw new KilnError('TARGET', `'${files[idx].id}' is behind the current revision: use 'kiln db downgrade ${files[idx].id}'`);
    return { direction: 'up', steps: [] };
  }
  return { direction: 'up', steps: files.slice(0, idx + 1).filter((f) => !done.has(f.name)) };
}

/** `kiln db downgrade TARGET`: -1 (default), -N, base, a name or prefix (which stays applied). */
export function planDowngrade(files: readonly MigrationFile[], applied: readonly string[], target = '-1'): Plan {
  const byName = new Map(files.map((f) => [f.name, f]));
  // Revert in reverse order of application, Knex's bookkeeping order.
  const appliedFiles = applied.map((name) => byName.get(name)!).filter(Boolean);
  const reversed = [...appliedFiles].reverse();
  if (target === 'base') return { direction: 'down', steps: reversed };
  if (target === 'head' || target === 'heads') {
    throw new KilnError('TARGET', "cannot downgrade to 'head': use 'kiln db upgrade head'");
  }
  const rel = relative(target);
  if (rel !== null) {
    if (rel > 0) throw new KilnError('TARGET', `cannot downgrade by '${target}': use 'kiln db upgrade ${target}'`);
    const n = -rel;
    if (reversed.length === 0) throw new KilnError('TARGET', `cannot downgrade by ${target}: the database is already at base (no migration applied)`);
    if (n > reversed.length) {
      throw new KilnError('TARGET', `cannot downgrade by ${target}: only ${reversed.length} migration(s) applied`);
    }
    return { direction: 'down', steps: reversed.slice(0, n) };
  }
  const idx = findByName(files, target);
  const keep = files[idx];
  if (!applied.includes(keep.name)) {
    throw new KilnError('TARGET', `'${keep.id}' is not applied: use 'kiln db upgrade ${keep.id}'`);
  }
  const keepPos = applied.indexOf(keep.name);
  return { direction: 'down', steps: reversed.slice(0, applied.length - 1 - keepPos) };
}

/** `kiln db stamp TARGET`: the set of names that should be recorded as applied. */
export function stampSet(files: readonly MigrationFile[], applied: readonly string[], target: string): string[] {
  if (target === 'base') return [];
  if (target === 'head' || target === 'heads') return files.map((f) => f.name);
  const rel = relative(target);
  if (rel !== null) {
    const names = new Set(files.map((f) => f.name));
    const current = applied.filter((n) => names.has(n));
    if (rel < 0) {
      if (-rel > current.length) throw new KilnError('TARGET', `cannot stamp ${target}: only ${current.length} migration(s) applied`);
      return current.slice(0, current.length + rel);
    }
    const done = appliedSet(applied);
    const pending = files.filter((f) => !done.has(f.name));
    if (rel > pending.length) throw new KilnError('TARGET', `cannot stamp ${target}: only ${pending.length} migration(s) pending`);
    return [...current, ...pending.slice(0, rel).map((f) => f.name)];
  }
  const idx = findByName(files, target);
  return files.slice(0, idx + 1).map((f) => f.name);
}
