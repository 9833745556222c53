import type { Knex } from 'knex';
import type { DatabaseUrl } from '../../config/url';
import { KilnError } from '../../errors';
import type { DialectRuntime } from '../runtime';
import { serverFrame } from '../script-frame';
import { castConditions } from '../value-guard';
import { acquirePostgresLock, dropInvalidIndexBefore, postgresSessionLock } from './lock';
import { openPostgresCatalog } from './catalog';

/** The configured schema must exist: a search path naming a missing one would create tables nowhere. */
async function checkSchema(knex: Knex, url: DatabaseUrl, schema: string | undefined): Promise<void> {
  if (!schema) return;
  const found = await knex.raw('select 1 from pg_namespace where nspname = ?', [schema]);
  if (found.rows.length === 0) {
    throw new KilnError('CONNECTION', `schema '${schema}' does not exist in ${url.display}`, {
      hint: `create it first (CREATE SCHEMA "${schema}"), or choose another with --schema / ?schema=`,
    });
  }
}

/**
 * A number a cast to double precision or real changes. Compared exactly: a float's text is its
 * shortest exact form (a cast of a float to numeric keeps 15 digits only, and would find
 * 1234567890123456 changed and 0.1 as a real unchanged); a real is compared as the double it becomes.
 */
const notExactAs = (to: 'float' | 'real') => (to === 'real' ? '??::float8 <> ??::real::float8' : '??::text::numeric <> ??::float8::text::numeric');

export const postgresRuntime: DialectRuntime = {
  transactionalDdl: true,
  prepareOpen: (url) => ({ url, created: null }),
  configureKnex(knexConfig, { schema }) {
    if (schema) knexConfig.searchPath = [schema];
  },
  checkConnected: checkSchema,
  openCatalog: openPostgresCatalog,
  acquireLock: acquirePostgresLock,
  sessionLock: postgresSessionLock,
  beforeNonTransactionalStatement: dropInvalidIndexBefore,
  releaseLock: async () => undefined, // an advisory transaction lock ends with the transaction
  setsKnexLockRow: true,
  commitEachMigration: null,
  letRunningMigrationFinishOnSignal: false,
  foreignKeyCheck: null,
  rollbackAfterFailedCommit: false,
  insertReturnsIdOnRequest: true,
  classifyError: () => undefined,
  offline: {
    frame: serverFrame('BEGIN'),
    workspace: async (knex) => ({ knex, executeWrites: false }),
    recordedWriteResponse: () => ({ rows: [], rowCount: 0, command: '' }),
    // kiln's connection sets the search path (configureKnex): the script's session needs it too,
    // or psql would apply the statements to the same names in the default schema.
    session: (schema) => (schema ? [`SET search_path TO "${schema.replace(/"/g, '""')}"`] : []),
  },
  // PostgreSQL casts (`USING col::varchar(20)`) truncate strings and round floats in silence.
  // PostgreSQL casts any non-zero number to true.
  changedValueCondition: (from, to) => castConditions(from, to, { tooLong: (n) => `char_length(??::text) > ${n}`, notBoolean: () => '?? NOT IN (0, 1)', notExactAs }),
  cutsStringsBeforeShortening: false,
  offlineValueGuard: (table, where, message) => {
    const format = message('\u0000').replace(/%/g, '%%').replace('\u0000', '%'); // RAISE's format: one % for the count
    if (`${table}${where}${format}`.includes('$kiln$')) return null;
    return (
      `DO $kiln$DECLARE n bigint; BEGIN SELECT count(*) INTO n FROM ${table} WHERE ${where}; ` +
      `IF n > 0 THEN RAISE EXCEPTION '${format.replace(/'/g, "''")}', n; END IF; END$kiln$`
    );
  },
  driverFastPath: false,
};
