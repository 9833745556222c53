import { dialectOf } from '../dialect/registry';
import type { DialectName } from '../dialect/types';
import type { OperationOf } from '../ops/types';
import type { Trigger } from '../schema/types';
import { lit } from './literal';

/**
 * Triggers (issue 12 item 2) through `knex.raw`, one call per statement (Knex has no trigger
 * builder): the dialect writes the statements (src/dialect/<name>/triggers.ts), handed over
 * exactly (rawText).
 */
export function renderCreateTrigger(op: OperationOf<'createTrigger'>, dialect: DialectName): string {
  return createTrigger(op.trigger, dialect);
}

export function renderDropTrigger(op: OperationOf<'dropTrigger'>, dialect: DialectName): string {
  return dropTrigger(op.trigger, dialect);
}

/** Alone (not split around other ops by arrangeTriggers): drop, then create. */
export function renderReplaceTrigger(op: OperationOf<'replaceTrigger'>, dialect: DialectName): string {
  return `${dropTrigger(op.from, dialect)}\n${createTrigger(op.to, dialect)}`;
}

function raw(statements: readonly string[], dialect: DialectName): string {
  const render = dialectOf(dialect).generation.render;
  return statements.map((sql) => `await knex.raw(${lit(render.rawText(sql))});`).join('\n');
}

function createTrigger(t: Trigger, dialect: DialectName): string {
  return raw(dialectOf(dialect).generation.triggers.create(t), dialect);
}

function dropTrigger(t: Trigger, dialect: DialectName): string {
  return raw(dialectOf(dialect).generation.triggers.drop(t), dialect);
}
