import type { Knex } from 'knex';
import { knexConfigFor } from '../config/knex-config';
import type { DatabaseUrl } from '../config/url';
import { KilnError, messageOf } from '../errors';
import { scratchName, urlWithDatabase, type ScratchDatabase } from './scratch';

/** The statements a server dialect needs to create and drop a database named `name` (no quoting needed). */
export interface ServerScratchSql {
  readonly label: string;
  /** Run on the configured database: the CREATE DATABASE statement. */
  create(knex: Knex, name: string): Promise<void>;
  /** Run on the scratch database once created (e.g. the configured PostgreSQL schema). */
  prepare?(knex: Knex, configured: DatabaseUrl): Promise<void>;
  drop(knex: Knex, name: string): Promise<void>;
}

async function withKnex<T>(url: DatabaseUrl, work: (knex: Knex) => Promise<T>): Promise<T> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const knex = (require('knex') as typeof import('knex').knex)({ ...knexConfigFor(url), pool: { min: 0, max: 1 } });
  try {
    return await work(knex);
  } finally {
    await knex.destroy();
  }
}

/**
 * Creates the scratch database through a connection to the configured one (which is only used
 * to run CREATE/DROP DATABASE: nothing in it is read or changed).
 */
export async function createServerScratch(sql: ServerScratchSql, configured: DatabaseUrl, raw: string): Promise<ScratchDatabase> {
  const name = scratchName();
  try {
    await withKnex(configured, (knex) => sql.create(knex, name));
  } catch (e) {
    throw new KilnError('CONNECTION', `cannot create a scratch database on the ${sql.label} server: ${messageOf(e)}`, {
      hint: 'kiln db adopt needs the right to create databases (CREATE DATABASE) on the configured server',
      cause: e,
    });
  }
  const url = urlWithDatabase(raw, name);
  const { parseDatabaseUrl } = await import('../config/url.js');
  const scratchUrl = parseDatabaseUrl(url);
  let dropped = false;
  const drop = async () => {
    if (dropped) return;
    dropped = true;
    await withKnex(configured, (knex) => sql.drop(knex, name));
  };
  try {
    if (sql.prepare) await withKnex(scratchUrl, (knex) => sql.prepare!(knex, configured));
  } catch (e) {
    await drop().catch(() => undefined);
    throw new KilnError('CONNECTION', `cannot prepare the scratch database ${name}: ${messageOf(e)}`, { cause: e });
  }
  return { url, name, drop };
}
