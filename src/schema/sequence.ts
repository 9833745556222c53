import type { IdentityOptions, Sequence } from './types';

/** A sequence's options, in the order they are compared, described and rendered. */
export const SEQUENCE_OPTIONS = ['as', 'increment', 'minValue', 'maxValue', 'start', 'cache', 'cycle'] as const satisfies readonly (keyof Sequence)[];

export type SequenceOption = (typeof SEQUENCE_OPTIONS)[number];

export type SequenceType = Sequence['as'];

/** The least and greatest value of each sequence type. */
export const SEQUENCE_RANGE: Readonly<Record<SequenceType, readonly [bigint, bigint]>> = {
  smallint: [-32768n, 32767n],
  integer: [-2147483648n, 2147483647n],
  bigint: [-9223372036854775808n, 9223372036854775807n],
};

/** PostgreSQL's defaults for a sequence of this type and step (CREATE SEQUENCE's documentation). */
export function sequenceDefaults(as: SequenceType, increment: bigint): { minValue: bigint; maxValue: bigint; start: bigint } {
  const [lo, hi] = SEQUENCE_RANGE[as];
  return increment > 0n ? { minValue: 1n, maxValue: hi, start: 1n } : { minValue: lo, maxValue: -1n, start: -1n };
}

/** Whether two sequences have the same options (their names aside). */
export function sameSequence(a: Sequence, b: Sequence): boolean {
  return SEQUENCE_OPTIONS.every((k) => a[k] === b[k]);
}

/**
 * The options of `s` that differ from what PostgreSQL (and `sequence()`) would fill in when they
 * are left out, given its type and step: what CREATE SEQUENCE and a pulled model need to say.
 */
export function saidOptions(s: Sequence): (typeof SEQUENCE_OPTIONS)[number][] {
  const increment = BigInt(s.increment);
  const d = sequenceDefaults(s.as, increment);
  const start = increment > 0n ? s.minValue : s.maxValue;
  const defaults: Sequence = { ...s, as: 'bigint', increment: '1', minValue: String(d.minValue), maxValue: String(d.maxValue), start, cache: '1', cycle: false };
  return SEQUENCE_OPTIONS.filter((k) => s[k] !== defaults[k]);
}

/** The type of an identity column's sequence: the column's, as PostgreSQL stores it. */
export function identitySequenceType(type: string): SequenceType {
  return type === 'bigint' ? 'bigint' : type === 'smallint' || type === 'tinyint' ? 'smallint' : 'integer';
}

/** An identity's options that differ from the defaults of its sequence's type and step; undefined when none. */
export function identityOptionsOf(s: Sequence): IdentityOptions | undefined {
  const said = saidOptions(s).filter((k) => k !== 'as');
  if (!said.length) return undefined;
  return Object.fromEntries(said.map((k) => [k, s[k]])) as IdentityOptions;
}

/** The whole sequence an identity column's options describe (every option filled in). */
export function identitySequence(type: string, o: IdentityOptions | undefined): Sequence {
  const as = identitySequenceType(type);
  const increment = o?.increment ?? '1';
  const d = sequenceDefaults(as, BigInt(increment));
  const minValue = o?.minValue ?? String(d.minValue);
  const maxValue = o?.maxValue ?? String(d.maxValue);
  const start = o?.start ?? (BigInt(increment) > 0n ? minValue : maxValue);
  return { name: '', as, increment, minValue, maxValue, start, cache: o?.cache ?? '1', cycle: o?.cycle ?? false };
}

/** `START WITH 1000`-style clauses of PostgreSQL's identity and sequence statements, per option. */
export function sequenceClause(s: Sequence, k: Exclude<(typeof SEQUENCE_OPTIONS)[number], 'as'>): string {
  switch (k) {
    case 'increment':
      return `INCREMENT BY ${s.increment}`;
    case 'minValue':
      return `MINVALUE ${s.minValue}`;
    case 'maxValue':
      return `MAXVALUE ${s.maxValue}`;
    case 'start':
      return `START WITH ${s.start}`;
    case 'cache':
      return `CACHE ${s.cache}`;
    case 'cycle':
      return s.cycle ? 'CYCLE' : 'NO CYCLE';
  }
}
