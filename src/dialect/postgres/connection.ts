import { KilnError } from '../../errors';
import type { DialectConnection, TlsMode } from '../connection';

const MODES: readonly TlsMode[] = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'];

type PgClient = new (c: Record<string, unknown>) => { connect(): Promise<void>; end(): Promise<void>; on(ev: string, f: () => void): void };

/** libpq's option names and meanings; `?schema=` sets the search path. */
export const postgresConnection: DialectConnection = {
  urlSchemes: ['postgresql', 'postgres'],
  urlForm: 'server',
  urlOptions: ['schema', 'sslmode', 'sslrootcert', 'sslcert', 'sslkey', 'ssl'],
  optionName: (name) => name,
  checkOption: () => undefined,
  tls: {
    modeOption: 'sslmode',
    fileOptions: ['sslrootcert', 'sslcert', 'sslkey'],
    parseMode(value, ca) {
      const m = value as TlsMode;
      if (!MODES.includes(m)) throw new KilnError('BAD_URL', `invalid option sslmode='${value}' in the database URL: use one of ${MODES.join(', ')}`);
      // libpq: require with a root certificate verifies the chain.
      return m === 'require' && ca ? 'verify-ca' : m;
    },
    checkHost(ssl, check) {
      if (!check) ssl.checkServerIdentity = () => undefined;
    },
    async tryConnect(connection) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const pg = require('pg') as { Client: PgClient };
      const client = new pg.Client({ ...connection, connectionTimeoutMillis: 10000 });
      client.on('error', () => undefined);
      try {
        await client.connect();
        return null;
      } catch (e) {
        return e;
      } finally {
        await client.end().catch(() => undefined);
      }
    },
  },
  readOnlySql: 'SET default_transaction_read_only = on',
  // pg gives up a connect the server never answers after this long (it has no limit of its own):
  // Knex's acquireConnectionTimeout (10 s) reports it, but its pending connect kept the process
  // alive until the server closed the socket, so the command never exited.
  driverSettings: { connectionTimeoutMillis: 10000 },
  knexSettings: (options) => (options.schema ? { searchPath: [options.schema] } : {}),
};
