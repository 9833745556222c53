import { dialectOf } from '../dialect/registry';
import type { DialectName } from '../dialect/types';
import type { OperationOf } from '../ops/types';
import { saidOptions, type SequenceOption } from '../schema/sequence';
import type { Sequence } from '../schema/types';
import { rawStatement } from './raw';

/**
 * Standalone sequences (PostgreSQL and MariaDB, issue 12 item 4) through `knex.raw`: the schema
 * builder has no sequence statements. CREATE says only the options that differ from the
 * database's defaults for the type and step (its dialect's `sequences.said`); ALTER only those
 * that change, and never RESTART: the sequence's current value stays where it is (a new `start`
 * is what a later `ALTER SEQUENCE ... RESTART` goes back to).
 */
export function renderCreateSequence(op: OperationOf<'createSequence'>, dialect: DialectName): string {
  return rawStatement(dialect, `CREATE SEQUENCE ${quote(dialect, op.sequence.name)}${createClauses(op.sequence, dialect)}`);
}

export function renderDropSequence(op: OperationOf<'dropSequence'>, dialect: DialectName): string {
  return rawStatement(dialect, `DROP SEQUENCE ${quote(dialect, op.sequence.name)}`);
}

export function renderAlterSequence(op: OperationOf<'alterSequence'>, dialect: DialectName): string {
  const changed = clauses(op.to, dialect).filter(([k]) => op.from[k] !== op.to[k]);
  return rawStatement(dialect, `ALTER SEQUENCE ${quote(dialect, op.to.name)}${changed.map(([, c]) => ` ${c}`).join('')}`);
}

/** Every option as its clause, keyed by the option (the dialect's own spelling where it has one). */
function clauses(s: Sequence, dialect: DialectName): [SequenceOption, string][] {
  const own = sequencesOf(dialect)?.clause;
  const common: [SequenceOption, string][] = [
    ['as', `AS ${s.as}`],
    ['increment', `INCREMENT BY ${s.increment}`],
    ['minValue', `MINVALUE ${s.minValue}`],
    ['maxValue', `MAXVALUE ${s.maxValue}`],
    ['start', `START WITH ${s.start}`],
    ['cache', `CACHE ${s.cache}`],
    ['cycle', s.cycle ? 'CYCLE' : 'NO CYCLE'],
  ];
  return common.map(([k, c]) => [k, own?.(s, k) ?? c]);
}

function createClauses(s: Sequence, dialect: DialectName): string {
  const said = new Set<SequenceOption>((sequencesOf(dialect)?.said ?? saidOptions)(s));
  return clauses(s, dialect)
    .filter(([k]) => said.has(k))
    .map(([, c]) => ` ${c}`)
    .join('');
}

const sequencesOf = (dialect: DialectName) => dialectOf(dialect).generation.sequences;

const quote = (dialect: DialectName, name: string) => dialectOf(dialect).generation.render.quoteName(name);
