import { dialectOf } from '../dialect/registry';
import type { DialectName } from '../dialect/types';
import type { OperationOf } from '../ops/types';
import { saidOptions } from '../schema/sequence';
import type { Sequence } from '../schema/types';
import { rawStatement } from './raw';

/**
 * Standalone sequences (PostgreSQL, issue 12 item 4) through `knex.raw`: the schema builder has
 * no sequence statements. CREATE says only the options that differ from PostgreSQL's defaults
 * for the type and step; ALTER only those that change, and never RESTART: the sequence's current
 * value stays where it is (a new `start` is what a later `ALTER SEQUENCE ... RESTART` goes back to).
 */
export function renderCreateSequence(op: OperationOf<'createSequence'>, dialect: DialectName): string {
  return rawStatement(dialect, `CREATE SEQUENCE ${quote(dialect, op.sequence.name)}${createClauses(op.sequence)}`);
}

export function renderDropSequence(op: OperationOf<'dropSequence'>, dialect: DialectName): string {
  return rawStatement(dialect, `DROP SEQUENCE ${quote(dialect, op.sequence.name)}`);
}

export function renderAlterSequence(op: OperationOf<'alterSequence'>, dialect: DialectName): string {
  const changed = clauses(op.to).filter(([k]) => op.from[k] !== op.to[k]);
  return rawStatement(dialect, `ALTER SEQUENCE ${quote(dialect, op.to.name)}${changed.map(([, c]) => ` ${c}`).join('')}`);
}

/** Every option as its clause, keyed by the option. */
function clauses(s: Sequence): [keyof Sequence, string][] {
  return [
    ['as', `AS ${s.as}`],
    ['increment', `INCREMENT BY ${s.increment}`],
    ['minValue', `MINVALUE ${s.minValue}`],
    ['maxValue', `MAXVALUE ${s.maxValue}`],
    ['start', `START WITH ${s.start}`],
    ['cache', `CACHE ${s.cache}`],
    ['cycle', s.cycle ? 'CYCLE' : 'NO CYCLE'],
  ];
}

function createClauses(s: Sequence): string {
  const said = new Set<keyof Sequence>(saidOptions(s));
  return clauses(s)
    .filter(([k]) => said.has(k))
    .map(([, c]) => ` ${c}`)
    .join('');
}

const quote = (dialect: DialectName, name: string) => dialectOf(dialect).generation.render.quoteName(name);
