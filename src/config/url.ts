import * as path from 'node:path';
import { KilnError } from '../errors';
import type { DialectName } from '../dialect/types';

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

const SCHEMES: Readonly<Record<string, DialectName>> = {
  sqlite: 'sqlite',
  sqlite3: 'sqlite',
  postgresql: 'postgres',
  postgres: 'postgres',
  mysql: 'mysql',
  mariadb: 'mysql',
};

/** Replaces the password of anything URL-shaped in `text` with `***`. */
export function redact(text: string): string {
  // Greedy up to the last '@' of the URL: a password with an unencoded '@' is hidden whole.
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/[^:/?#@\s]*:)\S*@/gi, '$1***@');
}

/**
 * Parses `sqlite:///relative.db`, `sqlite:////abs.db`, `sqlite://` (memory),
 * `postgresql://user:pass@host:port/db`, `mysql://...` (driver suffixes such as
 * `postgresql+psycopg2://` are accepted and ignored). Relative SQLite paths resolve against
 * `cwd`.
 */
export function parseDatabaseUrl(raw: string, cwd: string = process.cwd()): DatabaseUrl {
  const text = raw.trim();
  const m = /^([a-z][a-z0-9]*)(\+[a-z0-9_]+)?:\/\/(.*)$/i.exec(text);
  if (!m) {
    throw new KilnError('BAD_URL', `invalid database URL '${redact(text)}': expected e.g. sqlite:///data.db or postgresql://user@host/db`);
  }
  const scheme = m[1].toLowerCase();
  const dialect = SCHEMES[scheme];
  if (!dialect) {
    throw new KilnError('BAD_URL', `unsupported database '${scheme}' in URL '${redact(text)}': kiln supports sqlite, postgresql and mysql/mariadb`);
  }
  const rest = m[3];
  if (dialect === 'sqlite') return parseSqlite(rest, scheme, cwd);
  return parseServer(dialect, scheme, rest, text);
}

function splitQuery(rest: string): [string, Record<string, string>] {
  const q = rest.indexOf('?');
  if (q < 0) return [rest, {}];
  const options: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(rest.slice(q + 1))) options[k] = v;
  return [rest.slice(0, q), options];
}

function parseSqlite(rest: string, scheme: string, cwd: string): DatabaseUrl {
  const [body, options] = splitQuery(rest);
  if (body === '' || body === '/' || body === '/:memory:') {
    return { dialect: 'sqlite', filename: ':memory:', options, display: `${scheme}://` };
  }
  if (!body.startsWith('/')) {
    throw new KilnError('BAD_URL', `invalid SQLite URL '${scheme}://${body}': use sqlite:///relative.db or sqlite:////absolute/path.db`);
  }
  const p = decodeURIComponent(body.slice(1));
  const filename = path.isAbsolute(p) ? p : path.resolve(cwd, p);
  return { dialect: 'sqlite', filename, options, display: `${scheme}:///${p}` };
}

function parseServer(dialect: DialectName, scheme: string, rest: string, text: string): DatabaseUrl {
  let url: URL;
  try {
    url = new URL(`kiln://${rest}`);
  } catch {
    throw new KilnError('BAD_URL', `invalid database URL '${redact(text)}'`);
  }
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (!url.hostname) throw new KilnError('BAD_URL', `database URL '${redact(text)}' has no host`);
  if (!database) throw new KilnError('BAD_URL', `database URL '${redact(text)}' names no database (add /dbname)`);
  let port: number | undefined;
  if (url.port) {
    port = Number(url.port);
    if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new KilnError('BAD_URL', `invalid port in '${redact(text)}'`);
  }
  const options: Record<string, string> = {};
  for (const [k, v] of url.searchParams) options[k] = v;
  const user = url.username ? decodeURIComponent(url.username) : undefined;
  const password = url.password ? decodeURIComponent(url.password) : undefined;
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const auth = user ? `${url.username}${password !== undefined ? ':***' : ''}@` : '';
  const display = `${scheme}://${auth}${url.host}/${url.pathname.replace(/^\//, '')}${url.search}`;
  return { dialect, host, port, user, password, database, options, display };
}
