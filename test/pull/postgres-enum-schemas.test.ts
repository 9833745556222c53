/**
 * PostgreSQL enum types of a schema other than their table's (`shared.mood` used by a table of
 * `public`, `public.kind` by one of `billing`) and a type whose own name holds a '.'
 * (`"Odd.Name"`). They were pulled by their bare name (`{ name: 'mood' }`, `{ name: 'Name' }`):
 * `db check` then reported the types added and removed, and a baseline created `"Odd"."Name"`, so
 * a fresh database could not run it. Now a model names such a type with its schema
 * (`{ name: 'shared.mood' }`, `{ name: 'public.Odd.Name' }`), pull writes that, check is clean,
 * and a baseline (or a model's migration) creates each type in its schema, the schema too where
 * the database lacks it; `down` drops the types, and a schema only where its `up` created it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Knex } from 'knex';
import { expectInitdb, expectNoDrift, withAdoption } from '../helpers/adoption';
import { expectUserError, kiln } from '../helpers/cli';
import { testDialects } from '../helpers/dialects';

jest.setTimeout(240000);

const CONFIG = { 'kiln.config.ts': "export default { models: 'models', migrations: 'migrations', schemas: ['public', 'billing'] };\n" };

const SCHEMA = [
  'CREATE SCHEMA shared',
  "CREATE TYPE shared.mood AS ENUM ('sad', 'ok', 'happy')",
  `CREATE TYPE "Odd.Name" AS ENUM ('a', 'b')`,
  `CREATE TYPE shared."it's" AS ENUM ('x''y', 'z')`,
  "CREATE TYPE kind AS ENUM ('in', 'out')",
  `CREATE TABLE person (id serial PRIMARY KEY, mood shared.mood NOT NULL DEFAULT 'ok', odd "Odd.Name", quoted shared."it's")`,
  'CREATE SCHEMA billing',
  "CREATE TYPE billing.status AS ENUM ('draft', 'paid')",
  `CREATE TYPE billing."Dot.Ted" AS ENUM ('u')`,
  "CREATE TABLE billing.invoice (id serial PRIMARY KEY, mood shared.mood, kind kind NOT NULL, status billing.status DEFAULT 'draft', dotted billing.\"Dot.Ted\", note text)",
];

/** Every enum type outside the system schemas: its schema, name and labels. */
const TYPES = `SELECT n.nspname AS schema, t.typname AS name, array_agg(e.enumlabel::text ORDER BY e.enumsortorder) AS labels
FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace JOIN pg_enum e ON e.enumtypid = t.oid
GROUP BY 1, 2 ORDER BY 1, 2`;
/** The columns of the tables of public and billing: the type's schema and name, the default. */
const COLUMNS = `SELECT n.nspname AS schema, c.relname AS table, a.attname AS column, tn.nspname AS type_schema, t.typname AS type,
  a.attnotnull AS not_null, pg_get_expr(d.adbin, d.adrelid) AS def
FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_type t ON t.oid = a.atttypid JOIN pg_namespace tn ON tn.oid = t.typnamespace
LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
WHERE n.nspname IN ('public', 'billing') AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped AND c.relname IN ('person', 'invoice')
ORDER BY 1, 2, a.attnum`;
const SCHEMAS = "SELECT nspname FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%' AND nspname <> 'information_schema' ORDER BY 1";

const rows = async (knex: Knex, sql: string) => (await knex.raw(sql)).rows as Record<string, unknown>[];

