import type { DialectLint } from '../lint';

export const sqliteLint: DialectLint = {
  reader() {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (require('./lint') as typeof import('./lint')).loadSqliteReader();
  },
  /** SQLite keeps no estimate: every table is counted. */
  estimateRows: () => Promise.resolve(new Map()),
};
