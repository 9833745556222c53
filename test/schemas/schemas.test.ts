/**
 * PostgreSQL schemas (issue 12 item 5) through the real binary: models in two schemas with a
 * foreign key across them; `db migrate` writes CREATE SCHEMA before the tables; round trip with
 * rows (upgrade, check clean, downgrade to exactly the database of before, the schema gone,
 * upgrade again); tables of a schema the config does not list are invisible to `db check`,
 * `db migrate` and `initdb --drop`; a second schema written by hand in SQL checks clean against
 * models that declare it; `db pull` writes the `schema` option and its models check clean.
 * SQLite and MySQL/MariaDB refuse a model that names a schema, by name.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { introspect } from '../../src/introspect';
import { kiln, makeProject, rmProject } from '../helpers/cli';
import { freshDatabase } from '../helpers/databases';
import { testDialects } from '../helpers/dialects';

const CONFIG = "export default { models: 'models', schemas: ['public', 'billing'] };\n";

const MODELS = `import { model, table, Enum, Integer, String, ForeignKey, relationship } from 'kiln';
export const Customer = model('Customer', { id: Integer().primaryKey(), name: String(50).notNull().unique() });
export const Invoice = model('Invoice', {
  id: Integer().primaryKey(),
  customer_id: Integer().notNull().index().foreignKey(ForeignKey('customer.id', { onDelete: 'CASCADE' })),
  total: Integer().notNull(),
  status: Enum('draft', 'paid').notNull().default('draft'),
}, { schema: 'billing', relationships: { customer: relationship('Customer') } });
export const Line = model('Line', {
  id: Integer().primaryKey(),
  invoice_id: Integer().notNull().foreignKey(ForeignKey('billing.invoice.id')),
  note: String(20),
}, { schema: 'billing', uniques: [{ columns: ['invoice_id', 'note'] }] });
export const Tag = table('tag', { label: String(20).notNull() }, { schema: 'billing' });
`;

/** The same tables written by hand in SQL, as a DBA would (PostgreSQL's own constraint names). */
const HAND_SQL = `
create schema billing;
create type billing.invoice_status as enum ('draft', 'paid');
create table customer (id serial primary key, name varchar(50) not null unique);
create table billing.invoice (
  id serial primary key,
  customer_id integer not null references customer (id) on delete cascade,
  total integer not null,
  status billing.invoice_status not null default 'draft'
);
create index on billing.invoice (customer_id);
create table billing.line (
  id serial primary key,
  invoice_id integer not null references billing.invoice (id),
  note varchar(20),
  unique (invoice_id, note)
);
create table billing.tag (label varchar(20) not null);
`;

const pg = testDialects().filter((d) => d.name === 'postgres');

