/**
 * PostgreSQL schemas (issue 12 item 5), the pure parts: a model's `schema` option names its
 * table `schema.table` (foreign keys `schema.table.column`); the diff creates a schema the
 * models' tables need before them and never drops one, `down` drops it; the rendered calls; the
 * config's include/exclude globs per schema; `db pull` writes the option; SQLite and MySQL refuse.
 */
import { ForeignKey, Integer, model, String, table } from 'kiln';
import { loadConfig } from '../../src/config/load';
import { dialectOf } from '../../src/dialect/registry';
import { compare } from '../../src/diff';
import { compileModels } from '../../src/model/compile';
import { reverseOps } from '../../src/ops/reverse';
import { describeOp } from '../../src/ops/describe';
import { renderModels } from '../../src/pull/render';
import { renderOp } from '../../src/render/render-op';
import { tableMatcher } from '../../src/introspect/table-filter';
import { deepFreeze, makeSchema } from '../../src/schema/build';
import { makeProject, rmProject } from '../helpers/cli';

const Customer = model('Customer', { id: Integer().primaryKey(), name: String(50) });
const Invoice = model('Invoice', { id: Integer().primaryKey(), customer_id: Integer().references('customer.id') }, { schema: 'billing' });
const Line = model('Line', { id: Integer().primaryKey(), invoice_id: Integer().foreignKey(ForeignKey('billing.invoice.id')) }, { schema: 'billing' });

describe('the model option schema', () => {
  test('names the table schema.table, foreign keys across schemas resolve', () => {
    const schema = compileModels([Customer, Invoice, Line]);
    expect(schema.tables.map((t) => t.name)).toEqual(['billing.invoice', 'billing.line', 'customer']);
    const line = schema.tables.find((t) => t.name === 'billing.line')!;
    expect(line.foreignKeys.map((fk) => [fk.refTable, fk.refColumns])).toEqual([['billing.invoice', ['id']]]);
    // The key is named as PostgreSQL names it in the table's schema; Knex reads no dot in it.
    expect(line.primaryKey?.name).toBe('line_pkey');
    expect(line.foreignKeys[0].name).toBe('billing_line_invoice_id_foreign');
  });

  test('a schema name with a dot is refused, naming the model', () => {
    expect(() => compileModels([model('X', { id: Integer().primaryKey() }, { schema: 'a.b' })])).toThrow("model 'X': schema 'a.b' contains '.'");
  });

  test('SQLite and MySQL/MariaDB refuse a model naming a schema, by table', () => {
    const schema = compileModels([Customer, Invoice]);
    expect(() => dialectOf('sqlite').generation.project(schema)).toThrow("model table 'billing.invoice' names schema 'billing': SQLite has no schemas kiln manages (PostgreSQL only)");
    expect(() => dialectOf('mysql').generation.project(schema)).toThrow("model table 'billing.invoice' names schema 'billing': MySQL/MariaDB has no schemas kiln manages (PostgreSQL only)");
    expect(dialectOf('postgres').generation.project(schema).tables.map((t) => t.name)).toEqual(['billing.invoice', 'customer']);
  });
});

