import { dialectOf } from '../dialect/registry';
import type { DialectName } from '../dialect/types';
import type { OperationOf } from '../ops/types';
import type { Table } from '../schema/types';
import { isIncrements, renderColumn } from './column';
import { renderForeignKey, renderIndex, renderPrimaryKey, renderUnique } from './constraints';
import { builderCallback } from './block';
import { isPlainIndex, renderCheckLine, renderCreateIndexRaw, renderTableCommentLine } from './extras';
import { lit } from './literal';
import { KilnError } from '../errors';
import { splitQualified } from '../schema/qualified';

/** The primary key, unless it is the lone increments column (knex increments implies it). */
export function primaryKeyLines(table: Table): string[] {
  const pk = table.primaryKey;
  if (!pk || !pk.columns.length) return [];
  if (pk.columns.length === 1) {
    const col = table.columns.find((c) => c.name === pk.columns[0]);
    if (col && isIncrements(col)) return [];
  }
  return [renderPrimaryKey(pk)];
}

/** Columns, primary key, checks, comment and foreign keys (last): what belongs in the CREATE TABLE statement. */
export function tableDefinitionLines(table: Table, dialect: DialectName): string[] {
  return [
    ...table.columns.map((c) => renderColumn(c, dialect)),
    ...primaryKeyLines(table),
    ...(table.checks ?? []).map((c) => renderCheckLine(c, dialect)),
    ...(table.comment === undefined ? [] : [renderTableCommentLine(table.comment, dialect)]),
    ...table.foreignKeys.map(renderForeignKey),
  ];
}

/** Unique rules and the indexes knex's builder can say (see specialIndexStatements). */
export function tableIndexLines(table: Table): string[] {
  return [...table.uniques.map(renderUnique), ...table.indexes.filter(isPlainIndex).map(renderIndex)];
}

/** The other indexes, one `CREATE INDEX` statement each, once the table exists. */
export function specialIndexStatements(table: Table): string[] {
  return table.indexes.filter((i) => !isPlainIndex(i)).map((i) => renderCreateIndexRaw(table.name, i));
}

/**
 * What the database holds that no statement kiln writes can recreate (an Unmanaged entry with no
 * SQL: SQLite's DEFERRABLE INITIALLY DEFERRED or ON CONFLICT clauses): a migration that would
 * re-create the table is refused, naming it, rather than losing it without a word.
 */
export function refuseUnrecreatable(t: Table, doing: string): void {
  const lost = (t.unmanaged ?? []).filter((u) => u.sql === '');
  if (!lost.length) return;
  throw new KilnError('MODEL', `table '${t.name}' has ${lost.map((u) => `${u.kind} ${u.name}`).join(', ')}, which kiln cannot recreate: ${doing} would lose ${lost.length > 1 ? 'them' : 'it'}`, {
    hint: 'write this migration by hand (copy the CREATE TABLE from the database), or leave the table as it is in the models',
  });
}

export function renderCreateTable(op: OperationOf<'createTable'>, dialect: DialectName): string {
  const t = op.table;
  refuseUnrecreatable(t, 'a migration that re-creates it');
  const [defs, idx] = [tableDefinitionLines(t, dialect), tableIndexLines(t)];
  // What the models cannot say (a table dropped and re-created by `down`): as the database printed it;
  // the table's options through knex's builder (MySQL's engine and collation) or after the
  // column list through kiln/sqlite's createTable (SQLite's STRICT, WITHOUT ROWID).
  const optionCalls = dialectOf(dialect).generation.render.tableOptionCalls;
  const own = optionCalls ? optionCalls((t.unmanaged ?? []).filter((u) => u.kind === TABLE_OPTION)) : [];
  // Knex's own order: columns, then primary key, uniques, indexes, foreign keys.
  const lines = [...own, ...defs.slice(0, defs.length - t.foreignKeys.length), ...idx, ...defs.slice(defs.length - t.foreignKeys.length)];
  const options = optionCalls ? '' : tableOptions(t);
  // The database's own text: a '?' in it (a comment, a check's string) is no parameter of knex's.
  const rawText = dialectOf(dialect).generation.render.rawText;
  const unmanaged = (t.unmanaged ?? []).filter((u) => u.kind !== TABLE_OPTION && u.sql !== '').map((u) => `await knex.raw(${lit(rawText(u.sql))});`);
  const create = options
    ? `await createTable(knex, ${lit(t.name)}, ${lit(options)}, ${builderCallback(lines)});`
    : `await knex.schema.createTable(${lit(t.name)}, ${builderCallback(lines)});`;
  return [create, ...specialIndexStatements(t), ...unmanaged].join('\n');
}

/** The Unmanaged kind of a table's options (SQLite's STRICT, MySQL's ENGINE=MyISAM). */
export const TABLE_OPTION = 'table option';

/** The table's options (`STRICT, WITHOUT ROWID`), or '' when none. */
export function tableOptions(t: Table): string {
  return (t.unmanaged ?? []).filter((u) => u.kind === TABLE_OPTION).map((u) => u.sql).join(', ');
}

export function renderDropTable(op: OperationOf<'dropTable'>): string {
  return `await knex.schema.dropTable(${lit(op.table.name)});`;
}

export function renderRenameTable(op: OperationOf<'renameTable'>): string {
  // PostgreSQL schemas (src/schema/qualified.ts): RENAME TO takes the bare name, the table stays in its schema.
  const [from, to] = [splitQualified(op.from), splitQualified(op.to)];
  if (from.schema !== to.schema) {
    throw new KilnError('MODEL', `renaming table '${op.from}' to '${op.to}' moves it to another schema, which kiln does not write yet`, {
      hint: "answer no to the rename (a drop and a create), or write ALTER TABLE ... SET SCHEMA in a migration by hand ('kiln db revision')",
    });
  }
  return `await knex.schema.renameTable(${lit(op.from)}, ${lit(to.table)});`;
}
