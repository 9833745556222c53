import { checkIdentifier, describe, fail } from './checks';
import type { Sequence } from '../schema/types';
import { SEQUENCE_OPTIONS, SEQUENCE_RANGE, sequenceDefaults } from '../schema/sequence';

export const SEQUENCE_BRAND: unique symbol = Symbol.for('kiln.sequence');

const TYPES = ['smallint', 'integer', 'bigint'] as const;
type SequenceType = Sequence['as'];

/** A sequence value: a whole number (a bigint or a string of digits where a number cannot hold it). */
export type SequenceValue = number | bigint | string;

export interface SequenceOptions {
  /** The value type (default: bigint); it bounds minValue and maxValue. MariaDB's sequences are always bigint. */
  readonly as?: SequenceType;
  /** The first value `nextval` returns (default: minValue counting up, maxValue counting down). */
  readonly start?: SequenceValue;
  /** The step, not zero (default 1; negative counts down). */
  readonly increment?: SequenceValue;
  /** Default: 1 counting up, the type's least value counting down (MariaDB: -9223372036854775807). */
  readonly minValue?: SequenceValue;
  /** Default: the type's greatest value counting up (MariaDB: 9223372036854775806), -1 counting down. */
  readonly maxValue?: SequenceValue;
  /** Values handed out ahead per session (default 1; MariaDB: 1000). */
  readonly cache?: SequenceValue;
  /** Wrap around past a bound instead of failing (default false). */
  readonly cycle?: boolean;
}

export interface SequenceDefinition {
  readonly [SEQUENCE_BRAND]: true;
  readonly name: string;
  readonly options: SequenceOptions;
}

const OPTIONS = ['as', 'start', 'increment', 'minValue', 'maxValue', 'cache', 'cycle'];

/** A standalone sequence (PostgreSQL, MariaDB): `sequence('invoice_number', { start: 1000 })`; what it leaves out is the database's default (a dialect's sequences.project). */
export function sequence(name: string, options: SequenceOptions = {}): SequenceDefinition {
  return Object.freeze({ [SEQUENCE_BRAND]: true as const, name, options: Object.freeze({ ...options }) });
}

export function isSequence(value: unknown): value is SequenceDefinition {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[SEQUENCE_BRAND] === true;
}

/** A sequence definition -> the canonical Sequence, every option filled (refused as PostgreSQL would refuse it). */
export function compileSequence(def: SequenceDefinition, label?: string): Sequence {
  const where = label ?? `sequence '${String(def.name)}'`;
  // An identity's sequence (label given) has no name of its own to check.
  if (label === undefined) checkIdentifier(where, 'sequence name', def.name);
  const o = def.options;
  if (typeof o !== 'object' || o === null) fail(`${where}: options must be an object, got ${describe(o)}`);
  const unknown = Object.keys(o).filter((k) => !OPTIONS.includes(k));
  if (unknown.length) fail(`${where}: unknown option '${unknown[0]}'`, `use ${OPTIONS.join(', ')}`);
  const as = o.as ?? 'bigint';
  if (!(TYPES as readonly string[]).includes(as)) fail(`${where}: 'as' must be one of ${TYPES.join(', ')}, got ${describe(as)}`);
  if (o.cycle !== undefined && typeof o.cycle !== 'boolean') fail(`${where}: 'cycle' must be true or false, got ${describe(o.cycle)}`);
  const increment = whole(where, 'increment', o.increment) ?? 1n;
  if (increment === 0n) fail(`${where}: 'increment' must not be zero`);
  const defaults = sequenceDefaults(as, increment);
  const minValue = whole(where, 'minValue', o.minValue) ?? defaults.minValue;
  const maxValue = whole(where, 'maxValue', o.maxValue) ?? defaults.maxValue;
  const [lo, hi] = SEQUENCE_RANGE[as];
  for (const [k, v] of [['minValue', minValue], ['maxValue', maxValue]] as const) {
    if (v < lo || v > hi) fail(`${where}: '${k}' ${v} is out of range for ${as} (${lo} to ${hi})`);
  }
  if (minValue >= maxValue) fail(`${where}: 'minValue' (${minValue}) must be less than 'maxValue' (${maxValue})`);
  const start = whole(where, 'start', o.start) ?? (increment > 0n ? minValue : maxValue);
  if (start < minValue || start > maxValue) fail(`${where}: 'start' ${start} is outside minValue..maxValue (${minValue} to ${maxValue})`);
  const cache = whole(where, 'cache', o.cache) ?? 1n;
  if (cache < 1n) fail(`${where}: 'cache' must be at least 1, got ${cache}`);
  return {
    name: def.name,
    as,
    start: String(start),
    increment: String(increment),
    minValue: String(minValue),
    maxValue: String(maxValue),
    cache: String(cache),
    cycle: o.cycle ?? false,
    given: SEQUENCE_OPTIONS.filter((k) => o[k] !== undefined),
  };
}

function whole(where: string, key: string, value: unknown): bigint | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value);
  if (typeof value === 'string' && /^-?\d+$/.test(value.trim())) return BigInt(value.trim());
  return fail(`${where}: '${key}' must be a whole number, got ${describe(value)}`, 'a number, a bigint (123n) or a string of digits');
}
