/** Loads the Chinook sample database (../shared/realdb/) into a fresh test database, with the drivers themselves. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FreshDatabase } from './databases';
import { REPO } from './cli';

export const REALDB = process.env.KILN_REALDB ?? path.resolve(REPO, '..', 'shared', 'realdb');

const FILES = { sqlite: 'Chinook_Sqlite.sql', postgres: 'Chinook_PostgreSql.sql', mysql: 'Chinook_MySql.sql' } as const;

/** The dump without the statements that drop, create or switch databases (the test gives its own). */
function script(db: FreshDatabase): string {
  const text = fs.readFileSync(path.join(REALDB, FILES[db.dialect]), 'utf8');
  return text
    .split('\n')
    .filter((l) => !/^\s*(DROP DATABASE|CREATE DATABASE|USE\s|\\c\s)/i.test(l))
    .join('\n');
}

export async function loadChinook(db: FreshDatabase): Promise<void> {
  const sql = script(db);
  if (db.dialect === 'sqlite') {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const sqlite3 = require('sqlite3') as typeof import('sqlite3');
    const conn = new sqlite3.Database(db.name);
    try {
      await new Promise<void>((resolve, reject) => conn.exec(sql, (e) => (e ? reject(e) : resolve())));
    } finally {
      await new Promise<void>((resolve) => conn.close(() => resolve()));
    }
  } else if (db.dialect === 'postgres') {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { Client } = require('pg') as { Client: new (o: { connectionString: string }) => { connect(): Promise<void>; query(sql: string): Promise<unknown>; end(): Promise<void> } };
    const client = new Client({ connectionString: db.url });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  } else {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mysql = require('mysql2/promise') as typeof import('mysql2/promise');
    const conn = await mysql.createConnection({ uri: db.url, multipleStatements: true });
    try {
      await conn.query(sql);
    } finally {
      await conn.end();
    }
  }
}

/** Chinook's tables and the key column of Track, as each dump spells them. */
export function chinookNames(db: FreshDatabase): { tables: string[]; track: string; trackId: string } {
  const pg = db.dialect === 'postgres';
  const tables = ['Album', 'Artist', 'Customer', 'Employee', 'Genre', 'Invoice', 'InvoiceLine', 'MediaType', 'Playlist', 'PlaylistTrack', 'Track'];
  return {
    tables: pg ? tables.map((t) => t.replace(/(?<=[a-z])([A-Z])/g, '_$1').toLowerCase()) : tables,
    track: pg ? 'track' : 'Track',
    trackId: pg ? 'track_id' : 'TrackId',
  };
}
