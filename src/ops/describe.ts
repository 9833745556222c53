import { LOB_BYTES, type Column, type Index, type Sequence } from '../schema/types';
import { triggerKey } from '../schema/trigger-sql';
import { SEQUENCE_OPTIONS } from '../schema/sequence';
import { viewSignature } from '../schema/view-sql';
import { extraChanges } from './describe-extras';
import type { Operation, OperationKind, OperationOf, ValueRename } from './types';

type Describers = { readonly [K in OperationKind]: (op: OperationOf<K>) => string };

const cols = (c: readonly string[]) => c.join(', ');

/** One Alembic-style line per op: `Detected added table 'note'`. Exhaustive. */
const DESCRIBERS: Describers = {
  createTable: (op) => `added table '${op.table.name}'`,
  dropTable: (op) => `removed table '${op.table.name}'`,
  renameTable: (op) => `renamed table '${op.from}' to '${op.to}'`,
  addColumn: (op) => `added column '${op.table}.${op.column.name}'`,
  dropColumn: (op) => `removed column '${op.table}.${op.column.name}'`,
  alterColumn: (op) => `changed column '${op.table}.${op.to.name}' (${[...columnChanges(op.from, op.to), ...renamedValues(op.renamedValues)].join(', ')})`,
  renameColumn: (op) => `renamed column '${op.table}.${op.from}' to '${op.to}'`,
  addIndex: (op) => `added index '${op.index.name}' on '${op.table}' (${indexKey(op.index)})`,
  dropIndex: (op) => `removed index '${op.index.name}' on '${op.table}' (${indexKey(op.index)})`,
  addUnique: (op) => `added unique constraint '${op.unique.name}' on '${op.table}' (${cols(op.unique.columns)})`,
  dropUnique: (op) => `removed unique constraint '${op.unique.name}' on '${op.table}' (${cols(op.unique.columns)})`,
  addForeignKey: (op) =>
    `added foreign key '${op.foreignKey.name}' on '${op.table}' (${cols(op.foreignKey.columns)}) -> '${op.foreignKey.refTable}'`,
  dropForeignKey: (op) =>
    `removed foreign key '${op.foreignKey.name}' on '${op.table}' (${cols(op.foreignKey.columns)}) -> '${op.foreignKey.refTable}'`,
  addCheck: (op) => `added check constraint '${op.check.name}' on '${op.table}' (${op.check.expression})`,
  dropCheck: (op) => `removed check constraint '${op.check.name}' on '${op.table}' (${op.check.expression})`,
  alterTableComment: (op) => `changed comment of table '${op.table}'`,
  alterPrimaryKey: (op) =>
    `changed primary key of '${op.table}' (${op.from ? cols(op.from.columns) : 'none'} -> ${op.to ? cols(op.to.columns) : 'none'})`,
  commentOn: (op) => (op.to === undefined ? `cleared the comment on ${op.on} '${op.name}' of '${op.table}' (it is dropped)` : `set the comment on ${op.on} '${op.name}' of '${op.table}' again`),
  rebuildTable: (op) => `rebuilt table '${op.to.name}'`,
  createView: (op) => `added ${viewKind(op.view)} '${op.view.name}'`,
  dropView: (op) => `removed ${viewKind(op.view)} '${op.view.name}'`,
  createTrigger: (op) => `added trigger '${op.trigger.name}' on '${op.trigger.table}'`,
  dropTrigger: (op) => `removed trigger '${op.trigger.name}' on '${op.trigger.table}'`,
  replaceTrigger: (op) =>
    triggerKey(op.from) === triggerKey(op.to)
      ? `re-created trigger '${op.to.name}' on '${op.to.table}' (it names a column this migration changes)`
      : `changed trigger '${op.to.name}' on '${op.to.table}'`,
  replaceView: (op) =>
    viewSignature(op.from) === viewSignature(op.to)
      ? `re-created ${viewKind(op.to)} '${op.to.name}' (it reads what this migration changes)`
      : `changed ${viewKind(op.to)} '${op.to.name}'`,
  createSequence: (op) => `added sequence '${op.sequence.name}'`,
  dropSequence: (op) => `removed sequence '${op.sequence.name}'`,
  alterSequence: (op) => `changed sequence '${op.to.name}' (${sequenceChanges(op.from, op.to).join(', ')})`,
  createSchema: (op) => `added schema '${op.name}'`,
  dropSchema: (op) => `removed schema '${op.name}'`,
  createDomain: (op) => `added domain '${op.name}'`,
  dropDomain: (op) => `removed domain '${op.name}'`,
  createExtension: (op) => `added extension '${op.name}'`,
  dropExtension: (op) => `removed extension '${op.name}'`,
  createEnumType: (op) => `added enum type '${op.name}' ${enumValues(op.values)}`,
  dropEnumType: (op) => `removed enum type '${op.name}' ${enumValues(op.values)}`,
  alterEnumType: (op) =>
    `changed enum type '${op.name}' ${enumValues(op.from)} -> ${enumValues(op.to)}${op.renamedValues?.length ? ` (${renamedValues(op.renamedValues).join(', ')})` : ''}`,
};

