import type { Schema } from '../schema/types';
import { sameSequence } from '../schema/sequence';
import { PHASE, tag, type Tagged } from './order';

/**
 * The ops on standalone sequences (PostgreSQL, MariaDB; issue 12 item 4), by name: one only in the
 * models is created, one only in `from` dropped (autogenerate passes only the database's
 * sequences the models declare or used to declare: the others are never touched), one whose
 * options differ altered. Created and altered before the tables, dropped after them.
 */
export function compareSequences(from: Schema, to: Schema): Tagged[] {
  const before = new Map((from.sequences ?? []).map((s) => [s.name, s]));
  const after = new Map((to.sequences ?? []).map((s) => [s.name, s]));
  const out: Tagged[] = [];
  for (const [name, s] of after) {
    const old = before.get(name);
    if (!old) out.push(tag({ kind: 'createSequence', sequence: s }, PHASE.createSequence, name, 0));
    else if (!sameSequence(old, s)) out.push(tag({ kind: 'alterSequence', from: old, to: s }, PHASE.createSequence, name, 0));
  }
  for (const [name, s] of before) if (!after.has(name)) out.push(tag({ kind: 'dropSequence', sequence: s }, PHASE.dropSequence, name, 0));
  return out;
}
