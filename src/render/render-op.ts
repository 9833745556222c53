import { dialectOf } from '../dialect/registry';
import type { DialectName } from '../dialect/types';
import { losesData } from '../ops/describe';
import type { Operation, OperationKind, OperationOf } from '../ops/types';
import { renderAddColumn, renderAlterColumn, renderDropColumn, renderRenameColumn } from './column-ops';
import {
  renderAddForeignKey,
  renderAddIndex,
  renderAddUnique,
  renderAlterPrimaryKey,
  renderDropForeignKey,
  renderDropIndex,
  renderDropUnique,
} from './constraints';
import { renderAddCheck, renderAlterTableComment, renderDropCheck } from './extras';
import { commentText, lit } from './literal';
import { renderRebuildTable } from './rebuild';
import { renderAlterSequence, renderCreateSequence, renderDropSequence } from './sequences';
import { renderCreateView, renderDropView, renderReplaceView } from './views';
import { renderCreateTrigger, renderDropTrigger, renderReplaceTrigger } from './triggers';
import { renderCreateTable, renderDropTable, renderRenameTable, tableOptions } from './table';

type Renderers = { readonly [K in OperationKind]: (op: OperationOf<K>, dialect: DialectName) => string };

/** A PostgreSQL identifier, quoted. */

/** Exhaustive: a new op kind does not compile until it renders. */
const RENDERERS: Renderers = {
  createTable: renderCreateTable,
  dropTable: renderDropTable,
  renameTable: renderRenameTable,
  addColumn: renderAddColumn,
  dropColumn: renderDropColumn,
  alterColumn: renderAlterColumn,
  renameColumn: renderRenameColumn,
  addIndex: renderAddIndex,
  dropIndex: renderDropIndex,
  addUnique: renderAddUnique,
  dropUnique: renderDropUnique,
  addForeignKey: renderAddForeignKey,
  dropForeignKey: renderDropForeignKey,
  addCheck: renderAddCheck,
  dropCheck: renderDropCheck,
  alterTableComment: renderAlterTableComment,
  alterPrimaryKey: renderAlterPrimaryKey,
  rebuildTable: renderRebuildTable,
  createSequence: renderCreateSequence,
  dropSequence: renderDropSequence,
  alterSequence: renderAlterSequence,
  createView: renderCreateView,
  dropView: renderDropView,
  replaceView: renderReplaceView,
  createTrigger: renderCreateTrigger,
  dropTrigger: renderDropTrigger,
  replaceTrigger: renderReplaceTrigger,
  // IF [NOT] EXISTS: a step run again after a kill finds it done. DROP SCHEMA without CASCADE
  // refuses a schema that still holds anything (a table kiln does not manage).
  createSchema: (op) => `await knex.schema.createSchemaIfNotExists(${lit(op.name)});`,
  dropSchema: (op) => `await knex.schema.dropSchemaIfExists(${lit(op.name)});`,
  // The domain's name as PostgreSQL prints it: already an identifier (quoted where needed).
  createDomain: (op) => `await knex.raw(${lit(op.sql)});`,
  dropDomain: (op) => `await knex.raw(${lit(`DROP DOMAIN ${op.name}`)});`,
  createExtension: (op, dialect) => dialectOf(dialect).generation.render.extras.createExtension(op),
  dropExtension: (op, dialect) => dialectOf(dialect).generation.render.extras.dropExtension(op),
  commentOn: (op, dialect) => dialectOf(dialect).generation.render.extras.commentOn(op),
  createEnumType: (op, dialect) => dialectOf(dialect).generation.render.extras.createEnumType(op),
  dropEnumType: (op, dialect) => dialectOf(dialect).generation.render.extras.dropEnumType(op),
  alterEnumType: (op, dialect) => dialectOf(dialect).generation.render.extras.alterEnumType(op),
};

/**
 * One operation as TypeScript statements of a Knex migration (unindented; uses `knex`, and
 * `rebuildTable` from kiln/sqlite for a rebuild). Ops that can destroy data get a
 * `// kiln: ...` warning line above them.
 */
export function renderOp(op: Operation, dialect: DialectName): string {
  const code = (RENDERERS[op.kind] as (o: Operation, d: DialectName) => string)(op, dialect);
  const loss = losesData(op);
  return loss ? `// kiln: ${commentText(loss)}\n${code}` : code;
}

/** Whether the rendered op uses the `rebuildTable` helper. */
export function usesRebuild(op: Operation): boolean {
  return op.kind === 'rebuildTable';
}

/** Whether the rendered op uses kiln/sqlite's `createTable` (a table with SQLite table options). */
export function usesCreateTable(op: Operation, dialect: DialectName): boolean {
  return op.kind === 'createTable' && tableOptions(op.table) !== '' && !dialectOf(dialect).generation.render.tableOptionCalls;
}
