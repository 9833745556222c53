import { identitySequence } from '../schema/sequence';
import type { Column } from '../schema/types';

/** What differs in the issue-11 column fields this file owns: enum type name, generation, identity. */
export function extraChanges(from: Column, to: Column): string[] {
  const out: string[] = [];
  if (from.type === 'enum' && to.type === 'enum' && JSON.stringify(from.enum?.values) !== JSON.stringify(to.enum?.values)) {
    out.push(`values ${values(from)} -> ${values(to)}`);
  }
  if ((from.enum?.name ?? null) !== (to.enum?.name ?? null)) out.push(`enum type ${from.enum?.name ?? 'none'} -> ${to.enum?.name ?? 'none'}`);
  if (generatedLabel(from) !== generatedLabel(to)) out.push(`generated ${generatedLabel(from)} -> ${generatedLabel(to)}`);
  if ((from.identity ?? null) !== (to.identity ?? null)) out.push(`identity ${from.identity ?? 'none'} -> ${to.identity ?? 'none'}`);
  if (from.identity && to.identity) {
    // The whole sequences, as the migration sets them (a said option back to its default included).
    const [a, b] = [identitySequence(from.type, from.identityOptions), identitySequence(to.type, to.identityOptions)];
    const changed = (['increment', 'minValue', 'maxValue', 'start', 'cache', 'cycle'] as const).filter((k) => a[k] !== b[k]);
    if (changed.length) out.push(`identity ${changed.map((k) => `${k} ${a[k]} -> ${b[k]}`).join(', ')}`);
  }
  return out;
}

const values = (c: Column) => `(${(c.enum?.values ?? []).map((v) => `'${v}'`).join(', ')})`;

function generatedLabel(c: Column): string {
  return c.generated ? `${c.generated.expression} ${c.generated.stored ? 'stored' : 'virtual'}` : 'none';
}
