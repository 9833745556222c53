import { KilnError } from '../errors';
import type { DialectTls, TlsMode } from '../dialect/connection';
import { dialectOf } from '../dialect/registry';
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
export type { TlsMode };

export interface TlsSettings {
  readonly mode: TlsMode;
  /** Files: root certificate(s), client certificate and key. */
  readonly ca?: string;
  readonly cert?: string;
  readonly key?: string;
}

/** The option's canonical spelling (MySQL's dash spellings, `ssl-mode`, are the underscore ones). */
function canonical(dialect: DialectName, name: string): string {
  return dialectOf(dialect).connection.optionName(name);
}

/** Refuses unknown options and bad values, with the list of known ones. */
export function checkOptions(dialect: DialectName, options: Readonly<Record<string, string>>): void {
  const d = dialectOf(dialect);
  const known = d.connection.urlOptions;
  for (const name of Object.keys(options)) {
    if (!known.includes(canonical(dialect, name))) {
      throw new KilnError('BAD_URL', `unknown option '${name}' in the database URL: known ${d.label} options are ${known.join(', ')}`);
    }
  }
  d.connection.checkOption(options);
  if (d.connection.tls) tlsSettings(dialect, options);
}

/** The dialect's TLS options; asking for them of a database without TLS (a file) is a kiln bug. */
export function dialectTls(dialect: DialectName): DialectTls {
  const tls = dialectOf(dialect).connection.tls;
  if (!tls) throw new Error(`${dialectOf(dialect).label} has no TLS options`);
  return tls;
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
  const tls = dialectTls(dialect);
  const modeName = tls.modeOption;
  if (options[modeName] !== undefined && options.ssl !== undefined) {
    throw new KilnError('BAD_URL', `the database URL sets both ${modeName} and ssl: use one (${modeName} says more)`);
  }
  const [ca, cert, key] = tls.fileOptions.map((name) => options[name] as string | undefined);
  let mode: TlsMode;
  if (options.ssl !== undefined) mode = bool('ssl', options.ssl) ? 'verify-full' : 'disable';
  else if (options[modeName] === undefined) mode = ca ? 'verify-ca' : 'disable';
  else mode = tls.parseMode(options[modeName], !!ca);
  return { mode, ca, cert, key };
}
