import { KilnError } from '../../errors';
import type { DialectConnection, TlsMode } from '../connection';

const MODES: Readonly<Record<string, TlsMode>> = {
  DISABLED: 'disable',
  PREFERRED: 'prefer',
  REQUIRED: 'require',
  VERIFY_CA: 'verify-ca',
  VERIFY_IDENTITY: 'verify-full',
};

type Mysql2 = { createConnection(c: Record<string, unknown>): { connect(cb: (e: unknown) => void): void; destroy(): void } };

/** MySQL's option names (`ssl_mode`, and the dash spellings `ssl-mode`), mapped onto libpq's modes. */
export const mysqlConnection: DialectConnection = {
  urlSchemes: ['mysql', 'mariadb'],
  urlForm: 'server',
  urlOptions: ['ssl_mode', 'ssl_ca', 'ssl_cert', 'ssl_key', 'ssl'],
  optionName: (name) => name.replace(/-/g, '_'),
  checkOption: () => undefined,
  tls: {
    modeOption: 'ssl_mode',
    fileOptions: ['ssl_ca', 'ssl_cert', 'ssl_key'],
    parseMode(value) {
      const m = MODES[value.toUpperCase()];
      if (!m) throw new KilnError('BAD_URL', `invalid option ssl_mode='${value}' in the database URL: use one of ${Object.keys(MODES).join(', ')}`);
      return m;
    },
    checkHost(ssl, check) {
      ssl.verifyIdentity = check;
    },
    async tryConnect(connection) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const mysql = require('mysql2') as Mysql2;
      return new Promise((resolve) => {
        const c = mysql.createConnection({ ...connection, connectTimeout: 10000 });
        c.connect((e) => {
          c.destroy();
          resolve(e ?? null);
        });
      });
    },
  },
  readOnlySql: 'SET SESSION TRANSACTION READ ONLY',
  driverSettings: { charset: 'utf8mb4', supportBigNumbers: true },
  knexSettings: () => ({}),
};