describe('the diff', () => {
  const models = compileModels([Customer, Invoice, Line]);

  test('creates a missing schema before its tables; down drops it after them', async () => {
    const up = await compare(makeSchema([]), models);
    expect(up.map(describeOp)).toEqual([
      "added schema 'billing'",
      "added table 'customer'",
      "added table 'billing.invoice'",
      "added table 'billing.line'",
    ]);
    expect(reverseOps(up).map(describeOp).at(-1)).toBe("removed schema 'billing'");
  });

  test('an existing schema, empty or not, is not created again', async () => {
    expect((await compare(deepFreeze({ tables: [], schemas: ['billing'] }), models)).filter((op) => op.kind === 'createSchema')).toEqual([]);
    expect(await compare(models, models)).toEqual([]);
  });

  test('never drops a schema the models leave', async () => {
    const ops = await compare(models, compileModels([Customer]));
    expect(ops.map((op) => op.kind)).toEqual(['dropTable', 'dropTable']);
  });

  test('renders CREATE SCHEMA IF NOT EXISTS and the qualified table', () => {
    expect(renderOp({ kind: 'createSchema', name: 'billing' }, 'postgres')).toBe("await knex.schema.createSchemaIfNotExists('billing');");
    expect(renderOp({ kind: 'dropSchema', name: "it's" }, 'postgres')).toBe("await knex.schema.dropSchemaIfExists('it\\'s');");
    const line = models.tables.find((t) => t.name === 'billing.line')!;
    const code = renderOp({ kind: 'createTable', table: line }, 'postgres');
    expect(code).toContain("createTable('billing.line'");
    expect(code).toContain(".inTable('billing.invoice')");
  });
});

describe('include / exclude with schemas', () => {
  test("a pattern with a dot matches schema.table, one without the bare name in any schema", () => {
    const m = tableMatcher({ exclude: ['billing.tmp_*', 'audit_log'] }, 'public');
    expect(m('billing.tmp_x')).toBe(false);
    expect(m('tmp_x')).toBe(true);
    expect(m('billing.audit_log')).toBe(false);
    expect(m('audit_log')).toBe(false);
    expect(m('billing.invoice')).toBe(true);
    const only = tableMatcher({ include: ['billing.*'] }, 'public');
    expect(only('billing.invoice')).toBe(true);
    expect(only('customer')).toBe(false);
  });
});

describe('db pull', () => {
  test('writes the schema option and the qualified foreign key target; the models compile back', () => {
    const models = compileModels([Customer, Invoice, Line, table('tag', { label: String(20) }, { schema: 'billing' })]);
    const files = renderModels(models);
    const invoice = files.find((f) => f.table === 'billing.invoice')!;
    expect(invoice.path).toBe('invoice.ts');
    expect(invoice.source).toContain("schema: 'billing'");
    expect(files.find((f) => f.table === 'billing.line')!.source).toContain("'billing.invoice.id'");
    expect(files.find((f) => f.table === 'billing.tag')!.source).toMatch(/table\(\n {2}'tag',[\s\S]*schema: 'billing'/);
  });
});

describe('config schemas', () => {
  test('the default schema is left out of the list; a name with a dot is refused', async () => {
    const dir = makeProject({ 'kiln.config.ts': "export default { schemas: ['public', 'billing', 'audit', 'billing'] };\n" });
    try {
      expect((await loadConfig({ cwd: dir, env: {} })).schemas).toEqual(['audit', 'billing']);
      expect((await loadConfig({ cwd: dir, env: {}, schema: 'audit' })).schemas).toEqual(['billing', 'public']);
    } finally {
      rmProject(dir);
    }
    const bad = makeProject({ 'kiln.config.ts': "export default { schemas: ['a.b'] };\n" });
    try {
      await expect(loadConfig({ cwd: bad, env: {} })).rejects.toThrow("option 'schemas' must be a list of schema names");
    } finally {
      rmProject(bad);
    }
  });
});

describe('renaming a table of another schema', () => {
  test('renames it within its schema (RENAME TO takes the bare name); a move between schemas is refused by name', () => {
    expect(renderOp({ kind: 'renameTable', from: 'billing.bill', to: 'billing.invoice' }, 'postgres')).toBe("await knex.schema.renameTable('billing.bill', 'invoice');");
    expect(renderOp({ kind: 'renameTable', from: 'bill', to: 'invoice' }, 'postgres')).toBe("await knex.schema.renameTable('bill', 'invoice');");
    expect(() => renderOp({ kind: 'renameTable', from: 'bill', to: 'billing.bill' }, 'postgres')).toThrow(
      "renaming table 'bill' to 'billing.bill' moves it to another schema, which kiln does not write yet",
    );
  });
});
