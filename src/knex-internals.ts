/**
 * Every use of Knex's private API, in one place. Knex does not promise these across releases:
 * kiln pins knex to the minor it is tested with (`~3.3` in package.json), and
 * test/unit/knex-internals.test.ts fails loudly when a release moves one of them. Each getter
 * checks the shape it relies on and throws a plain Error naming what moved, never a silent
 * fallback.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
import type { Knex } from 'knex';

const TESTED = 'knex ~3.3';

function moved(what: string): Error {
  return new Error(`Knex's private API '${what}' is not where kiln expects it (kiln is tested with ${TESTED}): pin knex to ${TESTED}`);
}

/** A module inside knex's package (`knex/lib/...`); a missing one is reported as moved. */
function knexModule(file: string): unknown {
  try {
    return require(`knex/${file}`) as unknown;
  } catch (e) {
    if ((e as { code?: unknown }).code === 'MODULE_NOT_FOUND' && String((e as Error).message).includes(`'knex/${file}'`)) throw moved(file);
    throw e;
  }
}

type FormatQuery = (sql: string, bindings: unknown, tz: unknown, client: unknown) => string;

/** `knex/lib/execution/internal/query-executioner`'s formatQuery: a statement with its bindings inlined, as Knex prints it. */
export function formatQuery(sql: string, bindings: unknown, client: unknown): string {
  const mod = knexModule('lib/execution/internal/query-executioner') as { formatQuery?: FormatQuery };
  if (typeof mod.formatQuery !== 'function') throw moved('lib/execution/internal/query-executioner formatQuery');
  return mod.formatQuery(sql, bindings, undefined, client);
}

/**
 * A transaction's `executionPromise`: where Knex puts the error of a COMMIT (or of a BEGIN)
 * that failed while `trx.commit()` itself resolved. Undefined when the transaction has none.
 */
export function executionPromise(trx: Knex.Transaction): Promise<unknown> | undefined {
  const p = (trx as unknown as { executionPromise?: unknown }).executionPromise;
  if (p !== undefined && !(p instanceof Promise)) throw moved('Transaction#executionPromise');
  return p;
}

type Ctor = new (...args: unknown[]) => object;

/** `knex/lib/dialects/sqlite3`'s client and its transaction class (whose `begin` kiln overrides). */
export function sqlite3Classes(): { readonly Client: Ctor; readonly Transaction: Ctor } {
  const Client = knexModule('lib/dialects/sqlite3');
  const Transaction = knexModule('lib/dialects/sqlite3/execution/sqlite-transaction');
  if (typeof Client !== 'function' || typeof (Client.prototype as { transaction?: unknown }).transaction !== 'function') throw moved('lib/dialects/sqlite3');
  if (typeof Transaction !== 'function' || typeof (Transaction.prototype as { begin?: unknown }).begin !== 'function' || typeof (Transaction.prototype as { query?: unknown }).query !== 'function') {
    throw moved('lib/dialects/sqlite3/execution/sqlite-transaction');
  }
  return { Client: Client as Ctor, Transaction: Transaction as Ctor };
}

/** The statement Knex's client runs for every query: `client.query(connection, { sql, bindings })`. */
export type ClientQuery = (this: unknown, conn: unknown, query: string | { sql: string; bindings?: readonly unknown[] }) => Promise<unknown>;

/**
 * Replaces `client.query` on `host` (a Knex client, or its prototype so that the clients Knex
 * makes for transactions see it too) and returns the function that puts the original back.
 */
export function patchClientQuery(host: object, replace: (original: ClientQuery) => ClientQuery): () => void {
  const target = host as { query?: unknown };
  if (typeof target.query !== 'function') throw moved('Client#query');
  const own = Object.prototype.hasOwnProperty.call(host, 'query');
  const original = target.query as ClientQuery;
  target.query = replace(original);
  return () => {
    if (own) target.query = original;
    else delete target.query;
  };
}
