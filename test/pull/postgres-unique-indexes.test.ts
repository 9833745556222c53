/**
 * A unique index made by hand on PostgreSQL (`CREATE UNIQUE INDEX`, no constraint) is pulled as a
 * unique rule like a UNIQUE constraint. A migration that changed or dropped it wrote ALTER TABLE
 * ... DROP CONSTRAINT, which finds nothing: the upgrade failed (and the online form had already
 * cleared the index's comment). It is now dropped with DROP INDEX, and a baseline or a down()
 * re-creates it as an index, not as a constraint.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Knex } from 'knex';
import { expectNoDrift, withAdoption } from '../helpers/adoption';
import { kiln, ok } from '../helpers/cli';
import { testDialects } from '../helpers/dialects';

jest.setTimeout(180000);

const SCHEMA = [
  'CREATE TABLE w (id int PRIMARY KEY, a int, b int)',
  'CREATE UNIQUE INDEX w_a_uidx ON w (a)',
  "COMMENT ON INDEX w_a_uidx IS 'one w per a'",
];

/** The unique rules of w: each index, whether a constraint owns it, and its comment. */
const RULES = `SELECT c.relname AS name, pg_get_indexdef(c.oid) AS def, EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = c.oid) AS constraint,
  obj_description(c.oid, 'pg_class') AS comment
  FROM pg_index x JOIN pg_class c ON c.oid = x.indexrelid WHERE x.indrelid = 'w'::regclass AND NOT x.indisprimary ORDER BY 1`;

const rules = async (knex: Knex) => (await knex.raw(RULES)).rows;

describe.each(testDialects().filter((d) => d.name === 'postgres'))('unique indexes made by hand on $name', (dialect) => {
  test.each([[[]], [['--no-online']]])('a baseline keeps it an index; changing it drops the index; down() restores it (db migrate %j)', (flags: string[]) =>
    withAdoption(dialect, 2, {}, async ({ dir, dbs: [db, copy] }) => {
      const env = { DATABASE_URL: db.url };
      const knex = db.connect();
      for (const sql of SCHEMA) await knex.raw(sql);
      const original = await rules(knex);
      expect(original).toEqual([{ name: 'w_a_uidx', def: expect.stringContaining('UNIQUE INDEX w_a_uidx'), constraint: false, comment: 'one w per a' }]);
      ok(await kiln(['db', 'pull'], { cwd: dir, env }));
      await expectNoDrift(dir, db.url);
      ok(await kiln(['db', 'baseline', '-m', 'base'], { cwd: dir, env }));
      ok(await kiln(['db', 'upgrade'], { cwd: dir, env: { DATABASE_URL: copy.url } }));
      expect(await rules(copy.connect())).toEqual(original);

      const file = path.join(dir, 'models', 'w.ts');
      const text = fs.readFileSync(file, 'utf8');
      expect(text).toContain("a: Integer().unique('w_a_uidx'),");
      fs.writeFileSync(file, text.replace("a: Integer().unique('w_a_uidx'),", 'a: Integer(),').replace(/\n\s*\},\n\);\n$/, "\n  },\n  { uniques: [{ columns: ['a', 'b'], name: 'w_a_uidx' }] },\n);\n"));
      ok(await kiln(['db', 'migrate', '-m', 'wider', ...flags], { cwd: dir, env }));
      ok(await kiln(['db', 'upgrade'], { cwd: dir, env }));
      expect(await rules(knex)).toEqual([{ name: 'w_a_uidx', def: expect.stringContaining('(a, b)'), constraint: true, comment: 'one w per a' }]);
      await expectNoDrift(dir, db.url);
      ok(await kiln(['db', 'downgrade'], { cwd: dir, env }));
      expect(await rules(knex)).toEqual(original);
    }));
});
