import { dialectOf } from '../dialect/registry';
import type { DialectName } from '../dialect/types';
import type { OperationOf } from '../ops/types';
import type { Column } from '../schema/types';
import { alterTable } from './block';
import { renderColumn } from './column';
import { inPlace } from './constraints';
import { commentText, lit } from './literal';

export function renderAddColumn(op: OperationOf<'addColumn'>, dialect: DialectName): string {
  return alterTable(op.table, [renderColumn(op.column, dialect)]);
}

/** A dialect may drop a column its own way (SQLite: see DialectRender.dropColumn). */
export function renderDropColumn(op: OperationOf<'dropColumn'>, dialect: DialectName): string {
  return dialectOf(dialect).generation.render.dropColumn(op) ?? alterTable(op.table, [`t.dropColumn(${lit(op.column.name)})`]);
}

/** A dialect may rename a column its own way (MySQL: see DialectRender.renameColumn). */
export function renderRenameColumn(op: OperationOf<'renameColumn'>, dialect: DialectName): string {
  return dialectOf(dialect).generation.render.renameColumn(op) ?? alterTable(op.table, [`t.renameColumn(${lit(op.from)}, ${lit(op.to)})`]);
}

/**
 * PostgreSQL/MySQL: knex `.alter()` restates the whole column. On PostgreSQL it drops the
 * default and NOT NULL, changes the type `USING ("col"::type)` (so text -> integer converts,
 * and fails on rows that do not), then sets the new default and NOT NULL; on MySQL it is one
 * `MODIFY`. Auto-increment columns go through the dialect's `alterAutoIncrement` (knex would
 * cast to `serial` on PostgreSQL and drop AUTO_INCREMENT on MySQL).
 */
export function renderAlterColumn(op: OperationOf<'alterColumn'>, dialect: DialectName): string {
  inPlace(op, dialect);
  const { from, to } = op;
  const render = dialectOf(dialect).generation.render;
  const comment = withoutComment(from) === withoutComment(to) ? render.alterColumnComment(op.table, to.name, to.comment) : undefined;
  if (comment !== undefined) return comment;
  if (from.generated || to.generated) return regenerate(op, dialect);
  if (op.renamedValues?.length) return renameValues(op, dialect);
  const own = render.alterAutoIncrement(op.table, from, to);
  if (own !== undefined) return own;
  // A comment that goes away is said as '' (knex leaves a comment it is not told about).
  const target = from.comment !== undefined && to.comment === undefined ? { ...to, comment: '' } : to;
  const out = alterTable(op.table, [renderColumn(target, dialect, true, from.nullable === to.nullable)]);
  if (!to.autoIncrement) return out;
  const note = `// kiln: '${commentText(op.table)}.${commentText(to.name)}' becomes auto-increment: knex cannot say it; add a sequence or identity by hand`;
  return `${note}\n${out}`;
}

/**
 * An enum column (MySQL/MariaDB ENUM) whose values are renamed: first it takes the union of the
 * old and new values (the old ones keep their positions, so no stored value changes), then the
 * rows holding an old value get the new one, then the column takes its new definition.
 */
function renameValues(op: OperationOf<'alterColumn'>, dialect: DialectName): string {
  const { from, to } = op;
  const old = from.enum?.values ?? [];
  const union: Column = { ...from, name: to.name, enum: { name: from.enum?.name ?? null, values: [...old, ...(to.enum?.values ?? []).filter((v) => !old.includes(v))] } };
  const column = lit(to.name);
  const updates = (op.renamedValues ?? []).map(([o, n]) => `await knex(${lit(op.table)}).where(${column}, ${lit(o)}).update(${column}, ${lit(n)});`);
  const widen = alterTable(op.table, [renderColumn(union, dialect, true, true)]);
  const rest = renderAlterColumn({ kind: 'alterColumn', table: op.table, from: union, to }, dialect);
  return [`// kiln: renames values of '${commentText(op.table)}.${commentText(to.name)}' (${(op.renamedValues ?? []).map(([o, n]) => `'${commentText(o)}' -> '${commentText(n)}'`).join(', ')}): the rows that hold them keep their meaning`, widen, ...updates, rest].join('\n');
}

/**
 * A column that is or becomes generated cannot be altered in place (PostgreSQL and MySQL refuse
 * to change a generation expression): it is dropped and added again. A generated column's values
 * are computed, so only a plain column that becomes generated loses data (losesData says so).
 */
function regenerate(op: OperationOf<'alterColumn'>, dialect: DialectName): string {
  const drop = renderDropColumn({ kind: 'dropColumn', table: op.table, column: op.from }, dialect);
  return `${drop}\n${renderAddColumn({ kind: 'addColumn', table: op.table, column: op.to }, dialect)}`;
}

/** The column's fields but its comment, in a stable order (to see a comment-only change). */
function withoutComment(c: Column): string {
  const fields = c as unknown as Record<string, unknown>;
  return JSON.stringify(Object.keys(fields).filter((k) => k !== 'comment' && fields[k] !== undefined).sort().map((k) => [k, fields[k]]));
}
