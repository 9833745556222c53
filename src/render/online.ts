import { dialectOf } from '../dialect/registry';
import type { DialectName } from '../dialect/types';
import { losesData } from '../ops/describe';
import type { Operation } from '../ops/types';
import { indent } from './block';
import { commentText, lit } from './literal';
import { renderOp } from './render-op';

/**
 * Online-safe generation (issue 14; config `online`, `db migrate --no-online`): a migration
 * that changes a table existing before it is written as `export const config = { transaction:
 * false }` and a list of steps, each run by a helper of kiln/online (src/public/online.ts)
 * under a short lock timeout with retries. What a step is for an op on an existing table is
 * the dialect's decision (DialectRender.online: a concurrent index build, a constraint added
 * NOT VALID then validated, ALGORITHM=INPLACE, LOCK=NONE, ...); every other op runs its plain
 * statements in a `ddl()` step of its own. Because a failed or killed run records nothing and
 * the next upgrade starts the migration over, each step skips itself when what it makes is
 * already there (`skipIf`). A migration that only creates tables needs none of this.
 */

/** Whether `up` is written online: the dialect has online forms and `up` changes an existing table. */
export function isOnline(up: readonly Operation[], dialect: DialectName, online: boolean | undefined): boolean {
  if (!online || !dialectOf(dialect).generation.render.online) return false;
  const fresh = createdTables(up);
  return up.some((op) => touchesExisting(op, fresh));
}

/** The ops' statements as online steps (one per op; guards stay before them, as in a plain body). */
export function renderOnlineOps(ops: readonly Operation[], dialect: DialectName): string[] {
  const online = dialectOf(dialect).generation.render.online!;
  const fresh = new Set<string>();
  return ops.map((op) => {
    const existing = touchesExisting(op, fresh);
    const own = existing ? online.op(op) : undefined;
    const copies = existing ? online.copies(op) : undefined;
    if (op.kind === 'createTable') fresh.add(op.table.name);
    return `${copies ? `// kiln: ${commentText(copies)}\n` : ''}${own ?? renderDdlStep(op, dialect)}`;
  });
}

/** Why the server copies an existing table for an op of `up` (MySQL), one line per op, for `db migrate` to print. */
export function copyWarnings(up: readonly Operation[], dialect: DialectName): string[] {
  const online = dialectOf(dialect).generation.render.online;
  if (!online) return [];
  const fresh = createdTables(up);
  return up.flatMap((op) => {
    const why = touchesExisting(op, fresh) ? online.copies(op) : undefined;
    return why ? [why] : [];
  });
}

/** The helpers of kiln/online a rendered body calls. */
export function onlineHelpersIn(code: string): string[] {
  const names = ['ddl', 'createIndexConcurrently', 'dropIndexConcurrently', 'setNotNull', 'verifyForeignKey'];
  return names.filter((n) => new RegExp(`\\bawait ${n}\\(`).test(code));
}

/** `await ddl(knex, async (knex) => { <the op's plain statements> }, { skipIf });` */
export function renderDdlStep(op: Operation, dialect: DialectName): string {
  const loss = losesData(op);
  const warning = loss ? `// kiln: ${commentText(loss)}\n` : '';
  let code = renderOp(op, dialect);
  if (warning && code.startsWith(warning)) code = code.slice(warning.length);
  return `${warning}${ddlCall(code, skipIfOf(op))}`;
}

/** A `ddl()` step around `code` (statements using `knex`), skipped when `skipIf` holds. */
export function ddlCall(code: string, skipIf?: string): string {
  return `await ddl(knex, async (knex) => {\n${indent(code)}\n}${skipIf ? `, { skipIf: ${skipIf} }` : ''});`;
}

const has = (what: string, table: string | null, name: string) => `{ has: ${lit(what)}, ${table === null ? '' : `table: ${lit(table)}, `}name: ${lit(name)} }`;
const lacks = (what: string, table: string | null, name: string) => `{ lacks: ${lit(what)}, ${table === null ? '' : `table: ${lit(table)}, `}name: ${lit(name)} }`;

/**
 * What tells that an op already ran (a re-run after a kill), as a `skipIf` literal; undefined
 * for an op that can simply run again (a column's type, default or comment set to the same).
 */
export function skipIfOf(op: Operation): string | undefined {
  switch (op.kind) {
    case 'createTable':
      return has('table', null, op.table.name);
    case 'dropTable':
      return lacks('table', null, op.table.name);
    case 'renameTable':
      return lacks('table', null, op.from);
    case 'addColumn':
      return has('column', op.table, op.column.name);
    case 'dropColumn':
      return lacks('column', op.table, op.column.name);
    case 'renameColumn':
      return lacks('column', op.table, op.from);
    case 'addIndex':
      return has('index', op.table, op.index.name);
    case 'dropIndex':
      return lacks('index', op.table, op.index.name);
    case 'addUnique':
      return has('index', op.table, op.unique.name);
    case 'dropUnique':
      return lacks('index', op.table, op.unique.name);
    case 'addForeignKey':
      return has('constraint', op.table, op.foreignKey.name);
    case 'dropForeignKey':
      return lacks('constraint', op.table, op.foreignKey.name);
    case 'addCheck':
      return has('constraint', op.table, op.check.name);
    case 'dropCheck':
      return lacks('constraint', op.table, op.check.name);
    case 'createEnumType':
      return has('type', null, op.name);
    case 'dropEnumType':
      return lacks('type', null, op.name);
    case 'createSequence':
      return has('sequence', null, op.sequence.name);
    case 'dropSequence':
      return lacks('sequence', null, op.sequence.name);
    // A plain view is a table to the catalog query behind 'table' (information_schema.tables); a
    // materialized one is not, and its step runs again (PostgreSQL: in one transaction, all or nothing).
    case 'createView':
      return op.view.materialized ? undefined : has('table', null, op.view.name);
    case 'dropView':
      return op.view.materialized ? undefined : lacks('table', null, op.view.name);
    // Clearing a comment before its object is dropped: a re-run after the drop finds nothing to clear.
    case 'commentOn':
      return op.to === undefined ? lacks(op.on, op.table, op.name) : undefined;
    default:
      return undefined;
  }
}

function createdTables(ops: readonly Operation[]): Set<string> {
  return new Set(ops.flatMap((op) => (op.kind === 'createTable' ? [op.table.name] : [])));
}

/** Whether an op changes a table that exists before the migration (not one it creates). */
function touchesExisting(op: Operation, fresh: ReadonlySet<string>): boolean {
  switch (op.kind) {
    case 'createTable':
    case 'createEnumType':
    case 'createSchema':
    case 'dropSchema':
      return false;
    case 'renameTable':
      return !fresh.has(op.from);
    case 'dropTable':
      return !fresh.has(op.table.name);
    case 'rebuildTable':
      return true;
    case 'dropEnumType':
    case 'alterEnumType':
      return true;
    // Neither does a sequence's.
    case 'createSequence':
    case 'dropSequence':
    case 'alterSequence':
    case 'createDomain':
    case 'dropDomain':
    case 'createExtension':
    case 'dropExtension':
      return false;
    // A view is the migration's own business: creating, dropping or re-creating one locks no table's rows.
    case 'createView':
    case 'dropView':
    case 'replaceView':
    case 'createTrigger':
    case 'dropTrigger':
    case 'replaceTrigger':
      return false;
    default:
      return !fresh.has(op.table);
  }
}