/** `renamed value 'published' to 'live'`, one per rename. */
const renamedValues = (pairs: readonly ValueRename[] | undefined) => (pairs ?? []).map(([o, n]) => `renamed value '${o}' to '${n}'`);
/** `increment 1 -> 5`, one per option that differs. */
function sequenceChanges(from: Sequence, to: Sequence): string[] {
  return SEQUENCE_OPTIONS.filter((k) => from[k] !== to[k]).map((k) => `${k} ${String(from[k])} -> ${String(to[k])}`);
}
const viewKind = (v: { materialized?: true }) => (v.materialized ? 'materialized view' : 'view');

const enumValues = (values: readonly string[]) => `(${values.map((v) => `'${v}'`).join(', ')})`;

/** `a, b`, or the expression; then the options that differ from a plain index. */
function indexKey(i: Index): string {
  const key = i.expression ?? cols(i.columns);
  const extras = [
    i.unique ? 'unique' : '',
    i.order ? `order ${i.order.join(', ')}` : '',
    i.where ? `where ${i.where}` : '',
    i.method ? `using ${i.method}` : '',
    i.include ? `include ${cols(i.include)}` : '',
  ].filter(Boolean);
  return extras.length ? `${key}; ${extras.join('; ')}` : key;
}

export function describeOp(op: Operation): string {
  return (DESCRIBERS[op.kind] as (o: Operation) => string)(op);
}

/** Human summary of what differs between two versions of one column. */
export function columnChanges(from: Column, to: Column): string[] {
  const out: string[] = [];
  if (typeLabel(from) !== typeLabel(to)) {
    out.push(`type ${typeLabel(from)} -> ${typeLabel(to)}`);
  }
  if (from.nullable !== to.nullable) out.push(to.nullable ? 'now nullable' : 'now NOT NULL');
  if (JSON.stringify(from.default) !== JSON.stringify(to.default)) {
    out.push(`default ${defaultLabel(from)} -> ${defaultLabel(to)}`);
  }
  if (from.autoIncrement !== to.autoIncrement) out.push(to.autoIncrement ? 'now auto-increment' : 'no longer auto-increment');
  out.push(...extraChanges(from, to));
  if ((from.comment ?? '') !== (to.comment ?? '')) out.push('comment changed');
  if ((from.collation ?? '') !== (to.collation ?? '')) out.push(`collation ${from.collation ?? 'default'} -> ${to.collation ?? 'default'}`);
  return out;
}

export function typeLabel(c: Column): string {
  let base: string = c.type;
  if (c.type === 'custom') base = `custom(${c.custom})`;
  else if (c.type === 'array') base = `array(${c.element})`;
  else if (c.length !== null) base = `${c.type}(${c.length})`;
  else if (c.precision !== undefined) base = c.scale ? `${c.type}(${c.precision},${c.scale})` : `${c.type}(${c.precision})`;
  if (c.timezone !== undefined) base += c.timezone ? ' with time zone' : ' without time zone';
  if (c.size !== undefined) base = `${c.size}${c.type === 'text' ? 'text' : 'blob'}`;
  return c.unsigned ? `${base} unsigned` : base;
}

function defaultLabel(c: Column): string {
  if (!c.default) return 'none';
  return c.default.kind === 'literal' ? JSON.stringify(c.default.value) : c.default.sql;
}