describe.each(pg.map((d) => [d.name, d] as const))('schemas on %s', (_name, dialect) => {
  test('two schemas, a cross-schema foreign key: round trip with rows, unmanaged schema invisible', async () => {
    const db = await freshDatabase(dialect);
    const dir = makeProject({ 'models/m.ts': MODELS, 'kiln.config.ts': CONFIG });
    const env = { DATABASE_URL: db.url };
    const k = (...args: string[]) => kiln(args, { cwd: dir, env });
    const knex = db.connect();
    const options = { schemas: ['billing'] };
    try {
      // A schema kiln does not manage, with a table named like a model's: never seen, never touched.
      await knex.raw('create schema other; create table other.invoice (id integer primary key); insert into other.invoice values (7)');
      const empty = await introspect(knex, 'postgres', options);
      fs.mkdirSync(path.join(dir, 'migrations'));
      let r = await k('db', 'migrate', '-m', 'initial');
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toContain("Detected added schema 'billing'");
      expect(r.stdout).toContain("Detected added table 'billing.invoice'");
      const [file] = fs.readdirSync(path.join(dir, 'migrations'));
      const source = fs.readFileSync(path.join(dir, 'migrations', file), 'utf8');
      expect(source.indexOf("createSchemaIfNotExists('billing')")).toBeLessThan(source.indexOf("createTable('billing.invoice'"));
      expect(source).toContain(".inTable('billing.invoice')");
      expect(source).toContain("dropSchemaIfExists('billing')");

      r = await k('db', 'upgrade');
      expect(r.code).toBe(0);
      r = await k('db', 'check');
      expect(r.stdout).toContain('No new upgrade operations detected.');
      expect(r.code).toBe(0);
      const live = await introspect(knex, 'postgres', options);
      // Both schemas are read in the queries one schema takes.
      const count = async (o: { schemas?: string[] }) => {
        let n = 0;
        await introspect(knex, 'postgres', { ...o, onQuery: () => n++ });
        return n;
      };
      expect(await count(options)).toBe(await count({}));
      expect(live.tables.map((t) => t.name)).toEqual(['billing.invoice', 'billing.line', 'billing.tag', 'customer']);
      expect(live.tables.find((t) => t.name === 'billing.line')!.foreignKeys.map((fk) => fk.refTable)).toEqual(['billing.invoice']);
      expect(live.tables.find((t) => t.name === 'billing.invoice')!.foreignKeys.map((fk) => fk.refTable)).toEqual(['customer']);

      // The keys are in force across schemas.
      await knex('customer').insert({ id: 1, name: 'ann' });
      await knex('billing.invoice').insert({ id: 1, customer_id: 1, total: 10 });
      await knex('billing.line').insert({ id: 1, invoice_id: 1, note: 'x' });
      await expect(knex('billing.line').insert({ id: 2, invoice_id: 99 })).rejects.toThrow();

      // A second migration on the existing tables (online steps by default) keeps the rows.
      fs.writeFileSync(path.join(dir, 'models', 'm.ts'), MODELS.replace("note: String(20),", "note: String(20),\n  qty: Integer().notNull().default(1),").replace("Enum('draft', 'paid')", "Enum('draft', 'paid', 'void')"));
      r = await k('db', 'migrate', '-m', 'qty');
      expect(r.stdout).toContain("Detected added column 'billing.line.qty'");
      expect(r.stdout).toContain("Detected changed enum type 'billing.invoice_status' ('draft', 'paid') -> ('draft', 'paid', 'void')");
      r = await k('db', 'upgrade');
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect((await k('db', 'check')).code).toBe(0);
      expect(await knex('billing.line').select('id', 'invoice_id', 'note', 'qty')).toEqual([{ id: 1, invoice_id: 1, note: 'x', qty: 1 }]);
      await knex('billing.invoice').where({ id: 1 }).update({ status: 'paid' });
      r = await k('db', 'downgrade');
      expect(r.code).toBe(0);
      expect(await introspect(knex, 'postgres', options)).toEqual(live);
      expect(await knex('billing.line').select('*')).toEqual([{ id: 1, invoice_id: 1, note: 'x' }]);
      expect(await knex('billing.invoice').select('id', 'status')).toEqual([{ id: 1, status: 'paid' }]);
      fs.writeFileSync(path.join(dir, 'models', 'm.ts'), MODELS);
      fs.rmSync(path.join(dir, 'migrations', fs.readdirSync(path.join(dir, 'migrations')).find((f) => f.endsWith('_qty.ts'))!));

      // initdb --drop drops the models' tables only; the unmanaged schema keeps its table and row.
      r = await k('initdb', '--drop', '--yes');
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(await knex('other.invoice').select('id')).toEqual([{ id: 7 }]);
      expect((await introspect(knex, 'postgres', options)).tables.map((t) => t.name)).toEqual(live.tables.map((t) => t.name));

      await knex.raw('truncate customer cascade');
      await knex('customer').insert({ id: 1, name: 'ann' });
      await knex('billing.invoice').insert({ id: 1, customer_id: 1, total: 10 });
      r = await k('db', 'downgrade', 'base');
      expect(r.code).toBe(0);
      const after = await introspect(knex, 'postgres', options);
      expect(after).toEqual(empty);
      expect(after.schemas).toBeUndefined();
      expect((await knex.raw("select 1 from pg_namespace where nspname = 'billing'")).rows).toEqual([]);
      expect(await knex('other.invoice').select('id')).toEqual([{ id: 7 }]);

      r = await k('db', 'upgrade');
      expect(r.code).toBe(0);
      expect(await introspect(knex, 'postgres', options)).toEqual(live);
      expect((await k('db', 'check')).code).toBe(0);
    } finally {
      await db.cleanup();
      rmProject(dir);
    }
  }, 120_000);

  test('a second schema written by hand in SQL checks clean; db pull writes the schema option', async () => {
    const db = await freshDatabase(dialect);
    const dir = makeProject({ 'models/m.ts': MODELS, 'kiln.config.ts': CONFIG });
    const env = { DATABASE_URL: db.url };
    const k = (...args: string[]) => kiln(args, { cwd: dir, env });
    const knex = db.connect();
    try {
      await knex.raw(HAND_SQL);
      fs.mkdirSync(path.join(dir, 'migrations'));
      let r = await k('db', 'check');
      expect(r.stdout).toContain('No new upgrade operations detected.');
      expect(r.code).toBe(0);

      r = await k('db', 'pull', '-o', 'pulled');
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const invoice = fs.readFileSync(path.join(dir, 'pulled', 'invoice.ts'), 'utf8');
      expect(invoice).toContain("schema: 'billing'");
      expect(fs.readFileSync(path.join(dir, 'pulled', 'line.ts'), 'utf8')).toContain("'billing.invoice.id'");
      fs.writeFileSync(path.join(dir, 'kiln.config.ts'), CONFIG.replace("models: 'models'", "models: 'pulled'"));
      r = await k('db', 'check');
      expect(r.stdout).toContain('No new upgrade operations detected.');
      expect(r.code).toBe(0);

      // A model in a schema the config does not list is refused, by name.
      fs.writeFileSync(path.join(dir, 'kiln.config.ts'), "export default { models: 'models' };\n");
      r = await k('db', 'check');
      expect(r.code).not.toBe(0);
      expect(r.stderr).toMatch(/^error: model table 'billing\.\w+' is in schema 'billing', which the config's 'schemas' does not list/m);
    } finally {
      await db.cleanup();
      rmProject(dir);
    }
  }, 120_000);
});

describe.each(testDialects().filter((d) => d.name !== 'postgres').map((d) => [d.name, d] as const))('schemas refused on %s', (name, dialect) => {
  test('a model naming a schema is refused by name', async () => {
    const db = await freshDatabase(dialect);
    const dir = makeProject({ 'models/m.ts': MODELS, 'kiln.config.ts': CONFIG });
    try {
      fs.mkdirSync(path.join(dir, 'migrations'));
      const r = await kiln(['db', 'migrate', '-m', 'x'], { cwd: dir, env: { DATABASE_URL: db.url } });
      expect(r.code).not.toBe(0);
      const label = name === 'sqlite' ? 'SQLite' : 'MySQL/MariaDB';
      expect(r.stderr).toContain(`error: model table 'billing.invoice' names schema 'billing': ${label} has no schemas kiln manages (PostgreSQL only)`);
      expect(fs.readdirSync(path.join(dir, 'migrations'))).toEqual([]);
    } finally {
      await db.cleanup();
      rmProject(dir);
    }
  }, 60_000);
});
