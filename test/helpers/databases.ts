import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { knex as knexFactory, type Knex } from 'knex';
import { knexConfigFor } from '../../src/config/knex-config';
import { parseDatabaseUrl } from '../../src/config/url';
import type { DialectName } from '../../src/dialect/types';
import type { TestDialect } from './dialects';

/** A database of its own for one test (or one describe block). */
export interface FreshDatabase {
  /** A kiln URL: `sqlite:////abs/path.db`, `postgresql://...`, `mysql://...`. */
  readonly url: string;
  readonly dialect: DialectName;
  /** The database's name (servers) or file path (sqlite). */
  readonly name: string;
  /** A Knex instance on this database, destroyed by cleanup(). */
  connect(): Knex;
  /** Destroys connections opened by connect(), then drops the database / removes the file. */
  cleanup(): Promise<void>;
}

/**
 * Creates an empty database for the dialect: a file in a fresh temp folder for SQLite, a
 * `CREATE DATABASE kiln_t_<random>` through the admin URL for PostgreSQL and MySQL/MariaDB.
 *
 *   const db = await freshDatabase(dialect);
 *   afterAll(() => db.cleanup());
 */
export async function freshDatabase(dialect: TestDialect): Promise<FreshDatabase> {
  const opened: Knex[] = [];
  const connect = (url: string) => () => {
    const k = knexFactory(knexConfigFor(parseDatabaseUrl(url)));
    opened.push(k);
    return k;
  };
  const closeAll = async () => {
    await Promise.all(opened.splice(0).map((k) => k.destroy()));
  };

  if (dialect.name === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-t-'));
    const file = path.join(dir, 'test.db');
    const url = `sqlite:///${file}`;
    return {
      url,
      dialect: 'sqlite',
      name: file,
      connect: connect(url),
      async cleanup() {
        await closeAll();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  }

  if (!dialect.adminUrl) throw new Error(`no admin URL for ${dialect.name}`);
  const name = `kiln_t_${randomBytes(6).toString('hex')}`;
  const admin = knexFactory(knexConfigFor(parseDatabaseUrl(dialect.adminUrl)));
  try {
    if (dialect.name === 'postgres') await admin.raw(`CREATE DATABASE "${name}"`);
    else await admin.raw(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci`);
  } finally {
    await admin.destroy();
  }
  const url = withDatabase(dialect.adminUrl, name);
  return {
    url,
    dialect: dialect.name,
    name,
    connect: connect(url),
    async cleanup() {
      await closeAll();
      const k = knexFactory(knexConfigFor(parseDatabaseUrl(dialect.adminUrl as string)));
      try {
        if (dialect.name === 'postgres') await k.raw(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        else await k.raw(`DROP DATABASE IF EXISTS \`${name}\``);
      } finally {
        await k.destroy();
      }
    },
  };
}

/** The same server URL with another database name (query string kept). */
export function withDatabase(url: string, database: string): string {
  const m = /^([a-z0-9+]+:\/\/[^/]*)\/[^?]*(\?.*)?$/i.exec(url);
  if (!m) throw new Error(`cannot replace the database in URL ${url}`);
  return `${m[1]}/${database}${m[2] ?? ''}`;
}
