import * as fs from 'node:fs';
import { KilnError, messageOf } from '../errors';
import type { DialectName } from '../dialect/types';
import type { DatabaseUrl } from './url';
import { dialectTls, tlsSettings, type TlsSettings } from './url-options';

type Connection = Record<string, unknown>;

/** The server said it has no TLS (pg: 'N' to SSLRequest; mysql2: no SSL capability). */
export const NO_TLS_ON_SERVER = /does not support SSL connections|does not support secure connection/i;

function readFile(option: string, file: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (e) {
    throw new KilnError('CONFIG', `cannot read the ${option} file '${file}' of the database URL: ${messageOf(e)}`, { cause: e });
  }
}

/** The driver's `ssl` object: node's TLS options (pg), mysql2's (verifyIdentity for the host check). */
function sslOptions(dialect: DialectName, tls: TlsSettings, verify: boolean): Record<string, unknown> {
  const { fileOptions: names, checkHost: setHostCheck } = dialectTls(dialect);
  const ssl: Record<string, unknown> = { rejectUnauthorized: verify };
  if (tls.ca) ssl.ca = readFile(names[0], tls.ca);
  if (tls.cert) ssl.cert = readFile(names[1], tls.cert);
  if (tls.key) ssl.key = readFile(names[2], tls.key);
  const checkHost = tls.mode === 'verify-full';
  setHostCheck(ssl, checkHost);
  return ssl;
}

/**
 * Knex's `connection` for a server URL: plain, with TLS, or (prefer/allow) a provider that
 * decides once, on the first connection, by trying the server.
 */
export function tlsConnection(url: DatabaseUrl, base: Connection): Connection | (() => Promise<Connection>) {
  const tls = tlsSettings(url.dialect, url.options);
  if (tls.mode === 'disable') return base;
  const verify = tls.mode === 'verify-ca' || tls.mode === 'verify-full';
  const secure = { ...base, ssl: sslOptions(url.dialect, tls, verify) };
  if (tls.mode !== 'prefer' && tls.mode !== 'allow') return secure;
  let decided: Promise<Connection> | undefined;
  return () =>
    (decided ??= (async () => {
      if (tls.mode === 'prefer') {
        const err = await tryConnect(url.dialect, secure);
        return err && NO_TLS_ON_SERVER.test(messageOf(err)) ? base : secure;
      }
      // allow: plain text first, TLS only when the server refuses plain text.
      return (await tryConnect(url.dialect, base)) ? secure : base;
    })());
}

/** Opens and closes one driver connection; the error, or null when it connected. */
function tryConnect(dialect: DialectName, connection: Connection): Promise<unknown> {
  return dialectTls(dialect).tryConnect(connection);
}
