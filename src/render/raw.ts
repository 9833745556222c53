import { dialectOf } from '../dialect/registry';
import type { DialectName } from '../dialect/types';
import { lit } from './literal';

/** `await knex.raw('...');` for a statement already quoted, with the dialect's escapes for knex's `?` placeholders. */
export function rawStatement(dialect: DialectName, sql: string): string {
  return `await knex.raw(${lit(dialectOf(dialect).generation.render.rawText(sql))});`;
}
