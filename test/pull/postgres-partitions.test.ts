/**
 * PostgreSQL partitioned tables and table inheritance: the model language cannot say either.
 * They used to read back as plain tables, so `db pull` and `db check` were silent and a baseline
 * (or a `down` re-creating the table) made a plain table: the partitioning, the partitions and the
 * inheritance gone. Now each is kept as it is: named in pull's notes and `db check`'s list, and a
 * migration that would re-create such a table is refused with one line naming what.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { withAdoption } from '../helpers/adoption';
import { kiln } from '../helpers/cli';
import { testDialects } from '../helpers/dialects';

jest.setTimeout(180000);

const SCHEMA = [
  'CREATE TABLE events (id bigint NOT NULL, at date NOT NULL, payload text, PRIMARY KEY (id, at)) PARTITION BY RANGE (at)',
  "CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')",
  'CREATE TABLE base (id integer PRIMARY KEY, name text)',
  'CREATE TABLE child (extra integer) INHERITS (base)',
  "INSERT INTO events VALUES (1, '2024-03-01', 'x')",
  "INSERT INTO child VALUES (1, 'c', 2)",
];

describe.each(testDialects().filter((d) => d.name === 'postgres'))('partitions and inheritance on $name', (dialect) => {
  test('pull and check name them; migrations leave them alone; a baseline is refused, naming them', () =>
    withAdoption(dialect, 1, {}, async ({ dir, dbs: [db] }) => {
      const env = { DATABASE_URL: db.url };
      const knex = db.connect();
      for (const sql of SCHEMA) await knex.raw(sql);
      const pulled = await kiln(['db', 'pull'], { cwd: dir, env });
      expect(pulled.code).toBe(0);
      expect(pulled.stderr).toContain('partitioning PARTITION BY RANGE (at) is not managed by kiln (kept as it is)');
      expect(pulled.stderr).toContain('inheritance INHERITS (base) is not managed by kiln (kept as it is)');
      // The partition is not a table of its own in the models.
      expect(fs.readdirSync(path.join(dir, 'models')).sort()).toEqual(['base.ts', 'child.ts', 'events.ts']);

      const check = await kiln(['db', 'check'], { cwd: dir, env });
      expect(check.code).toBe(0);
      expect(check.stdout).toContain('No new upgrade operations detected');
      expect(check.stdout).toContain("Unmanaged partitioning 'PARTITION BY RANGE (at)' on 'events'");
      expect(check.stdout).toContain("Unmanaged inheritance 'INHERITS (base)' on 'child'");

      const baseline = await kiln(['db', 'baseline', '-m', 'baseline'], { cwd: dir, env });
      expect(baseline.code).not.toBe(0);
      const errors = baseline.stderr.split('\n').filter((l) => l.startsWith('error:'));
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatch(/table '(child|events)' has (inheritance INHERITS \(base\)|partitioning PARTITION BY RANGE \(at\)), which kiln cannot recreate/);
      expect(fs.readdirSync(path.join(dir, 'migrations'))).toEqual([]);

      // A new model next to them: the migration leaves them alone, and their rows stay.
      fs.writeFileSync(path.join(dir, 'models', 'note.ts'), "import { model, Integer, Text } from 'kiln';\nexport const Note = model('Note', { id: Integer().primaryKey(), body: Text() });\n");
      const migrate = await kiln(['db', 'migrate', '-m', 'note'], { cwd: dir, env });
      expect(migrate.code).toBe(0);
      const [file] = fs.readdirSync(path.join(dir, 'migrations'));
      const body = fs.readFileSync(path.join(dir, 'migrations', file), 'utf8');
      expect(body).toContain("createTable('note'");
      expect(body).not.toMatch(/events|'child'|'base'/);
      expect((await kiln(['db', 'upgrade'], { cwd: dir, env })).code).toBe(0);
      expect(await knex('events').count('* as n')).toEqual([{ n: '1' }]);
      expect(await knex('child').select('extra')).toEqual([{ extra: 2 }]);
      const [parts] = (await knex.raw("SELECT count(*)::int AS n FROM pg_inherits WHERE inhparent = 'events'::regclass")).rows;
      expect(parts.n).toBe(1);
    }));
});

describe.each(testDialects().filter((d) => d.name === 'postgres'))('an UNLOGGED table on $name', (dialect) => {
  test('pull and check name it; a baseline re-creates it unlogged', () =>
    withAdoption(dialect, 2, {}, async ({ dir, dbs: [db, fresh] }) => {
      const env = { DATABASE_URL: db.url };
      await db.connect().raw('CREATE UNLOGGED TABLE cache (k text PRIMARY KEY, v jsonb)');
      const pulled = await kiln(['db', 'pull'], { cwd: dir, env });
      expect(pulled.code).toBe(0);
      expect(pulled.stderr).toContain('persistence UNLOGGED is not managed by kiln (kept as it is)');
      const check = await kiln(['db', 'check'], { cwd: dir, env });
      expect(check.stdout).toContain("Unmanaged persistence 'UNLOGGED' on 'cache'");
      expect(check.stdout).toContain('No new upgrade operations detected');
      expect((await kiln(['db', 'baseline', '-m', 'base'], { cwd: dir, env })).code).toBe(0);
      const up = await kiln(['db', 'upgrade'], { cwd: dir, env: { DATABASE_URL: fresh.url } });
      expect(up.stderr).toBe('');
      const persistence = async (k: ReturnType<typeof db.connect>) => (await k.raw("SELECT relpersistence AS p FROM pg_class WHERE relname = 'cache'")).rows[0].p;
      expect(await persistence(fresh.connect())).toBe('u');
      expect(await persistence(db.connect())).toBe('u');
    }));
});
