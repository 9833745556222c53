import { KilnError } from '../errors';
import type { DialectName } from '../dialect/types';

/**
 * The query-string options a database URL may carry. Anything else is refused (a misspelt
 * `?sslmode=` must not silently connect in plain text).
 *
 * TLS, with libpq's meanings (PostgreSQL's `sslmode`, MySQL's `ssl_mode` mapped onto them):
 * - disable: plain text. allow: plain text, TLS if the plain attempt fails.
 *   prefer: TLS if the server offers it, else plain text.
 * - require: TLS, certificate not verified (with a root certificate given: as verify-ca).
 * - verify-ca: TLS, the certificate must chain to the root certificate (or the system's
 *   roots); the host name is not checked. verify-full: as verify-ca, and the certificate must
 *   name the host.
 * `ssl=true` means verify-full (node-postgres' and mysql2's meaning of `ssl: true`),
 * `ssl=false` disable. With no TLS option kiln connects in plain text, as it always has.
 */
export const KNOWN_OPTIONS: Readonly<Record<DialectName, readonly string[]>> = {
  sqlite: ['mode'],
  postgres: ['schema', 'sslmode', 'sslrootcert', 'sslcert', 'sslkey', 'ssl'],
  mysql: ['ssl_mode', 'ssl_ca', 'ssl_cert', 'ssl_key', 'ssl'],
};

export type TlsMode = 'disable' | 'allow' | 'prefer' | 'require' | 'verify-ca' | 'verify-full';

export interface TlsSettings {
  readonly mode: TlsMode;
  /** Files: root certificate(s), client certificate and key. */
  readonly ca?: string;
  readonly cert?: string;
  readonly key?: string;
}

const PG_MODES: readonly TlsMode[] = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'];
const MYSQL_MODES: Readonly<Record<string, TlsMode>> = {
  DISABLED: 'disable',
  PREFERRED: 'prefer',
  REQUIRED: 'require',
  VERIFY_CA: 'verify-ca',
  VERIFY_IDENTITY: 'verify-full',
};

/** MySQL's dash spellings (`ssl-mode`) are accepted as the underscore ones. */
function canonical(dialect: DialectName, name: string): string {
  return dialect === 'mysql' ? name.replace(/-/g, '_') : name;
}

/** Refuses unknown options and bad values, with the list of known ones. */
export function checkOptions(dialect: DialectName, options: Readonly<Record<string, string>>): void {
  const known = KNOWN_OPTIONS[dialect];
  for (const name of Object.keys(options)) {
    if (!known.includes(canonical(dialect, name))) {
      const what = dialect === 'postgres' ? 'PostgreSQL' : dialect === 'mysql' ? 'MySQL/MariaDB' : 'SQLite';
      throw new KilnError('BAD_URL', `unknown option '${name}' in the database URL: known ${what} options are ${known.join(', ')}`);
    }
  }
  if (dialect === 'sqlite' && options.mode !== undefined && options.mode !== 'ro') {
    throw new KilnError('BAD_URL', `invalid option mode='${options.mode}' in the database URL: only mode=ro (read-only) is supported`);
  }
  if (dialect !== 'sqlite') tlsSettings(dialect, options);
}

function bool(name: string, value: string): boolean {
  if (/^(true|1|yes|on)$/i.test(value)) return true;
  if (/^(false|0|no|off)$/i.test(value)) return false;
  throw new KilnError('BAD_URL', `invalid option ${name}='${value}' in the database URL: use true or false`);
}

/** The TLS settings of a server URL's options (validated). */
export function tlsSettings(dialect: DialectName, raw: Readonly<Record<string, string>>): TlsSettings {
  const options: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) options[canonical(dialect, k)] = v;
  const modeName = dialect === 'mysql' ? 'ssl_mode' : 'sslmode';
  if (options[modeName] !== undefined && options.ssl !== undefined) {
    throw new KilnError('BAD_URL', `the database URL sets both ${modeName} and ssl: use one (${modeName} says more)`);
  }
  const ca = dialect === 'mysql' ? options.ssl_ca : options.sslrootcert;
  const cert = dialect === 'mysql' ? options.ssl_cert : options.sslcert;
  const key = dialect === 'mysql' ? options.ssl_key : options.sslkey;
  let mode: TlsMode;
  if (options.ssl !== undefined) mode = bool('ssl', options.ssl) ? 'verify-full' : 'disable';
  else if (options[modeName] === undefined) mode = ca ? 'verify-ca' : 'disable';
  else if (dialect === 'mysql') {
    const m = MYSQL_MODES[options.ssl_mode.toUpperCase()];
    if (!m) throw new KilnError('BAD_URL', `invalid option ssl_mode='${options.ssl_mode}' in the database URL: use one of ${Object.keys(MYSQL_MODES).join(', ')}`);
    mode = m;
  } else {
    const m = options.sslmode as TlsMode;
    if (!PG_MODES.includes(m)) throw new KilnError('BAD_URL', `invalid option sslmode='${options.sslmode}' in the database URL: use one of ${PG_MODES.join(', ')}`);
    // libpq: require with a root certificate verifies the chain.
    mode = m === 'require' && ca ? 'verify-ca' : m;
  }
  return { mode, ca, cert, key };
}
