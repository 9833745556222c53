import type { Sequence } from './types';

/** A sequence's options, in the order they are compared, described and rendered. */
export const SEQUENCE_OPTIONS = ['as', 'increment', 'minValue', 'maxValue', 'start', 'cache', 'cycle'] as const satisfies readonly (keyof Sequence)[];

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
