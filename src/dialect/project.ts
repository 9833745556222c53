import type { Schema, Sequence } from '../schema/types';
import { dialectOf } from './registry';
import type { DialectName } from './types';

/**
 * The model schema as the given dialect stores it, so that the pure diff compares like with
 * like (see DialectGeneration.project).
 */
export function projectSchema(schema: Schema, dialect: DialectName): Schema {
  return dialectOf(dialect).generation.project(schema);
}

/** The models' sequences as the database stores them (its defaults where a model says nothing): the dialect's projection. */
export function sequencesForDialect(sequences: readonly Sequence[], dialect: DialectName): Sequence[] {
  const own = dialectOf(dialect).generation.sequences;
  return own ? sequences.map((s) => own.project(s)) : [...sequences];
}
