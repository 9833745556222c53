import type { DialectName } from '../dialect/types';
import type { OperationOf } from '../ops/types';
import type { Column } from '../schema/types';
import { alterTable } from './block';
import { renderColumn } from './column';
import { notOnSqlite } from './constraints';
import { commentText, lit, litList } from './literal';

export function renderAddColumn(op: OperationOf<'addColumn'>, dialect: DialectName): string {
  return alterTable(op.table, [renderColumn(op.column, dialect)]);
}

/**
 * SQLite: native `ALTER TABLE ... DROP COLUMN` (3.35+), never knex's `dropColumn`, which
 * rebuilds the table (losing triggers, cascading deletes). SQLite refuses, with a clear error,
 * to drop a column that is indexed, unique, part of a key or referenced: the planner sends
 * those as rebuildTable.
 */
export function renderDropColumn(op: OperationOf<'dropColumn'>, dialect: DialectName): string {
  if (dialect === 'sqlite') return `await knex.raw('ALTER TABLE ?? DROP COLUMN ??', ${litList([op.table, op.column.name])});`;
  return alterTable(op.table, [`t.dropColumn(${lit(op.column.name)})`]);
}

/**
 * MySQL: `RENAME COLUMN` (MySQL 8.0, MariaDB 10.5.2), not knex's `renameColumn`, which reads the
 * column back and splices its default into a `CHANGE` unescaped: a default holding a quote
 * breaks the statement.
 */
export function renderRenameColumn(op: OperationOf<'renameColumn'>, dialect: DialectName): string {
  if (dialect === 'mysql') {
    return `await knex.raw('ALTER TABLE ?? RENAME COLUMN ?? TO ??', ${litList([op.table, op.from, op.to])});`;
  }
  return alterTable(op.table, [`t.renameColumn(${lit(op.from)}, ${lit(op.to)})`]);
}

/**
 * PostgreSQL/MySQL: knex `.alter()` restates the whole column. On PostgreSQL it drops the
 * default and NOT NULL, changes the type `USING ("col"::type)` (so text -> integer converts,
 * and fails on rows that do not), then sets the new default and NOT NULL; on MySQL it is one
 * `MODIFY`. Auto-increment columns go through `knex.raw`: knex would cast to `serial` on
 * PostgreSQL and drop AUTO_INCREMENT on MySQL.
 */
export function renderAlterColumn(op: OperationOf<'alterColumn'>, dialect: DialectName): string {
  if (dialect === 'sqlite') throw notOnSqlite(op.kind, op.table);
  const { from, to } = op;
  if (to.autoIncrement && dialect === 'mysql') return mysqlAutoIncrement(op.table, to);
  if (to.autoIncrement && from.autoIncrement) return postgresSerialType(op.table, from, to);
  const out = alterTable(op.table, [renderColumn(to, dialect, true, from.nullable === to.nullable)]);
  if (!to.autoIncrement) return out;
  const note = `// kiln: '${commentText(op.table)}.${commentText(to.name)}' becomes auto-increment: knex cannot say it; add a sequence or identity by hand`;
  return `${note}\n${out}`;
}

function mysqlAutoIncrement(table: string, c: Column): string {
  const type = `${c.type === 'bigint' ? 'BIGINT' : 'INT'}${c.unsigned ? ' UNSIGNED' : ''}`;
  return `await knex.raw('ALTER TABLE ?? MODIFY ?? ${type} NOT NULL AUTO_INCREMENT', ${litList([table, c.name])});`;
}

function postgresSerialType(table: string, from: Column, to: Column): string {
  if (from.type === to.type) return '// kiln: nothing to change for auto-increment column ' + lit(to.name);
  const type = to.type === 'bigint' ? 'bigint' : 'integer';
  return [
    `// kiln: the serial's sequence keeps its own type (ALTER SEQUENCE ... AS ${type} if needed)`,
    `await knex.raw('ALTER TABLE ?? ALTER COLUMN ?? TYPE ${type}', ${litList([table, to.name])});`,
  ].join('\n');
}
