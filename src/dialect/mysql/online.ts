import type { Operation } from '../../ops/types';
import { isPlainIndex } from '../../render/extras';
import { lit, litList } from '../../render/literal';
import { ddlCall } from '../../render/online';
import type { Column, ForeignKey } from '../../schema/types';
import type { OnlineRender } from '../generation';

/**
 * MySQL/MariaDB's online-safe forms of a change to an existing table (src/render/online.ts):
 * indexes added and dropped with ALGORITHM=INPLACE, LOCK=NONE (the server refuses rather than
 * copy the table); a foreign key added in place with foreign_key_checks off for that statement,
 * then the existing rows proven by kiln/online's verifyForeignKey. Everything else runs as knex
 * writes it, where the server picks INSTANT or INPLACE by itself when it can; the changes it can
 * only make by copying the table (a column's type, a check, the primary key) are warned about.
 */
export const mysqlOnline: OnlineRender = {
  op(op: Operation): string | undefined {
    switch (op.kind) {
      case 'addIndex':
        return isPlainIndex(op.index) ? addIndex(op.table, op.index.name, op.index.columns, false) : undefined;
      case 'addUnique':
        return addIndex(op.table, op.unique.name, op.unique.columns, true);
      case 'dropIndex':
        return dropIndex(op.table, op.index.name);
      case 'dropUnique':
        return dropIndex(op.table, op.unique.name);
      case 'addForeignKey':
        return addForeignKey(op.table, op.foreignKey);
      default:
        return undefined;
    }
  },
  copies(op: Operation): string | undefined {
    switch (op.kind) {
      case 'alterColumn':
        return typeChanges(op.from, op.to) ? `changing the type of '${op.table}.${op.to.name}' copies the table (ALGORITHM=COPY): writes to '${op.table}' wait until the copy ends` : undefined;
      case 'addCheck':
        return `adding check '${op.check.name}' on '${op.table}' copies the table (ALGORITHM=COPY): writes to '${op.table}' wait until the copy ends`;
      case 'alterPrimaryKey':
        return `changing the primary key of '${op.table}' copies the table (ALGORITHM=COPY): writes to '${op.table}' wait until the copy ends`;
      default:
        return undefined;
    }
  },
};

const ONLINE = ', ALGORITHM=INPLACE, LOCK=NONE';
const list = (n: number) => Array.from({ length: n }, () => '??').join(', ');

function addIndex(table: string, name: string, columns: readonly string[], unique: boolean): string {
  const sql = `ALTER TABLE ?? ADD ${unique ? 'UNIQUE ' : ''}INDEX ?? (${list(columns.length)})${ONLINE}`;
  return ddlCall(`await knex.raw(${lit(sql)}, ${litList([table, name, ...columns])});`, `{ has: 'index', table: ${lit(table)}, name: ${lit(name)} }`);
}

function dropIndex(table: string, name: string): string {
  return ddlCall(`await knex.raw(${lit(`ALTER TABLE ?? DROP INDEX ??${ONLINE}`)}, ${litList([table, name])});`, `{ lacks: 'index', table: ${lit(table)}, name: ${lit(name)} }`);
}

function addForeignKey(table: string, fk: ForeignKey): string {
  let sql = `ALTER TABLE ?? ADD CONSTRAINT ?? FOREIGN KEY (${list(fk.columns.length)}) REFERENCES ?? (${list(fk.refColumns.length)})`;
  if (fk.onDelete !== 'NO ACTION') sql += ` ON DELETE ${fk.onDelete}`;
  if (fk.onUpdate !== 'NO ACTION') sql += ` ON UPDATE ${fk.onUpdate}`;
  const add = [
    '// In place (no copy of the table) needs foreign_key_checks off: verifyForeignKey then checks the rows.',
    "await knex.raw('SET foreign_key_checks = 0');",
    `await knex.raw(${lit(sql + ONLINE)}, ${litList([table, fk.name, ...fk.columns, fk.refTable, ...fk.refColumns])});`,
  ].join('\n');
  const verify = `await verifyForeignKey(knex, { table: ${lit(table)}, name: ${lit(fk.name)}, columns: ${litList(fk.columns)}, refTable: ${lit(fk.refTable)}, refColumns: ${litList(fk.refColumns)} });`;
  return `${ddlCall(add, `{ has: 'constraint', table: ${lit(table)}, name: ${lit(fk.name)} }`)}\n${verify}`;
}

/** Whether the stored type changes (not only nullability, default or comment). */
function typeChanges(from: Column, to: Column): boolean {
  const key = (c: Column) => JSON.stringify([c.type, c.length ?? null, c.precision ?? null, c.scale ?? null, c.unsigned ?? false, c.enum?.values ?? null]);
  return key(from) !== key(to);
}
