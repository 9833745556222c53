/**
 * The example's second model file, models/shop.ts (numeric prices, an enum, checks, a partial
 * index kept off MySQL/MariaDB, comments, a generated column), through the real binary on every
 * dialect of this run:
 * - the committed migration holds one body per database (kiln/migrate's byDialect), and each is
 *   exactly what `kiln db migrate -m "shop"` generates today against that database at the
 *   tutorial's revision (so the file is kiln's output, not a hand edit);
 * - the committed migration upgrades, `db check` is clean, the database enforces the checks,
 *   computes the total, and `db downgrade` removes the shop (PostgreSQL: its enum type too)
 *   and leaves the tutorial's rows alone; upgrading again works.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Knex } from 'knex';
import { freshDatabase, type FreshDatabase } from '../helpers/databases';
import { testDialects } from '../helpers/dialects';
import { copyExample, kiln, REPO, rmProject } from '../helpers/cli';
import { DIALECT_SUFFIX, functionBodies } from '../helpers/migration-bodies';

const dialects = testDialects().map((d) => [d.name, d] as const);
const FILES = fs.readdirSync(path.join(REPO, 'migrations')).filter((f) => f.endsWith('.ts')).sort();
const SHOP_FILE = FILES.find((f) => /_shop\.ts$/.test(f)) as string;
const SHOP = SHOP_FILE.replace(/\.ts$/, '');
const TUTORIAL = FILES[0].replace(/\.ts$/, '');

describe.each(dialects)('the shop example on %s', (name, dialect) => {
  let dir: string;
  let db: FreshDatabase;
  let knex: Knex;
  let env: Record<string, string>;

  beforeEach(async () => {
    dir = copyExample();
    db = await freshDatabase(dialect);
    knex = db.connect();
    env = { DATABASE_URL: db.url };
  });
  afterEach(async () => {
    await db.cleanup();
    rmProject(dir);
  });
  const k = (...args: string[]) => kiln(args, { cwd: dir, env });

  test("the committed migration's body for this database is what db migrate generates", async () => {
    // the shop and the migrations after it (they revise it), and the models as they were then:
    // the Draft trigger came after the shop
    for (const f of FILES.slice(FILES.indexOf(SHOP_FILE))) fs.unlinkSync(path.join(dir, 'migrations', f));
    fs.writeFileSync(
      path.join(dir, 'models', 'draft.ts'),
      "import { model, Integer, Text } from 'kiln';\nexport const Draft = model('Draft', { id: Integer().primaryKey(), body: Text(), edit_time: Integer().default(0) });\n",
    );
    expect((await k('db', 'upgrade')).code).toBe(0);
    const r = await k('db', 'migrate', '-m', 'shop');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const written = fs.readdirSync(path.join(dir, 'migrations')).filter((f) => f.endsWith('_shop.ts'));
    expect(written).toHaveLength(1);
    const generated = functionBodies(fs.readFileSync(path.join(dir, 'migrations', written[0]), 'utf8'));
    const committed = functionBodies(fs.readFileSync(path.join(REPO, 'migrations', SHOP_FILE), 'utf8'));
    expect(committed[`up${DIALECT_SUFFIX[name]}`]).toBe(generated.up);
    expect(committed[`down${DIALECT_SUFFIX[name]}`]).toBe(generated.down);
  });

  test('upgrade, check clean, the database enforces the model, downgrade removes only the shop', async () => {
    let r = await k('db', 'upgrade');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    r = await k('db', 'check');
    expect([r.stdout.trim(), r.stderr, r.code]).toEqual(['No new upgrade operations detected.', '', 0]);
    expect((await k('db', 'seed')).code).toBe(0);

    const tea = await knex('product').where({ name: 'green tea' }).first('id');
    await expect(knex('product').insert({ name: 'free lunch', price: '-1.00' })).rejects.toThrow(/check|constraint/i);
    await expect(knex('shop_order').insert({ product_id: tea.id, quantity: 0, unit_price: '3.50' })).rejects.toThrow(/check|constraint/i);
    await knex('shop_order').insert({ product_id: tea.id, quantity: 3, unit_price: '0.25' });
    const row = await knex('shop_order').where({ product_id: tea.id, quantity: 3 }).first('total', 'status');
    expect([Number(row.total), row.status]).toEqual([0.75, 'pending']);

    const notes = await knex('note').orderBy('id').select('*');
    r = await k('db', 'downgrade', TUTORIAL);
    expect(r.stderr).toBe('');
    expect(r.stdout.trim().split('\n').pop()).toBe(`Running downgrade ${SHOP} -> ${TUTORIAL}, shop`);
    expect([await knex.schema.hasTable('product'), await knex.schema.hasTable('shop_order')]).toEqual([false, false]);
    if (name === 'postgres') expect((await knex.raw("select 1 from pg_type where typname = 'order_status'")).rows).toEqual([]);
    expect(await knex('note').orderBy('id').select('*')).toEqual(notes);

    r = await k('db', 'upgrade');
    expect(r.code).toBe(0);
    expect((await k('db', 'check')).code).toBe(0);
  });
});
