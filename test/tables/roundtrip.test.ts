/**
 * Issue 11 items 3-5 (CHECK constraints, indexes beyond plain columns, comments) through the
 * library's migrate/upgrade/check/downgrade, on every dialect of this run: the initial
 * migration, `db check` clean, the objects really in the database (a check refuses a row), an
 * edit of each kind, `db check` clean again, rows kept, and `db downgrade` back to exactly the
 * schema of before.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadConfig } from '../../src/config/load';
import { expressionKey } from '../../src/schema/expression';
import type { Schema } from '../../src/schema/types';
import { makeProject, rmProject } from '../helpers/cli';
import { freshDatabase } from '../helpers/databases';
import { testDialects } from '../helpers/dialects';
import { dumpData, liveSchema } from '../helpers/snapshot';
import { check, migrate, run } from '../roundtrip/library';
import { productModels } from './models';

/** A schema with expressions as their comparison keys: a database prints back a check it was given in its own printing differently (PostgreSQL adds casts each time). */
function comparable(schema: Schema): Schema {
  const key = (s: string | undefined) => (s === undefined ? undefined : expressionKey(s));
  return {
    tables: schema.tables.map((t) => ({
      ...t,
      checks: t.checks?.map((c) => ({ ...c, expression: key(c.expression)! })),
      indexes: t.indexes.map((i) => ({ ...i, expression: key(i.expression), where: key(i.where) })),
    })),
  };
}

const ROWS = [
  { id: 1, name: 'cup', email: 'a@x', price: 2.5, qty: 3, status: 'new', deleted_at: null },
  { id: 2, name: 'pot', email: 'b@x', price: 10, qty: 1, status: 'old', deleted_at: null },
];

describe.each(testDialects().map((d) => [d.name, d] as const))('checks, indexes and comments on %s', (dialectName, dialect) => {
  test('migrate, check clean, edit, check clean, downgrade to exactly the schema of before', async () => {
    const db = await freshDatabase(dialect);
    const dir = makeProject({ 'models1/m.ts': productModels(dialectName, false), 'models2/m.ts': productModels(dialectName, true) });
    try {
      fs.mkdirSync(path.join(dir, 'migrations'));
      const config1 = { ...(await loadConfig({ cwd: dir, env: { DATABASE_URL: db.url } })), models: path.join(dir, 'models1') };
      const config2 = { ...config1, models: path.join(dir, 'models2') };
      expect((await migrate(config1, 'initial')).length).toBeGreaterThan(0);
      await run(config1, 'up', 'head');
      expect(await check(config1)).toEqual([]);
      const knex = db.connect();
      await knex('product').insert(ROWS);
      // The checks are in force.
      await expect(knex('product').insert({ id: 3, name: 'bad', price: -1, qty: 0 })).rejects.toThrow();
      await expect(knex('product').insert({ id: 3, name: 'bad', qty: 0, status: 'odd' })).rejects.toThrow();
      await expect(knex('product').insert({ id: 3, name: '', qty: 0 })).rejects.toThrow();
      const before = await liveSchema(knex, dialectName);
      const rowsBefore = await dumpData(knex, before);
      const table = before.tables.find((t) => t.name === 'product')!;
      expect(table.checks?.length).toBe(4);
      if (dialectName !== 'sqlite') {
        expect(table.comment).toBe('things we sell');
        expect(table.columns.find((c) => c.name === 'name')?.comment).toBe("the product's name? yes \\ no");
      }

      const ops = await migrate(config2, 'edit');
      expect(ops.length).toBeGreaterThan(0);
      await run(config2, 'up', 'head');
      expect(await check(config2)).toEqual([]);
      expect(await migrate(config2, 'nothing')).toEqual([]);
      await expect(knex('product').insert({ id: 3, name: 'w', qty: 0, weight: 0 })).rejects.toThrow();
      await knex('product').insert({ id: 3, name: '', qty: 0, status: 'gone', weight: 1 });
      await knex('product').where({ id: 3 }).delete();

      await run(config2, 'down', '-1');
      expect(comparable(await liveSchema(knex, dialectName))).toEqual(comparable(before));
      expect(await dumpData(knex, before)).toEqual(rowsBefore);
      // The models of before are in step again (the edit is pending).
      expect((await check(config1)).filter((line) => !line.startsWith('pending '))).toEqual([]);
      await run(config1, 'down', 'base');
    } finally {
      await db.cleanup();
      rmProject(dir);
    }
  });
});
