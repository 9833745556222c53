import { checkSignature, indexSignature } from '../schema/expression';
import type { OperationOf } from '../ops/types';
import { columnChanges } from '../ops/describe';
import type { Column, Table } from '../schema/types';
import { builderCallback, indent } from './block';
import { isPlainIndex, renderRawIndexEntry } from './extras';
import { commentText, lit, litList } from './literal';
import { refuseUnrecreatable, tableDefinitionLines, tableIndexLines } from './table';

/** [newColumn, oldColumn] for every new column that has a source in the old table. */
export function copyPairs(op: OperationOf<'rebuildTable'>): [string, string][] {
  const oldByNew = new Map(op.renamed.map(([oldName, newName]) => [newName, oldName] as const));
  // Generated columns are computed by the database: never copied (SQLite refuses to write them).
  const oldNames = new Set(op.from.columns.filter((c) => !c.generated).map((c) => c.name));
  const pairs: [string, string][] = [];
  for (const c of op.to.columns) {
    if (c.generated) continue;
    const source = oldByNew.get(c.name) ?? c.name;
    if (oldNames.has(source)) pairs.push([c.name, source]);
  }
  return pairs;
}

const q = (s: string) => `'${commentText(s)}'`;

function columnSummary(op: OperationOf<'rebuildTable'>, pairs: [string, string][]): string[] {
  const out: string[] = [];
  const copied = new Map(pairs.map(([n, o]) => [n, o]));
  const usedOld = new Set(copied.values());
  for (const [n, o] of pairs) if (n !== o) out.push(`column ${q(o)} renamed to ${q(n)}`);
  for (const c of op.to.columns) if (!copied.has(c.name)) out.push(`added column ${q(c.name)}`);
  for (const c of op.from.columns) if (!usedOld.has(c.name)) out.push(`dropped column ${q(c.name)}`);
  for (const [n, o] of pairs) {
    const renames = (op.renamedValues ?? []).filter(([c]) => c === n).map(([, a, b]) => `renamed value ${q(a)} to ${q(b)}`);
    const changes = [...columnChanges(findCol(op.from, o), findCol(op.to, n)), ...renames];
    if (changes.length) out.push(`column ${q(n)}: ${changes.map(commentText).join(', ')}`);
  }
  return out;
}

function findCol(t: Table, name: string): Column {
  return t.columns.find((c) => c.name === name) as Column;
}

type Named = { readonly name: string };

function setChanges<T extends Named>(label: string, from: readonly T[], to: readonly T[], sig: (x: T) => string): string[] {
  const fromSigs = new Set(from.map(sig));
  const toSigs = new Set(to.map(sig));
  return [
    ...to.filter((x) => !fromSigs.has(sig(x))).map((x) => `added ${label} ${q(x.name)}`),
    ...from.filter((x) => !toSigs.has(sig(x))).map((x) => `removed ${label} ${q(x.name)}`),
  ];
}

/** What the rebuild changes, one phrase each, for the comment above it. */
export function rebuildChanges(op: OperationOf<'rebuildTable'>, pairs = copyPairs(op)): string[] {
  const { from, to } = op;
  const pk = (t: Table) => (t.primaryKey ? t.primaryKey.columns.join(', ') : 'none');
  const out = columnSummary(op, pairs);
  if (pk(from) !== pk(to)) out.push(`primary key (${commentText(pk(from))}) -> (${commentText(pk(to))})`);
  const fkSig = (f: Table['foreignKeys'][number]) => JSON.stringify([f.columns, f.refTable, f.refColumns, f.onDelete, f.onUpdate]);
  out.push(...setChanges('foreign key', from.foreignKeys, to.foreignKeys, fkSig));
  out.push(...setChanges('unique', from.uniques, to.uniques, (u) => JSON.stringify(u.columns)));
  out.push(...setChanges('index', from.indexes, to.indexes, indexSignature));
  out.push(...setChanges('check', from.checks ?? [], to.checks ?? [], checkSignature));
  return out;
}

function notNullWarnings(op: OperationOf<'rebuildTable'>, pairs: [string, string][]): string[] {
  const copied = new Set(pairs.map(([n]) => n));
  return op.to.columns
    .filter((c) => !copied.has(c.name) && !c.nullable && !c.default && !c.autoIncrement)
    .map(
      (c) =>
        `// kiln: new column ${q(c.name)} is NOT NULL with no default and nothing to copy from: ` +
        `the copy fails if ${q(op.to.name)} has rows; give it a default (.defaultTo(...)) or make it nullable`,
    );
}

/**
 * The indexes knex's builder cannot say: created by the rebuild (`rawIndexes`), and the old
 * table's indexes the new table drops (`dropIndexes`): kiln/sqlite then recreates every other
 * old index from its SQL (the unmanaged ones, e.g. with a COLLATE). Nothing when neither table
 * has such an index, so the rebuild does what it did before.
 */
function specialIndexFields(op: OperationOf<'rebuildTable'>): string[] {
  const special = (t: Table) => t.indexes.filter((i) => !isPlainIndex(i));
  const after = special(op.to);
  if (!special(op.from).length && !after.length && !op.from.unmanaged?.length) return [];
  const named = (t: Table) => [...t.indexes, ...t.uniques.filter((u) => !u.inline)].map((i) => i.name);
  const kept = new Set(named(op.to));
  const dropped = named(op.from).filter((name) => !kept.has(name));
  const entries = after.map((i) => indent(`${renderRawIndexEntry(op.from.name, i)},`));
  return [`rawIndexes: ${entries.length ? `[\n${entries.join('\n')}\n]` : '[]'},`, ...(dropped.length ? [`dropIndexes: ${litList(dropped)},`] : [])];
}

/** Enum values the copy renames: `values: [[column, old, new], ...]` (none: nothing). */
function renamedValueField(op: OperationOf<'rebuildTable'>): string[] {
  const values = op.renamedValues ?? [];
  if (!values.length) return [];
  return [`values: [\n${values.map((v) => indent(`${litList(v)},`)).join('\n')}\n],`];
}

/**
 * One call of kiln's `rebuildTable` helper (kiln/sqlite): create the new table, copy the rows
 * column by column, drop the old one, rename, recreate indexes and triggers, check foreign keys.
 */
export function renderRebuildTable(op: OperationOf<'rebuildTable'>): string {
  refuseUnrecreatable(op.from, 'a rebuild of the table (SQLite cannot make this change in place)');
  const pairs = copyPairs(op);
  const changes = rebuildChanges(op, pairs);
  const name = op.from.name;
  const head = [
    `// kiln: rebuilds table ${q(name)} (SQLite cannot alter it in place): ${changes.length ? changes.join('; ') : 'no structural change'}`,
    `// kiln: its rows, indexes and triggers, and the rows of tables that reference it, are kept`,
    ...notNullWarnings(op, pairs),
  ];
  const copy = pairs.length ? `[\n${pairs.map(([n, o]) => indent(`[${lit(n)}, ${lit(o)}],`)).join('\n')}\n]` : '[]';
  const body = [
    `columns: ${builderCallback(tableDefinitionLines(op.to, 'sqlite'))},`,
    `indexes: ${builderCallback(tableIndexLines(op.to))},`,
    `copy: ${copy},`,
    ...renamedValueField(op),
    ...specialIndexFields(op),
  ];
  const call = `await rebuildTable(knex, ${lit(name)}, {\n${indent(body.join('\n'))}\n});`;
  const rename = name === op.to.name ? '' : `\nawait knex.schema.renameTable(${lit(name)}, ${lit(op.to.name)});`;
  return `${head.join('\n')}\n${call}${rename}`;
}