describe.each(testDialects().filter((d) => d.name === 'postgres'))('enum types of other schemas on $name', (dialect) => {
  test('pull names them with their schema, check is clean, a baseline re-creates them in their schemas', () =>
    withAdoption(dialect, 3, CONFIG, async ({ dir, dbs: [db, fresh, init], model }) => {
      const env = { DATABASE_URL: db.url };
      const knex = db.connect();
      for (const sql of SCHEMA) await knex.raw(sql);
      const pulled = await kiln(['db', 'pull'], { cwd: dir, env });
      expect(pulled.stderr).toBe('');
      expect(pulled.code).toBe(0);
      const person = model('person.ts');
      expect(person).toContain("mood: Enum('sad', 'ok', 'happy', { name: 'shared.mood' }).notNull().default('ok'),");
      expect(person).toContain("odd: Enum('a', 'b', { name: 'public.Odd.Name' }),");
      expect(person).toContain(`quoted: Enum('x\\'y', 'z', { name: 'shared.it\\'s' }),`);
      const invoice = model('invoice.ts');
      expect(invoice).toContain("mood: Enum('sad', 'ok', 'happy', { name: 'shared.mood' }),");
      expect(invoice).toContain("kind: Enum('in', 'out', { name: 'public.kind' }).notNull(),");
      // A type of the table's own schema is named bare, as before.
      expect(invoice).toContain("status: Enum('draft', 'paid', { name: 'status' }).default('draft'),");
      expect(invoice).toContain("dotted: Enum('u', { name: 'billing.Dot.Ted' }),");
      await expectNoDrift(dir, db.url);

      const baseline = await kiln(['db', 'baseline', '-m', 'baseline'], { cwd: dir, env });
      expect(baseline.code).toBe(0);
      const [file] = fs.readdirSync(path.join(dir, 'migrations'));
      const source = fs.readFileSync(path.join(dir, 'migrations', file), 'utf8');
      expect(source).toContain(`await knex.raw('CREATE TYPE "Odd.Name" AS ENUM (\\'a\\', \\'b\\')');`);
      expect(source).toContain("await knex.schema.createSchemaIfNotExists('shared');");
      const up = await kiln(['db', 'upgrade'], { cwd: dir, env: { DATABASE_URL: fresh.url } });
      expect(up.stderr).toBe('');
      expect(up.code).toBe(0);
      const copy = fresh.connect();
      const types = await rows(knex, TYPES);
      expect(types).toEqual([
        { schema: 'billing', name: 'Dot.Ted', labels: ['u'] },
        { schema: 'billing', name: 'status', labels: ['draft', 'paid'] },
        { schema: 'public', name: 'Odd.Name', labels: ['a', 'b'] },
        { schema: 'public', name: 'kind', labels: ['in', 'out'] },
        { schema: 'shared', name: "it's", labels: ["x'y", 'z'] },
        { schema: 'shared', name: 'mood', labels: ['sad', 'ok', 'happy'] },
      ]);
      expect(await rows(copy, TYPES)).toEqual(types);
      expect(await rows(copy, COLUMNS)).toEqual(await rows(knex, COLUMNS));
      expect(await rows(copy, SCHEMAS)).toEqual(await rows(knex, SCHEMAS));
      await copy('person').insert({ odd: 'b' });
      expect(await copy('person').select('mood', 'odd')).toEqual([{ mood: 'ok', odd: 'b' }]);
      await expectNoDrift(dir, fresh.url);

      await expectInitdb(dir, init.url);
      const built = init.connect();
      expect(await rows(built, TYPES)).toEqual(types);
      expect(await rows(built, COLUMNS)).toEqual(await rows(knex, COLUMNS));

      // down drops the tables, the types and the schemas its up created.
      await copy('person').del();
      const down = await kiln(['db', 'downgrade', 'base'], { cwd: dir, env: { DATABASE_URL: fresh.url } });
      expect(down.stderr).toBe('');
      expect(down.code).toBe(0);
      expect(await rows(copy, TYPES)).toEqual([]);
      expect((await rows(copy, SCHEMAS)).map((r) => r.nspname)).toEqual(['public']);
    }));

  test('models naming them: migrate, upgrade, check, change their values, downgrade leaves a schema kiln did not create', () =>
    withAdoption(dialect, 1, CONFIG, async ({ dir, dbs: [db] }) => {
      const env = { DATABASE_URL: db.url };
      const knex = db.connect();
      // `shared` exists before kiln (empty: DROP SCHEMA would succeed); `extra` does not.
      await knex.raw('CREATE SCHEMA shared');
      const models = (mood: string, odd: string, kind: string) => `import { model, Enum, Integer } from 'kiln';
export const Person = model('Person', {
  id: Integer().primaryKey(),
  mood: Enum(${mood}, { name: 'shared.mood' }).notNull().default('ok'),
  odd: Enum(${odd}, { name: 'public.Odd.Name' }),
  plain: Enum('p', 'q', { name: 'public.plain' }),
});
export const Invoice = model('Invoice', {
  id: Integer().primaryKey(),
  mood: Enum(${mood}, { name: 'shared.mood' }),
  kind: Enum(${kind}, { name: 'extra.kind' }),
  status: Enum('draft', 'paid'),
}, { schema: 'billing' });
`;
      fs.mkdirSync(path.join(dir, 'models'));
      const write = (source: string) => fs.writeFileSync(path.join(dir, 'models', 'm.ts'), source);
      write(models("'sad', 'ok', 'happy'", "'a', 'b'", "'in', 'out'"));
      const migrate = await kiln(['db', 'migrate', '-m', 'init'], { cwd: dir, env });
      expect(migrate.stderr).toBe('');
      expect(migrate.code).toBe(0);
      const [init] = fs.readdirSync(path.join(dir, 'migrations'));
      const source = fs.readFileSync(path.join(dir, 'migrations', init), 'utf8');
      expect(source).toContain("createSchemaIfNotExists('extra')");
      expect(source).toContain("createSchemaIfNotExists('billing')");
      expect(source).not.toContain("createSchemaIfNotExists('shared')");
      expect(source).toContain('CREATE TYPE "plain" AS ENUM');
      expect(source).toContain('CREATE TYPE "billing"."invoice_status" AS ENUM');
      let r = await kiln(['db', 'upgrade'], { cwd: dir, env });
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(await rows(knex, TYPES)).toEqual([
        { schema: 'billing', name: 'invoice_status', labels: ['draft', 'paid'] },
        { schema: 'extra', name: 'kind', labels: ['in', 'out'] },
        { schema: 'public', name: 'Odd.Name', labels: ['a', 'b'] },
        { schema: 'public', name: 'plain', labels: ['p', 'q'] },
        { schema: 'shared', name: 'mood', labels: ['sad', 'ok', 'happy'] },
      ]);
      expect((await rows(knex, COLUMNS)).map((c) => `${c.table}.${c.column}: ${c.type_schema}.${c.type}`)).toEqual([
        'invoice.id: pg_catalog.int4',
        'invoice.mood: shared.mood',
        'invoice.kind: extra.kind',
        'invoice.status: billing.invoice_status',
        'person.id: pg_catalog.int4',
        'person.mood: shared.mood',
        'person.odd: public.Odd.Name',
        'person.plain: public.plain',
      ]);
      await expectNoDrift(dir, db.url);

      // A value added in place (shared.mood), values removed by a swap in the type's own schema.
      write(models("'sad', 'meh', 'ok', 'happy'", "'a'", "'in'"));
      await knex('person').insert({ id: 1, odd: 'a' });
      await knex('billing.invoice').insert({ id: 1, mood: 'sad', kind: 'in' });
      r = await kiln(['db', 'migrate', '-m', 'values'], { cwd: dir, env });
      expect(r.code).toBe(0);
      r = await kiln(['db', 'upgrade'], { cwd: dir, env });
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const changed = await rows(knex, TYPES);
      expect(changed.find((t) => t.name === 'mood')).toEqual({ schema: 'shared', name: 'mood', labels: ['sad', 'meh', 'ok', 'happy'] });
      expect(changed.find((t) => t.name === 'Odd.Name')).toEqual({ schema: 'public', name: 'Odd.Name', labels: ['a'] });
      expect(changed.find((t) => t.name === 'kind')).toEqual({ schema: 'extra', name: 'kind', labels: ['in'] });
      expect(changed.map((t) => t.name).filter((n) => String(n).startsWith('_kiln_old'))).toEqual([]);
      await expectNoDrift(dir, db.url);

      await knex('person').del();
      await knex('billing.invoice').del();
      r = await kiln(['db', 'downgrade', 'base'], { cwd: dir, env });
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(await rows(knex, TYPES)).toEqual([]);
      expect((await rows(knex, SCHEMAS)).map((s) => s.nspname)).toEqual(['public', 'shared']);
    }));

  test('a model naming a type with an empty schema or name is refused, by name', () =>
    withAdoption(dialect, 1, CONFIG, async ({ dir, dbs: [db] }) => {
      fs.mkdirSync(path.join(dir, 'models'));
      for (const [name, message] of [
        ['.mood', /Person.*the schema of enum type name '\.mood' is empty/],
        ['shared.', /Person.*enum type name is empty/],
      ] as const) {
        fs.writeFileSync(path.join(dir, 'models', 'm.ts'), `import { model, Enum, Integer } from 'kiln';
export const Person = model('Person', { id: Integer().primaryKey(), mood: Enum('a', { name: '${name}' }) });
`);
        expectUserError(await kiln(['db', 'check'], { cwd: dir, env: { DATABASE_URL: db.url } }), message);
      }
    }));
});
