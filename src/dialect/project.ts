import type { Schema } from '../schema/types';
import { dialectOf } from './registry';
import type { DialectName } from './types';

/**
 * The model schema as the given dialect stores it, so that the pure diff compares like with
 * like (see DialectGeneration.project).
 */
export function projectSchema(schema: Schema, dialect: DialectName): Schema {
  return dialectOf(dialect).generation.project(schema);
}