/**
 * Whether applying this op can destroy stored data: the renderer puts a warning comment
 * above such ops, and the CLI repeats it.
 */
export function losesData(op: Operation): string | null {
  switch (op.kind) {
    case 'dropTable':
      return `drops table '${op.table.name}' and all its rows`;
    case 'dropColumn':
      return `drops column '${op.table}.${op.column.name}' and its data`;
    case 'addColumn':
      return needsValue(op.column)
        ? `adds NOT NULL column '${op.table}.${op.column.name}' with no default: if '${op.table}' has rows, the database refuses it ` +
            "(PostgreSQL, SQLite) or fills them with a value of its own such as '' or 0 (MySQL/MariaDB); give it a default or make it nullable"
        : null;
    case 'alterColumn':
      if (!op.from.generated && op.to.generated) return `replaces column '${op.table}.${op.to.name}' and its data by a generated column`;
      if (op.from.generated && !op.to.generated) return `replaces generated column '${op.table}.${op.to.name}' by a plain column: its values are not kept`;
      if (op.from.generated || op.to.generated) return null;
      return narrows(op.from, withOldValues(op.to, op.renamedValues)) ? `narrows column '${op.table}.${op.to.name}' (${typeLabel(op.from)} -> ${typeLabel(op.to)}): values may be truncated or fail to convert` : null;
    case 'dropSequence':
      return `drops sequence '${op.sequence.name}', which the models no longer declare: its current value is lost`;
    case 'rebuildTable': {
      const kept = new Set(op.to.columns.map((c) => c.name));
      const renamedFrom = new Set(op.renamed.map(([o]) => o));
      const lost = op.from.columns.filter((c) => !kept.has(c.name) && !renamedFrom.has(c.name)).map((c) => c.name);
      return lost.length ? `drops column(s) ${lost.map((n) => `'${op.from.name}.${n}'`).join(', ')} and their data` : null;
    }
    default:
      return null;
  }
}

/** An enum column with the old values of its renamed ones, which a rename keeps (as the new value). */
function withOldValues(c: Column, pairs: readonly ValueRename[] | undefined): Column {
  if (!pairs?.length || !c.enum) return c;
  return { ...c, enum: { ...c.enum, values: [...c.enum.values, ...pairs.map(([o]) => o)] } };
}

function narrows(from: Column, to: Column): boolean {
  if (from.type === 'enum' && to.type === 'enum') return (from.enum?.values ?? []).some((v) => !(to.enum?.values ?? []).includes(v));
  if (from.type === to.type) {
    if (from.type === 'decimal') return decimalNarrows(from, to);
    if (from.size !== to.size) return lobBytes(to) < lobBytes(from);
    return (to.length ?? Infinity) < (from.length ?? Infinity);
  }
  const widening: Record<string, readonly string[]> = {
    integer: ['bigint', 'float', 'string', 'text'],
    bigint: ['float', 'string', 'text'],
    string: ['text'],
    boolean: ['integer', 'bigint', 'string', 'text'],
    smallint: ['mediumint', 'integer', 'bigint', 'float', 'string', 'text'],
    tinyint: ['smallint', 'mediumint', 'integer', 'bigint', 'float', 'string', 'text'],
    mediumint: ['integer', 'bigint', 'float', 'string', 'text'],
    char: ['string', 'text'],
  };
  // A TINYTEXT holds 255 bytes: less than most strings' text.
  return to.size === 'tiny' || !(widening[from.type] ?? []).includes(to.type);
}

/** The most bytes a MySQL TEXT/BLOB of this column's size holds. */
export const lobBytes = (c: Pick<Column, 'size'>): number => LOB_BYTES[c.size ?? ''];

/** Fewer digits before or after the point (no precision: any number). */
function decimalNarrows(from: Column, to: Column): boolean {
  if (to.precision === undefined) return false;
  if (from.precision === undefined) return true;
  return (to.scale ?? 0) < (from.scale ?? 0) || to.precision - (to.scale ?? 0) < from.precision - (from.scale ?? 0);
}

/** A NOT NULL column with no default that the database must fill for existing rows. */
export function needsValue(c: Column): boolean {
  return !c.nullable && c.default === null && !c.autoIncrement;
}
