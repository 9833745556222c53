import type { DialectRuntime } from '../runtime';
import { serverFrame } from '../script-frame';
import { castConditions } from '../value-guard';
import { acquireMysqlLock, mysqlSessionLock, releaseMysqlLock } from './lock';
import { openMysqlCatalog } from './catalog';

export const mysqlRuntime: DialectRuntime = {
  transactionalDdl: false,
  prepareOpen: (url) => ({ url, created: null }),
  configureKnex: () => undefined,
  checkConnected: async () => undefined,
  openCatalog: openMysqlCatalog,
  acquireLock: acquireMysqlLock,
  sessionLock: mysqlSessionLock,
  beforeNonTransactionalStatement: null,
  releaseLock: releaseMysqlLock,
  setsKnexLockRow: false,
  // The first DDL commits the open transaction and the session would then autocommit every
  // statement, so a failed migration's rows would stay. With autocommit off, each statement
  // after an implicit commit opens a new transaction that a failure rolls back; each recorded
  // migration is committed.
  commitEachMigration: {
    begin: async (trx) => void (await trx.raw('SET autocommit = 0')),
    commit: async (trx) => void (await trx.raw('COMMIT')),
    end: async (trx) => void (await trx.raw('SET autocommit = 1')), // commits, as COMMIT would
    rollback: async (trx) => void (await trx.raw('ROLLBACK')),
  },
  letRunningMigrationFinishOnSignal: true,
  foreignKeyCheck: null,
  rollbackAfterFailedCommit: false,
  insertReturnsIdOnRequest: false,
  classifyError: () => undefined,
  offline: {
    frame: serverFrame('START TRANSACTION'),
    workspace: async (knex) => ({ knex, executeWrites: false }),
    recordedWriteResponse: () => [{ insertId: 0, affectedRows: 0 }, []],
    scriptStatement: (sql) => {
      if (!sql.includes(';')) return `${sql};`;
      // a delimiter the statement does not hold (the client's DELIMITER takes any string)
      let delimiter = '//';
      for (let n = 1; sql.includes(delimiter); n++) delimiter = `//${n}//`;
      return `DELIMITER ${delimiter}\n${sql}${delimiter}\nDELIMITER ;`;
    },
  },
  // MySQL/MariaDB round floats and, outside strict mode, cut and clamp; in strict mode an
  // ALTER that would cut a string fails ("Data too long"), so an accepted change cuts first.
  // tinyint(1) keeps integers and rounds floats.
  changedValueCondition: (from, to) => castConditions(from, to, { tooLong: (n) => `char_length(??) > ${n}`, notBoolean: (from) => (from.type === 'float' ? '?? <> floor(??)' : null), notExactAs: (to) => `CAST(?? AS DECIMAL(65,30)) <> CAST(CAST(?? AS ${to === 'real' ? 'FLOAT' : 'DOUBLE'}) AS DECIMAL(65,30))` }, true),
  cutsStringsBeforeShortening: true,
  offlineValueGuard: () => null,
  driverFastPath: false,
};
