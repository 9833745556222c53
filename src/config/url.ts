import * as path from 'node:path';
import { KilnError } from '../errors';
import { DIALECTS, dialectOf } from '../dialect/registry';
import type { DialectName } from '../dialect/types';
import { checkOptions } from './url-options';

/** A parsed SQLAlchemy-style database URL. */
export interface DatabaseUrl {
  readonly dialect: DialectName;
  /** For SQLite: absolute file path, or ':memory:'. */
  readonly filename?: string;
  readonly host?: string;
  readonly port?: number;
  readonly user?: string;
  readonly password?: string;
  readonly database?: string;
  /** Query-string options (e.g. `?schema=app` for PostgreSQL). */
  readonly options: Readonly<Record<string, string>>;
  /** The URL with any password replaced by `***`: the only form kiln ever prints. */
  readonly display: string;
}

/** URL scheme -> dialect, from each dialect's `urlSchemes` (no prototype: `constructor://` is no scheme). */
const SCHEMES: Readonly<Record<string, DialectName | undefined>> = Object.assign(
  Object.create(null) as Record<string, DialectName>,
  Object.fromEntries(Object.values(DIALECTS).flatMap((d) => d.connection.urlSchemes.map((scheme) => [scheme, d.name]))),
);

/** The dialect a URL scheme names (`postgresql` -> postgres), or undefined. */
export function dialectOfScheme(scheme: string): DialectName | undefined {
  return SCHEMES[scheme];
}

/**
 * Passwords seen in database URLs this process parsed (raw and decoded): redact() hides them
 * wherever they appear, whatever the message (a driver error, a stack with --verbose).
 * Very short ones would blank out ordinary words; the URL-shaped forms still hide those.
 */
const secrets = new Set<string>();
const MIN_SECRET = 4;

function remember(secret: string | undefined): void {
  if (!secret || secret.length < MIN_SECRET) return;
  secrets.add(secret);
  try {
    secrets.add(decodeURIComponent(secret));
  } catch {
    // not %-encoded
  }
}

