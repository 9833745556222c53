/**
 * SQLite's catalog connection (src/dialect/catalog.ts): the file opened read-only through the
 * sqlite3 driver, for catalog queries without bindings (as SQLite's introspection runs them).
 */
import type { DatabaseUrl } from '../../config/url';
import type { CatalogConnection, CatalogSettings } from '../catalog';

/**
 * Null where openDatabase must open it: URL options (`?mode=ro`), no file or `:memory:` (it
 * reads an empty database then; src/runner/database.ts checks that the file exists), or a file
 * the driver cannot read (openDatabase reports it, in its words).
 */
export async function openSqliteCatalog(url: DatabaseUrl, settings: CatalogSettings): Promise<CatalogConnection | null> {
  if (Object.keys(url.options).length > 0 || !url.filename || url.filename === ':memory:') return null;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const sqlite3 = require('sqlite3') as typeof import('sqlite3');
  let db: import('sqlite3').Database;
  try {
    db = await new Promise((resolve, reject) => {
      const d: import('sqlite3').Database = new sqlite3.Database(url.filename!, sqlite3.OPEN_READONLY, (err) => (err ? reject(err) : resolve(d)));
    });
  } catch {
    return null;
  }
  const close = () => new Promise<void>((resolve) => db.close(() => resolve()));
  const all = (sql: string) => new Promise<unknown[]>((resolve, reject) => db.all(sql, (err, rows) => (err ? reject(err) : resolve(rows))));
  try {
    db.configure('busyTimeout', Math.max(0, settings.lockTimeoutMs));
    await all('PRAGMA schema_version'); // reads the header: not a database, locked, ... -> openDatabase's message
  } catch {
    await close();
    return null;
  }
  const raw = (sql: string, bindings?: readonly unknown[]) =>
    bindings === undefined ? all(sql) : Promise.reject(new Error('SQLite catalog connection: no bindings'));
  return { raw, close };
}
