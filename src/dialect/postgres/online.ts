import { createHash } from 'node:crypto';
import { splitQualified } from '../../schema/qualified';
import type { Operation, OperationOf } from '../../ops/types';
import { createIndexRaw } from '../../render/extras';
import { lit, litList } from '../../render/literal';
import { ddlCall, renderDdlStep } from '../../render/online';
import type { Column, ForeignKey, Index } from '../../schema/types';
import type { OnlineRender } from '../generation';

/**
 * PostgreSQL's online-safe forms of a change to an existing table (src/render/online.ts):
 * indexes built and dropped CONCURRENTLY (no lock that blocks writes); a unique rule as a
 * concurrent unique index attached with ADD CONSTRAINT ... UNIQUE USING INDEX; foreign keys and
 * checks added NOT VALID (a brief lock), then validated in a step of their own (SHARE UPDATE
 * EXCLUSIVE: reads and writes go on while the rows are checked); SET NOT NULL on an existing
 * column through a validated CHECK (col IS NOT NULL), which PostgreSQL 12+ takes as proof.
 */
export const postgresOnline: OnlineRender = {
  op(op: Operation): string | undefined {
    switch (op.kind) {
      case 'addIndex':
        return createIndex(op.table, op.index);
      case 'dropIndex':
        return dropIndex(op.table, op.index.name);
      // A unique index made by hand (no constraint) is dropped and re-created as an index.
      case 'dropUnique':
        return op.unique.indexOnly ? dropIndex(op.table, op.unique.name) : undefined;
      case 'addUnique':
        return [
          createIndex(op.table, { name: op.unique.name, columns: op.unique.columns, unique: true }),
          ...(op.unique.indexOnly ? [] : [ddlCall(`await knex.raw('ALTER TABLE ?? ADD CONSTRAINT ?? UNIQUE USING INDEX ??', ${litList([op.table, op.unique.name, op.unique.name])});`, skip('has', op.table, op.unique.name))]),
        ].join('\n');
      case 'addForeignKey':
        return notValid(op.table, op.foreignKey.name, foreignKeySql(op.foreignKey), [...op.foreignKey.columns, op.foreignKey.refTable, ...op.foreignKey.refColumns]);
      case 'addCheck':
        return notValid(op.table, op.check.name, `CHECK (${op.check.expression})`, []);
      case 'alterColumn':
        return setNotNull(op);
      default:
        return undefined;
    }
  },
  copies: () => undefined,
};

/**
 * DROP INDEX CONCURRENTLY. An index lives in its table's schema: bare, DROP INDEX looks in the
 * search path only (and found nothing, or another schema's index of that name).
 */
function dropIndex(table: string, name: string): string {
  const { schema } = splitQualified(table);
  return `await dropIndexConcurrently(knex, ${lit(schema === null ? name : `${schema}.${name}`)});`;
}

const skip = (how: 'has' | 'lacks', table: string, name: string) => `{ ${how}: 'constraint', table: ${lit(table)}, name: ${lit(name)} }`;

function createIndex(table: string, index: Index): string {
  const [sql, names] = createIndexRaw(table, index);
  const concurrent = sql.replace(/^CREATE (UNIQUE )?INDEX \?\? ON/, 'CREATE $1INDEX CONCURRENTLY IF NOT EXISTS ?? ON');
  return `await createIndexConcurrently(knex, ${lit(index.name)}, ${lit(concurrent)}, ${litList(names)});`;
}

/** `FOREIGN KEY (??) REFERENCES ?? (??) [ON DELETE ..] [ON UPDATE ..]`: the actions are a closed set. */
function foreignKeySql(fk: ForeignKey): string {
  const list = (n: number) => Array.from({ length: n }, () => '??').join(', ');
  let sql = `FOREIGN KEY (${list(fk.columns.length)}) REFERENCES ?? (${list(fk.refColumns.length)})`;
  if (fk.onDelete !== 'NO ACTION') sql += ` ON DELETE ${fk.onDelete}`;
  if (fk.onUpdate !== 'NO ACTION') sql += ` ON UPDATE ${fk.onUpdate}`;
  return sql;
}

/** ADD CONSTRAINT ... NOT VALID (skipped when it exists), then VALIDATE CONSTRAINT in a step of its own. */
function notValid(table: string, name: string, definition: string, names: readonly string[]): string {
  const add = `await knex.raw(${lit(`ALTER TABLE ?? ADD CONSTRAINT ?? ${definition} NOT VALID`)}, ${litList([table, name, ...names])});`;
  const validate = `await knex.raw('ALTER TABLE ?? VALIDATE CONSTRAINT ??', ${litList([table, name])});`;
  return [ddlCall(add, skip('has', table, name)), ddlCall(validate)].join('\n');
}

/**
 * A column that becomes NOT NULL: its other changes (if any) in a plain step, then kiln/online's
 * setNotNull (check NOT VALID, validate, SET NOT NULL, drop the check). Any other column change: plain.
 */
function setNotNull(op: OperationOf<'alterColumn'>): string | undefined {
  if (!(op.from.nullable && !op.to.nullable) || op.to.generated || op.from.generated) return undefined;
  // A column gaining an identity: ADD GENERATED needs it NOT NULL already, so it comes last.
  const gains = op.to.identity !== undefined && op.from.identity === undefined;
  const bare = (c: Column): Column => {
    const { identity: _identity, identityOptions: _options, ...rest } = c;
    return { ...rest, autoIncrement: op.from.autoIncrement };
  };
  const rest = { ...op, to: { ...(gains ? bare(op.to) : op.to), nullable: true } };
  const others = sameFields(rest.from, rest.to) ? '' : `${renderDdlStep(rest, 'postgres')}\n`;
  const identity = gains ? `\n${renderDdlStep({ ...op, from: bare(op.to), to: op.to }, 'postgres')}` : '';
  return `${others}await setNotNull(knex, ${lit(op.table)}, ${lit(op.to.name)}, ${lit(notNullCheckName(op.table, op.to.name))});${identity}`;
}

function sameFields(a: object, b: object): boolean {
  const key = (o: object) => JSON.stringify(Object.entries(o).filter(([, v]) => v !== undefined).sort(([x], [y]) => (x < y ? -1 : 1)));
  return key(a) === key(b);
}

/** `<table>_<column>_not_null`, cut to PostgreSQL's 63 bytes with a hash when longer. */
export function notNullCheckName(table: string, column: string): string {
  const name = `${table}_${column}_not_null`;
  if (Buffer.byteLength(name) <= 63) return name;
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 8);
  let cut = name;
  while (Buffer.byteLength(cut) > 63 - 9) cut = cut.slice(0, -1);
  return `${cut}_${hash}`;
}