/** The scheme prefix of a URL-like text (`postgresql://`, `postgres:`, `postgresql:/`), if any. */
function schemePrefix(text: string): string {
  const m = /^([a-z][a-z0-9]*)(\+[a-z0-9_]+)?:(\/*)/i.exec(text);
  if (!m) return '';
  return SCHEMES[m[1].toLowerCase()] || m[3] ? m[0] : '';
}

/**
 * A whole database URL with its password replaced by `***`, however malformed the URL:
 * `postgresql:/u:pw@h/db`, `postgresql//u:pw@h`, `u:pw@h/db`, `postgres:u:pw@h`, a password
 * holding spaces or '@' (everything up to the last '@' after the user's ':' is hidden). With
 * no '@', a `host:port` whose port is not a number is hidden too: it may be a password.
 */
export function redactUrl(raw: string): string {
  // libpq's `?password=...` (and kin) is a password too, wherever the URL is malformed.
  const text = raw.replace(/([?&](?:password|passwd|pwd|pass|sslpassword)=)([^&#]*)/gi, (_m, key: string, value: string) => {
    remember(value);
    return `${key}***`;
  });
  return redactAuth(text);
}

function redactAuth(raw: string): string {
  const at = raw.lastIndexOf('@');
  if (at < 0) {
    const prefix = schemePrefix(raw);
    return prefix + raw.slice(prefix.length).replace(/^([^/?#:]*):(?!\d*(?:[/?#]|$))[^/?#]*/, '$1:***');
  }
  const head = raw.slice(0, at);
  const prefix = schemePrefix(head);
  const colon = head.indexOf(':', prefix.length);
  if (colon < 0) return raw;
  remember(head.slice(colon + 1));
  return `${head.slice(0, colon)}:***${raw.slice(at)}`;
}

/** Replaces the password of anything URL-shaped in `text`, and every password kiln has parsed, with `***`. */
export function redact(text: string): string {
  let out = text;
  // As a whole token only: a password 'postgres' must not turn 'postgresql://' into '***ql://'.
  for (const secret of secrets) out = out.replace(new RegExp(`(?<![A-Za-z0-9])${secret.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![A-Za-z0-9])`, 'g'), '***');
  // Greedy up to the last '@' of the word: a password with an unencoded '@' is hidden whole.
  return out.replace(/((?:[a-z][a-z0-9+.-]*:\/{0,2})?[^:/?#@\s'"`]+:)(?!\/\/)[^\s'"`]*@/gi, '$1***@');
}

/** decodeURIComponent that names the part of the URL it failed on (never a password's value). */
export function decodeUrlPart(value: string, part: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    throw new KilnError('BAD_URL', `invalid %-escape in the database URL's ${part}: a '%' must be followed by two hex digits (write a literal '%' as %25)`);
  }
}

/**
 * Parses `sqlite:///relative.db`, `sqlite:////abs.db`, `sqlite://` (memory),
 * `postgresql://user:pass@host:port/db`, `mysql://...` (driver suffixes such as
 * `postgresql+psycopg2://` are accepted and ignored). Relative SQLite paths resolve against
 * `cwd`.
 */
export function parseDatabaseUrl(raw: string, cwd: string = process.cwd()): DatabaseUrl {
  const text = raw.trim();
  const shown = redactUrl(text);
  const m = /^([a-z][a-z0-9]*)(\+[a-z0-9_]+)?:\/\/(.*)$/i.exec(text);
  if (!m) {
    throw new KilnError('BAD_URL', `invalid database URL '${shown}': expected e.g. sqlite:///data.db or postgresql://user@host/db`);
  }
  const scheme = m[1].toLowerCase();
  const dialect = SCHEMES[scheme];
  if (!dialect) {
    throw new KilnError('BAD_URL', `unsupported database '${scheme}' in URL '${shown}': kiln supports sqlite, postgresql and mysql/mariadb`);
  }
  const rest = m[3];
  if (dialectOf(dialect).connection.urlForm === 'file') return parseFile(dialect, rest, scheme, cwd);
  return parseServer(dialect, scheme, rest, shown);
}

/** Query-string options, each name and value %-decoded (a bad escape names the option). */
function parseQuery(query: string): Record<string, string> {
  const options: Record<string, string> = {};
  for (const pair of query.split('&')) {
    if (!pair) continue;
    const eq = pair.indexOf('=');
    const rawKey = (eq < 0 ? pair : pair.slice(0, eq)).replace(/\+/g, ' ');
    const key = decodeUrlPart(rawKey, `option name '${rawKey}'`);
    options[key] = eq < 0 ? '' : decodeUrlPart(pair.slice(eq + 1).replace(/\+/g, ' '), `option '${key}'`);
  }
  return options;
}

function splitQuery(rest: string): [string, Record<string, string>] {
  const q = rest.indexOf('?');
  if (q < 0) return [rest, {}];
  return [rest.slice(0, q), parseQuery(rest.slice(q + 1))];
}

/** A file database's URL (SQLite): `sqlite:///relative.db`, `sqlite:////abs.db`, `sqlite://` (memory). */
function parseFile(dialect: DialectName, rest: string, scheme: string, cwd: string): DatabaseUrl {
  const [body, options] = splitQuery(rest);
  checkOptions(dialect, options);
  if (body === '' || body === '/' || body === '/:memory:') {
    return { dialect, filename: ':memory:', options, display: `${scheme}://` };
  }
  if (!body.startsWith('/')) {
    throw new KilnError('BAD_URL', `invalid ${dialectOf(dialect).label} URL '${scheme}://${body}': use sqlite:///relative.db or sqlite:////absolute/path.db`);
  }
  const p = decodeUrlPart(body.slice(1), 'file path');
  const filename = path.isAbsolute(p) ? p : path.resolve(cwd, p);
  return { dialect, filename, options, display: `${scheme}:///${p}` };
}

/** Why `new URL` refused a server URL, as precisely as kiln can say it without the password. */
function whyInvalid(rest: string): string {
  const at = rest.lastIndexOf('@');
  const hostPart = rest.slice(at + 1).split(/[/?#]/)[0];
  const port = /^(?:\[[^\]]*\]|[^:]*):(.*)$/.exec(hostPart)?.[1];
  if (at >= 0 && port !== undefined && !(/^\d{1,5}$/.test(port) && Number(port) >= 1 && Number(port) <= 65535)) return `invalid port '${port}' (a number from 1 to 65535)`;
  if (/\s/.test(hostPart)) return 'the host contains a space';
  return "expected e.g. postgresql://user@host:5432/database (a password follows the user name after ':', %-encoded)";
}

function parseServer(dialect: DialectName, scheme: string, rest: string, shown: string): DatabaseUrl {
  let url: URL;
  try {
    url = new URL(`kiln://${rest}`);
  } catch {
    throw new KilnError('BAD_URL', `invalid database URL '${shown}': ${whyInvalid(rest)}`);
  }
  remember(url.password);
  const password = url.password ? decodeUrlPart(url.password, 'password') : undefined;
  remember(password);
  const user = url.username ? decodeUrlPart(url.username, 'user name') : undefined;
  const database = decodeUrlPart(url.pathname.replace(/^\//, ''), 'database name');
  decodeUrlPart(url.hostname, 'host');
  if (!url.hostname) throw new KilnError('BAD_URL', `database URL '${shown}' has no host`);
  if (!database) throw new KilnError('BAD_URL', `database URL '${shown}' names no database (add /dbname)`);
  let port: number | undefined;
  if (url.port) {
    port = Number(url.port);
    if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new KilnError('BAD_URL', `invalid port '${url.port}' in '${shown}' (a number from 1 to 65535)`);
  }
  const options = parseQuery(url.search.replace(/^\?/, ''));
  checkOptions(dialect, options);
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const auth = user ? `${url.username}${password !== undefined ? ':***' : ''}@` : '';
  const display = `${scheme}://${auth}${url.host}/${url.pathname.replace(/^\//, '')}${url.search}`;
  return { dialect, host, port, user, password, database, options, display };
}
