/**
 * Issue 11's objects keep introspection at a fixed number of catalog queries on every dialect of
 * this run: tables holding an enum (on PostgreSQL a named type each), a numeric column with a
 * CHECK, a table CHECK, a stored generated column, a partial index (not on MySQL/MariaDB),
 * comments and a foreign key, made by kiln from models; 3 tables and 30 tables take the same
 * number of queries (counted by the Knex instance's 'query' event), and `db check` is clean.
 * bench/check.js --rich measures 1000 tables (docs/benchmarks.md).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadConfig } from '../../src/config/load';
import { introspect } from '../../src/introspect';
import { makeProject, rmProject, writeFile } from '../helpers/cli';
import { freshDatabase } from '../helpers/databases';
import { testDialects } from '../helpers/dialects';
import { check, migrate, run } from '../roundtrip/library';

jest.setTimeout(180000);

function richModels(from: number, to: number): string {
  const lines = ["import { model, Enum, Integer, Numeric, String } from 'kiln';", ''];
  for (let i = from; i <= to; i++) {
    const fk = i > 1 ? `\n  parent_id: Integer().references('r${i - 1}.id'),` : '';
    lines.push(`export const R${i} = model('R${i}', {
  id: Integer().primaryKey(),
  name: String(100).notNull().index().comment('the name'),
  status: Enum('new', 'open', 'closed').notNull().default('new'),
  price: Numeric(10, 2).notNull().check('price >= 0'),
  qty: Integer().notNull(),
  total: Numeric(14, 2).computed('qty * price', { stored: true }),${fk}
}, {
  tableName: 'r${i}',
  comment: 'table ${i}',
  checks: [{ expression: 'qty between 0 and 1000' }],
  indexes: [{ columns: ['status'], where: "status = 'open'", dialects: ['postgres', 'sqlite'] }],
});`);
  }
  return `${lines.join('\n')}\n`;
}

describe.each(testDialects().map((d) => [d.name, d] as const))('catalog queries with issue 11 objects on %s', (name, dialect) => {
  test('3 tables and 30 tables: the same number of queries, db check clean', async () => {
    const db = await freshDatabase(dialect);
    const dir = makeProject({ 'kiln.config.ts': "export default { models: 'models', migrations: 'migrations' };\n", 'models/a.ts': richModels(1, 3) });
    fs.mkdirSync(path.join(dir, 'migrations'));
    const knex = db.connect();
    try {
      const config = await loadConfig({ cwd: dir, env: { DATABASE_URL: db.url } });
      const count = async () => {
        let n = 0;
        const counter = () => n++;
        knex.on('query', counter);
        try {
          const schema = await introspect(knex, name);
          return { n, tables: schema.tables.length };
        } finally {
          knex.removeListener('query', counter);
        }
      };
      await migrate(config, 'three');
      await run(config, 'up', 'head');
      expect(await check(config)).toEqual([]);
      const three = await count();
      writeFile(dir, 'models/b.ts', richModels(4, 30));
      await migrate(config, 'thirty');
      await run(config, 'up', 'head');
      expect(await check(config)).toEqual([]);
      const thirty = await count();
      expect([three.tables, thirty.tables]).toEqual([3, 30]);
      expect(thirty.n).toBe(three.n);
      // The introspection's statements on this connection, fixed per dialect: the catalog queries,
      // the views' and the triggers' since issue 12, on PostgreSQL the standalone sequences'
      // (issue 12 item 4), and on MariaDB also VERSION() and DATABASE() (the name its view texts
      // carry) and the list of its sequences (none here; with some, one more query reads them all).
      expect(three.n).toBe({ sqlite: 5, postgres: 7, mysql: 11 }[name]);
    } finally {
      await knex.destroy();
      await db.cleanup();
      rmProject(dir);
    }
  });
});
