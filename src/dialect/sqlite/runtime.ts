import { floatRounds, removedEnumValues } from '../value-guard';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Knex } from 'knex';
import type { DatabaseUrl } from '../../config/url';
import { KilnError, messageOf } from '../../errors';
import type { DialectRuntime, ForeignKeyViolation } from '../runtime';
import { immediateSqliteClient } from './client';
import { sqliteFrame, sqliteSchemaCopy } from './offline';
import { openSqliteCatalog } from './catalog';
import { foreignKeyCheck } from '../../public/sqlite';

function checkSqliteFile(url: DatabaseUrl): void {
  const dir = path.dirname(url.filename!);
  if (!fs.existsSync(dir)) {
    throw new KilnError('CONNECTION', `cannot open SQLite database ${url.filename}: folder ${dir} does not exist`);
  }
}

function prepareOpen(url: DatabaseUrl, options: { readonly noCreate?: boolean }): { url: DatabaseUrl; created: string | null } {
  const file = url.filename !== ':memory:';
  if (file) checkSqliteFile(url);
  const exists = file && fs.existsSync(url.filename!);
  const missing = file && options.noCreate && !exists;
  // A file this run creates is removed again at close if nothing was written to it.
  return { url: missing ? { ...url, filename: ':memory:' } : url, created: file && !missing && !exists ? url.filename! : null };
}

export const sqliteRuntime: DialectRuntime = {
  transactionalDdl: true,
  prepareOpen,
  configureKnex(knexConfig, { migrationLock }) {
    // BEGIN IMMEDIATE takes the write lock at BEGIN (busy_timeout waits): the migration lock.
    if (migrationLock) knexConfig.client = immediateSqliteClient() as unknown as Knex.Config['client'];
  },
  checkConnected: async () => undefined,
  openCatalog: openSqliteCatalog,
  acquireLock: async () => undefined, // BEGIN IMMEDIATE already holds the database's write lock
  sessionLock: null,
  beforeNonTransactionalStatement: null,
  releaseLock: async () => undefined,
  setsKnexLockRow: true,
  commitEachMigration: null,
  letRunningMigrationFinishOnSignal: false,
  // PRAGMA foreign_key_check, past the "foreign key mismatch" of a loose foreign key (kiln/sqlite).
  foreignKeyCheck: async (knex) => (await foreignKeyCheck(knex)) as ForeignKeyViolation[],
  rollbackAfterFailedCommit: true,
  insertReturnsIdOnRequest: false,
  classifyError(e) {
    const message = messageOf(e);
    if (/SQLITE_BUSY/.test(message)) return 'busy';
    if (/SQLITE_READONLY/.test(message)) return 'read-only';
    return undefined;
  },
  offline: {
    frame: sqliteFrame,
    workspace: async (knex, bookkeeping) => ({ knex: await sqliteSchemaCopy(knex, bookkeeping), executeWrites: true }),
    recordedWriteResponse: () => [],
  },
  // SQLite keeps values as they are (it enforces no length, and a REAL copied into an INTEGER
  // column stays), with two exceptions: an enum's CHECK refuses the rows of a removed value, and a
  // REAL-affinity column (float, real) turns an integer into a double, rounding those past 2^53
  // (a NUMERIC column, Custom('numeric(10,2)'), kept them exact). SQLite compares them exactly.
  changedValueCondition: (from, to) => {
    const conditions = [removedEnumValues(from, to), floatRounds(from.type, to.type) ? "typeof(??) = 'integer' AND CAST(?? AS REAL) <> ??" : null].filter((c) => c !== null);
    return conditions.length ? conditions.map((c) => `(${c})`).join(' OR ') : null;
  },
  cutsStringsBeforeShortening: false,
  offlineValueGuard: () => null,
  driverFastPath: true,
};
