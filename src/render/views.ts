import { dialectOf } from '../dialect/registry';
import type { DialectName } from '../dialect/types';
import type { OperationOf } from '../ops/types';
import type { View } from '../schema/types';
import { lit } from './literal';

/**
 * Views (issue 12) through `knex.raw`: Knex's `createView` builder takes a query builder, not
 * a SELECT's text. The name is quoted by the dialect, the definition is the model's or the
 * database's text, handed over exactly (src/dialect/<name>/render.ts rawText).
 */
export function renderCreateView(op: OperationOf<'createView'>, dialect: DialectName): string {
  return createView(op.view, dialect);
}

export function renderDropView(op: OperationOf<'dropView'>): string {
  return dropView(op.view);
}

/** Alone (not split around other ops by arrangeViews): drop, then create. */
export function renderReplaceView(op: OperationOf<'replaceView'>, dialect: DialectName): string {
  return `${dropView(op.from)}\n${createView(op.to, dialect)}`;
}

function createView(view: View, dialect: DialectName): string {
  const render = dialectOf(dialect).generation.render;
  return `await knex.raw(${lit(render.rawText(`CREATE VIEW ${render.quoteName(view.name)} AS ${view.definition}`))});`;
}

function dropView(view: View): string {
  return `await knex.schema.dropView(${lit(view.name)});`;
}
