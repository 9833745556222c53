import { dialectOf } from '../dialect/registry';
import type { DialectName } from '../dialect/types';
import type { OperationOf } from '../ops/types';
import type { View } from '../schema/types';
import { KilnError } from '../errors';
import { lit } from './literal';
import { keepingUnsaid } from '../diff/views';
import { pgStringLiteral } from '../dialect/postgres/literal';

/**
 * Views (issue 12) through `knex.raw`: Knex's `createView` builder takes a query builder, not
 * a SELECT's text. The name is quoted by the dialect, the definition is the model's or the
 * database's text, handed over exactly (src/dialect/<name>/render.ts rawText).
 */
export function renderCreateView(op: OperationOf<'createView'>, dialect: DialectName): string {
  refuseUnrecreatable(op.view);
  return createView(op.view, dialect);
}

/**
 * A view of the database with options no model can say (View.unmanaged) and no statement that
 * sets them again (View.restate; MySQL/MariaDB): re-created by kiln (a down() that restores it,
 * a change or a table it reads that re-creates it) it would lose them without a word, so the
 * migration is refused, naming them.
 */
function refuseUnrecreatable(view: View): void {
  const lost = view.unmanaged ?? [];
  if (!lost.length || view.restate) return;
  throw new KilnError('MODEL', `view '${view.name}' has ${lost.join(', ')}, which kiln cannot recreate: a migration that re-creates it would lose ${lost.length > 1 ? 'them' : 'it'}`, {
    hint: 'write this migration by hand (copy the view from the database), or leave the view and what it reads as they are in the models',
  });
}

export function renderDropView(op: OperationOf<'dropView'>): string {
  return dropView(op.view);
}

/** Alone (not split around other ops by arrangeViews): drop, then create. */
export function renderReplaceView(op: OperationOf<'replaceView'>, dialect: DialectName): string {
  refuseUnrecreatable(op.from);
  // What the models do not say is kept: the old view's options, comment and index comments, set again.
  return [dropView(op.from), createView(keepingUnsaid(op.from, op.to), dialect)].join('\n');
}


function createView(view: View, dialect: DialectName): string {
  const render = dialectOf(dialect).generation.render;
  const q = render.quoteName;
  const kind = view.materialized ? 'MATERIALIZED VIEW' : 'VIEW';
  const statements = [`CREATE ${kind} ${q(view.name)} AS ${view.definition}`];
  for (const i of view.indexes ?? []) {
    statements.push(i.sql ?? `CREATE ${i.unique ? 'UNIQUE ' : ''}INDEX ${q(i.name)} ON ${q(view.name)} (${i.columns.map(q).join(', ')})`);
    // Materialized views, and so index comments, are PostgreSQL's.
    if (i.comment !== undefined) statements.push(`COMMENT ON INDEX ${q(i.name)} IS ${pgStringLiteral(i.comment)}`);
  }
  statements.push(...(view.restate ?? []));
  return statements.map((sql) => `await knex.raw(${lit(render.rawText(sql))});`).join('\n');
}

/** Knex has no builder call for a materialized view's drop: PostgreSQL's statement, names quoted as PostgreSQL does. */
function dropView(view: View): string {
  if (view.materialized) return `await knex.raw(${lit(`DROP MATERIALIZED VIEW "${view.name.replace(/"/g, '""')}"`)});`;
  return `await knex.schema.dropView(${lit(view.name)});`;
}
