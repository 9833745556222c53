import { KilnError } from '../../errors';
import type { DialectConnection } from '../connection';

/** A file: `?mode=ro` opens it read-only (SQLite URI filename), as SQLAlchemy's URLs can. */
export const sqliteConnection: DialectConnection = {
  urlSchemes: ['sqlite', 'sqlite3'],
  urlForm: 'file',
  urlOptions: ['mode'],
  optionName: (name) => name,
  checkOption(options) {
    if (options.mode !== undefined && options.mode !== 'ro') {
      throw new KilnError('BAD_URL', `invalid option mode='${options.mode}' in the database URL: only mode=ro (read-only) is supported`);
    }
  },
  tls: undefined,
  readOnlySql: 'PRAGMA query_only = ON',
  driverSettings: {},
  knexSettings: () => ({}),
};
