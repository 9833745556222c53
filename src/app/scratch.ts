import { introspectOptionsOf } from '../introspect/config-options';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ResolvedConfig } from '../config/load';
import { knexConfigFor } from '../config/knex-config';
import { parseDatabaseUrl, redact } from '../config/url';
import { dialectOf } from '../dialect/registry';
import { KilnError, messageOf } from '../errors';
import { introspect } from '../introspect';
import { openDatabase, type Database } from '../runner/database';
import { installInterruptHandlers, interruptedError } from '../runner/interrupt';
import type { Schema } from '../schema/types';

/** A scratch database: the project's config pointed at it, and a check for Ctrl-C between steps. */
export interface Scratch {
  /** The scratch database's name (SQLite: its file name), for messages. */
  readonly name: string;
  readonly config: ResolvedConfig;
  /** Opened with the runner's options (foreign keys off on SQLite, migration lock). */
  readonly db: Database;
  /** Throws when Ctrl-C or SIGTERM arrived: the work stops at its next step, the scratch is dropped. */
  readonly checkSignal: () => void;
  /** The scratch database's schema now (bookkeeping tables left out). */
  readonly schema: () => Promise<Schema>;
}

/**
 * Runs `work` on a throwaway database of the project's dialect: a temporary SQLite file, or a
 * `kiln_scratch_<hex>` database created through the configured server (its user needs the right
 * to create databases). It is removed afterwards, on failure too, and on Ctrl-C/SIGTERM: the
 * signal lets the current step finish, then the work stops and the database is dropped (a second
 * signal exits at once and says which database to drop by hand).
 */
export async function withScratchDatabase<T>(config: ResolvedConfig, work: (scratch: Scratch) => Promise<T>): Promise<T> {
  const url = parseDatabaseUrl(config.databaseUrl, config.root);
  const rules = dialectOf(url.dialect).scratch;
  const name = `kiln_scratch_${randomBytes(6).toString('hex')}`;
  let scratchUrl: string;
  let drop: () => Promise<void>;
  if (rules.kind === 'file') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-scratch-'));
    scratchUrl = `sqlite:///${path.join(dir, `${name}.db`)}`;
    drop = async () => fs.rmSync(dir, { recursive: true, force: true });
  } else {
    await onServer(config, (k) => k.raw(rules.createSql(name)), `cannot create a scratch database on ${url.display}`);
    scratchUrl = withDatabase(config.databaseUrl, name);
    drop = () => onServer(config, (k) => k.raw(rules.dropSql(name)), `cannot drop the scratch database ${name} on ${url.display} (drop it by hand)`);
    // The configured schema (PostgreSQL's ?schema= / --schema) must exist before kiln opens it.
    const schema = config.schema;
    if (schema) {
      await onServer({ ...config, databaseUrl: scratchUrl }, (k) => k.schema.createSchemaIfNotExists(schema), `cannot create schema ${schema} in the scratch database`).catch(async (e: unknown) => {
        await drop().catch(() => undefined);
        throw e;
      });
    }
  }
  const trap = trapSignals(name);
  try {
    const scratchConfig: ResolvedConfig = { ...config, databaseUrl: scratchUrl, databaseSource: 'scratch database' };
    const db = await openDatabase(scratchConfig, { foreignKeys: false, migrationLock: true });
    try {
      const schema = () => introspect(db.knex, url.dialect, introspectOptionsOf(config));
      const checkSignal = () => {
        if (trap.signal) throw interruptedError(trap.signal);
      };
      const result = await work({ name: rules.kind === 'file' ? `${name}.db` : name, config: scratchConfig, db, checkSignal, schema });
      checkSignal();
      return result;
    } finally {
      await db.close().catch(() => undefined);
    }
  } finally {
    try {
      await drop();
    } finally {
      trap.restore();
    }
  }
}

/** One statement through a short-lived connection to the configured database. */
async function onServer(config: ResolvedConfig, run: (k: import('knex').Knex) => Promise<unknown>, what: string): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const knexFactory = require('knex') as typeof import('knex').knex;
  const k = knexFactory(knexConfigFor(parseDatabaseUrl(config.databaseUrl, config.root)));
  try {
    await run(k);
  } catch (e) {
    throw new KilnError('CONNECTION', `${what}: ${redact(messageOf(e))}`, { cause: e, hint: 'the scratch database needs a user that may create and drop databases' });
  } finally {
    await k.destroy().catch(() => undefined);
  }
}

/** The same server URL naming another database (user, password, host and query string kept). */
export function withDatabase(url: string, database: string): string {
  const m = /^([a-z][a-z0-9+]*:\/\/[^/?#]*)(\/[^?#]*)?(\?[^#]*)?$/i.exec(url);
  if (!m) throw new KilnError('BAD_URL', 'cannot derive a scratch database URL from the configured database URL');
  return `${m[1]}/${database}${m[3] ?? ''}`;
}

/** While a scratch database exists, a signal is noted (the work stops at its next step) instead of exiting. */
function trapSignals(name: string): { readonly signal: NodeJS.Signals | null; restore(): void } {
  installInterruptHandlers();
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];
  const saved = new Map(signals.map((s) => [s, process.listeners(s)] as const));
  let caught: NodeJS.Signals | null = null;
  const onSignal = (signal: NodeJS.Signals) => {
    if (caught) {
      process.stderr.write(`error: interrupted again: exiting now; the scratch database ${name} may be left behind: drop it by hand\n`);
      process.exit(130);
    }
    caught = signal;
  };
  for (const s of signals) {
    process.removeAllListeners(s);
    process.on(s, onSignal);
  }
  return {
    get signal() {
      return caught;
    },
    restore() {
      for (const s of signals) {
        process.removeListener(s, onSignal);
        for (const l of saved.get(s) ?? []) process.on(s, l as (signal: NodeJS.Signals) => void);
      }
    },
  };
}
