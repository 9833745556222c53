/**
 * MySQL/MariaDB TIMESTAMP columns (stored in UTC, read in the session's time zone). They were
 * read as DateTime(): a baseline made DATETIME columns, and a model edit as small as a comment
 * restated the column as DATETIME, freezing every value at the session's local time, in silence.
 * Now they read as Custom('timestamp') / Custom('timestamp(3)'): pull, check, initdb and a
 * baseline keep them, and a model that turns one into a DateTime is flagged as a narrowing.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Knex } from 'knex';
import { expectInitdb, expectNoDrift, withAdoption } from '../helpers/adoption';
import { kiln, ok, writeFile } from '../helpers/cli';
import { testDialects } from '../helpers/dialects';

jest.setTimeout(180000);


const SCHEMA = 'CREATE TABLE ev (id INT PRIMARY KEY, created TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP, seen_at TIMESTAMP NULL DEFAULT NULL, at3 TIMESTAMP(3) NULL, plain DATETIME NULL)';

async function catalog(knex: Knex): Promise<string[]> {
  const [rows] = await knex.raw(
    "SELECT COLUMN_NAME AS c, COLUMN_TYPE AS t, IS_NULLABLE AS n, COLUMN_DEFAULT AS d FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'ev' ORDER BY ORDINAL_POSITION",
  );
  return (rows as Record<string, unknown>[]).map((r) => [r.c, r.t, r.n, r.d].join(' | '));
}

describe.each(testDialects().filter((d) => d.name === 'mysql'))('TIMESTAMP columns on $name', (dialect) => {
  test('pull says Custom(timestamp); initdb and a baseline keep TIMESTAMP; turning one into DateTime is flagged', () =>
    withAdoption(dialect, 3, {}, async ({ dir, dbs: [db, second, third], model }) => {
      const env = { DATABASE_URL: db.url };
      const knex = db.connect();
      await knex.raw(SCHEMA);
      ok(await kiln(['db', 'pull'], { cwd: dir, env }));
      const source = model('ev.ts');
      expect(source).toContain("created: Custom('timestamp').notNull().defaultRaw('CURRENT_TIMESTAMP'),");
      expect(source).toContain("seen_at: Custom('timestamp'),");
      expect(source).toContain("at3: Custom('timestamp(3)'),");
      expect(source).toContain('plain: DateTime(),');
      await expectNoDrift(dir, db.url);
      const original = await catalog(knex);
      expect(original[1]).toMatch(/^created \| timestamp \| NO \| current_timestamp/i);

      await expectInitdb(dir, second.url);
      expect(await catalog(second.connect())).toEqual(original);
      ok(await kiln(['db', 'baseline', '-m', 'base'], { cwd: dir, env }));
      ok(await kiln(['db', 'upgrade'], { cwd: dir, env: { DATABASE_URL: third.url } }));
      expect(await catalog(third.connect())).toEqual(original);

      writeFile(dir, 'models/ev.ts', source.replace("seen_at: Custom('timestamp'),", 'seen_at: DateTime(),'));
      const migrate = ok(await kiln(['db', 'migrate', '-m', 'to datetime'], { cwd: dir, env }));
      expect(migrate.stdout + migrate.stderr).toContain("narrows column 'ev.seen_at' (custom(timestamp) -> datetime)");
      const file = fs.readdirSync(path.join(dir, 'migrations')).find((f) => f.endsWith('_to_datetime.ts'))!;
      expect(fs.readFileSync(path.join(dir, 'migrations', file), 'utf8')).toContain("// kiln: narrows column 'ev.seen_at' (custom(timestamp) -> datetime)");
    }));
});
