import * as fs from 'node:fs';
import * as path from 'node:path';
import knexFactory from 'knex';
import { executionPromise, formatQuery, patchClientQuery, sqlite3Classes, type ClientQuery } from '../../src/knex-internals';

// Smoke test of the Knex private API kiln uses (src/knex-internals.ts): a Knex release that
// moves any of it fails here, by name, before any user sees a wrong result.

const root = path.resolve(__dirname, '../..');

describe('Knex private API (src/knex-internals.ts)', () => {
  const knex = knexFactory({ client: 'sqlite3', connection: { filename: ':memory:' }, useNullAsDefault: true });
  afterAll(() => knex.destroy());

  test('knex is pinned to the tested minor, and the installed one is that minor', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    expect(pkg.dependencies.knex).toBe('~3.3.0');
    const installed = (JSON.parse(fs.readFileSync(require.resolve('knex/package.json'), 'utf8')) as { version: string }).version;
    expect(installed).toMatch(/^3\.3\.\d+$/);
  });

  test('query-executioner formatQuery inlines bindings as Knex prints them', () => {
    expect(formatQuery('select ? as a, ? as b', [1, "it's"], knex.client)).toBe("select 1 as a, 'it''s' as b");
  });

  test('a transaction carries executionPromise, which rejects with the transaction failure', async () => {
    const trx = await knex.transaction();
    await trx.raw('select 1');
    await trx.commit();
    const p = executionPromise(trx);
    expect(p).toBeInstanceOf(Promise);
    await p; // resolves: the COMMIT succeeded
    const bad = await knex.transaction();
    await bad.raw('create table t (id integer primary key)');
    await bad.rollback(new Error('boom')).catch(() => undefined);
    await expect(executionPromise(bad)).rejects.toThrow('boom');
  });

  test('dialects/sqlite3 client and transaction classes, with begin and query', () => {
    const { Client, Transaction } = sqlite3Classes();
    expect(knex.client).toBeInstanceOf(Client);
    expect(typeof (Transaction.prototype as { begin?: unknown }).begin).toBe('function');
  });

  test('client.query is what every statement goes through, and can be patched and restored', async () => {
    const seen: string[] = [];
    const restore = patchClientQuery(knex.client as object, (original: ClientQuery) =>
      function (this: unknown, conn, q) {
        seen.push(typeof q === 'string' ? q : q.sql);
        return original.call(this, conn, q);
      },
    );
    await knex.raw('select 42');
    restore();
    await knex.raw('select 43');
    expect(seen).toEqual(['select 42']);
    expect(Object.prototype.hasOwnProperty.call(knex.client, 'query')).toBe(false);
  });

  test('a moved member fails loudly, naming it and the tested knex', () => {
    expect(() => patchClientQuery({}, (o) => o)).toThrow("Knex's private API 'Client#query' is not where kiln expects it (kiln is tested with knex ~3.3)");
  });
});
