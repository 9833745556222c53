import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Knex } from 'knex';
import type { DialectName } from '../../src/dialect/types';
import { REPO } from '../helpers/cli';

/** The shared real databases (../shared/realdb/ beside the repository; /work/shared/realdb here). */
export const REALDB = [path.resolve(REPO, '..', 'shared', 'realdb'), '/work/shared/realdb'].find((d) => fs.existsSync(d)) ?? path.resolve(REPO, '..', 'shared', 'realdb');

const FILES: Record<DialectName, string> = { sqlite: 'Chinook_Sqlite.sql', postgres: 'Chinook_PostgreSql.sql', mysql: 'Chinook_MySql.sql' };

/** Chinook's 11 tables as each dump names them. */
export function chinookTables(dialect: DialectName): string[] {
  const pascal = ['Album', 'Artist', 'Customer', 'Employee', 'Genre', 'Invoice', 'InvoiceLine', 'MediaType', 'Playlist', 'PlaylistTrack', 'Track'];
  return dialect === 'postgres' ? pascal.map((t) => t.replace(/(?<=[a-z])(?=[A-Z])/g, '_').toLowerCase()) : pascal;
}

/** The name of one Chinook table in this dialect's dump (`Genre` or `genre`). */
export function chinookTable(dialect: DialectName, pascal: string): string {
  return chinookTables(dialect)[chinookTables('sqlite').indexOf(pascal)];
}

/**
 * Loads the Chinook dump of the dialect into the (empty) database `knex` is connected to:
 * the dump's own DROP/CREATE DATABASE, `\c` and `USE` lines are left out, the rest runs
 * statement by statement (the dumps end every statement with `;` at the end of a line).
 */
export async function loadChinook(knex: Knex, dialect: DialectName): Promise<void> {
  const text = fs.readFileSync(path.join(REALDB, FILES[dialect]), 'utf8');
  const kept = text
    .split('\n')
    .filter((l) => !/^(DROP DATABASE|CREATE DATABASE|USE |\\c )/i.test(l))
    .join('\n');
  const statements = kept
    .split(/;[ \t]*\n/)
    .map((s) => s.replace(/\/\*[\s\S]*?\*\//g, '').trim())
    .filter(Boolean);
  for (const sql of statements) await knex.raw(sql);
}
