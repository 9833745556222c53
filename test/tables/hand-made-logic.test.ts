/**
 * Issue 12: a schema written by hand in SQL, as a DBA would write it on each database (own
 * spacing, case, quoting and comments), holding tables with foreign keys, views (one reading
 * another view, one with a join and an aggregate), triggers (an audit insert, one that stamps a
 * column, one with WHEN / UPDATE OF where the database has them, one on delete: per row, or
 * per statement on PostgreSQL; `IF NOT EXISTS`, `OR REPLACE`, MariaDB's DEFINER and ALGORITHM
 * where a DBA writes them), and on PostgreSQL a second
 * schema `billing` whose table references a public table and takes its number from a standalone
 * sequence, with the trigger functions written by hand. Models that declare exactly that schema,
 * through the real binary: `db check` is clean (nothing on stderr, exit 0) and `db migrate`
 * writes nothing; the triggers fire and the views read what they should, before and after.
 *
 * Not said here because the models refuse it by design: a trigger on a table of the `billing`
 * schema (kiln manages triggers of the default schema only).
 *
 * And on the servers, view options no model can say (PostgreSQL's security_barrier and CHECK
 * OPTION, MySQL/MariaDB's CHECK OPTION and SQL SECURITY INVOKER): `db check` lists them, and a
 * migration that would re-create the view without them is refused, naming them.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Knex } from 'knex';
import type { DialectName } from '../../src/dialect/types';
import { kiln, makeProject, rmProject } from '../helpers/cli';
import { freshDatabase } from '../helpers/databases';
import { testDialects } from '../helpers/dialects';

interface Case {
  /** The hand-written schema, one statement each. */
  readonly sql: readonly string[];
  readonly config: string;
  readonly models: string;
  /** Rows written after `db check`, and what the triggers and views made of them. */
  readonly exercise: (knex: Knex) => Promise<string[]>;
}

/** The tables, the same on every database (their SQL differs; the models' types do not). */
const TABLE_MODELS = `
export const Customer = model('Customer', {
  id: Integer().primaryKey(),
  name: String(50).notNull().comment('shown on invoices'),
  updated_at: DateTime(),
});
export const Purchase = model('Purchase', {
  id: Integer().primaryKey(),
  customer_id: Integer().notNull().references('customer.id', { onDelete: 'CASCADE' }),
  amount: Integer().notNull(),
  status: String(10).notNull().default('new'),
});
export const AuditLog = model('AuditLog', {
  id: Integer().primaryKey(),
  purchase_id: Integer().notNull().references('purchase.id'),
  note: Text().notNull(),
  at: DateTime().notNull().defaultRaw(%NOW%),
}, { tableName: 'audit_log' });
`;

/** The views, the same on every database and written unlike the hand-made SQL (case, spacing). */
const VIEW_MODELS = `
export const BigPurchase = view('big_purchase', 'select id, customer_id, amount from purchase where amount >= 100');
export const CustomerTotal = view('customer_total',
  'select c.id, c.name, count(p.id) as purchases, sum(p.amount) as total from customer as c join purchase as p on p.customer_id = c.id group by c.id, c.name');
export const BigSpender = view('big_spender', 'select name, total from customer_total where total > 500');
export const PaidPurchase = view('paid_purchase', "select id, amount from purchase where status = 'paid'");
`;

const HEADER = "import { model, view, trigger, sequence, Integer, String, Text, DateTime } from 'kiln';\n";

const SQLITE: Case = {
  config: "export default { models: 'models' };\n",
  sql: [
    `CREATE TABLE customer (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        name        VARCHAR(50) NOT NULL,   -- shown on invoices
        updated_at  DATETIME
    )`,
    `CREATE TABLE "purchase" (
        "id"           INTEGER PRIMARY KEY AUTOINCREMENT,
        "customer_id"  INTEGER NOT NULL REFERENCES customer (id) ON DELETE CASCADE,
        "amount"       INTEGER NOT NULL,
        "status"       VARCHAR(10) NOT NULL DEFAULT 'new'
    )`,
    `CREATE TABLE audit_log (
        id           INTEGER PRIMARY KEY AUTOINCREMENT,
        purchase_id  INTEGER NOT NULL REFERENCES purchase (id),
        note         TEXT NOT NULL,
        at           DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
    )`,
    `CREATE VIEW big_purchase AS
        -- purchases worth a second look
        SELECT id, customer_id, amount FROM purchase WHERE amount >= 100`,
    `CREATE VIEW customer_total AS
     SELECT c.id, c.name, COUNT(p.id) AS purchases, SUM(p.amount) AS total
       FROM customer AS c
       JOIN purchase AS p ON p.customer_id = c.id
      GROUP BY c.id, c.name`,
    'CREATE VIEW "big_spender" AS SELECT "name", "total" FROM "customer_total" WHERE "total" > 500',
    `CREATE TRIGGER purchase_audit AFTER INSERT ON purchase
     BEGIN
        -- every purchase leaves a trace
        INSERT INTO audit_log (purchase_id, note) VALUES (NEW.id, 'created');
     END`,
    `CREATE TRIGGER customer_touch
        AFTER UPDATE OF name ON customer
        FOR EACH ROW
        WHEN NEW.name IS NOT OLD.name
     BEGIN
        UPDATE customer SET updated_at = CURRENT_TIMESTAMP WHERE id = NEW.id;
     END`,
    `CREATE TRIGGER "purchase_status_check" BEFORE UPDATE OF "status" ON "purchase"
        WHEN (NEW.status NOT IN ('new', 'paid', 'shipped'))
     BEGIN
        SELECT RAISE(ABORT, 'unknown purchase status');
     END`,
    "create view if not exists paid_purchase as select id, amount from purchase where status = 'paid'",
    `create trigger if not exists purchase_gone after delete on purchase for each row
     begin
        update customer set updated_at = current_timestamp where id = old.customer_id;
     end;`,
  ],
  models: `${HEADER}${TABLE_MODELS.replace('%NOW%', "'CURRENT_TIMESTAMP'")}${VIEW_MODELS}
export const PurchaseAudit = trigger('purchase_audit', {
  table: Purchase, timing: 'after', events: ['insert'],
  body: "insert into audit_log (purchase_id, note) values (new.id, 'created');",
});
export const CustomerTouch = trigger('customer_touch', {
  table: Customer, timing: 'after', events: ['update'], of: ['name'], when: 'new.name is not old.name',
  body: 'update customer set updated_at = current_timestamp where id = new.id;',
});
export const PurchaseStatusCheck = trigger('purchase_status_check', {
  table: Purchase, timing: 'before', events: ['update'], of: ['status'], when: "new.status not in ('new', 'paid', 'shipped')",
  body: "select raise(abort, 'unknown purchase status');",
});
export const PurchaseGone = trigger('purchase_gone', {
  table: Purchase, timing: 'after', events: ['delete'],
  body: 'update customer set updated_at = current_timestamp where id = old.customer_id;',
});
`,
  exercise: (knex) => exercise(knex),
};

const POSTGRES: Case = {
  config: "export default { models: 'models', schemas: ['public', 'billing'] };\n",
  sql: [
    'CREATE SCHEMA billing',
    'CREATE SEQUENCE invoice_no AS integer START WITH 1000',
    `CREATE TABLE customer (
        id          serial PRIMARY KEY,
        name        varchar(50) NOT NULL,
        updated_at  timestamptz
    )`,
    "COMMENT ON COLUMN customer.name IS 'shown on invoices'",
    `CREATE TABLE Purchase (
        id           serial PRIMARY KEY,
        customer_id  integer NOT NULL REFERENCES customer ON DELETE CASCADE,
        amount       integer NOT NULL,
        status       varchar(10) NOT NULL DEFAULT 'new'
    )`,
    `CREATE TABLE audit_log (
        id           serial PRIMARY KEY,
        purchase_id  integer NOT NULL REFERENCES purchase (id),
        note         text NOT NULL,
        "at"         timestamptz NOT NULL DEFAULT now()
    )`,
    `CREATE TABLE billing.invoice (
        id           serial PRIMARY KEY,
        "number"     integer NOT NULL DEFAULT nextval('invoice_no'),
        customer_id  integer NOT NULL REFERENCES public.customer (id),
        total        integer NOT NULL
    )`,
    `CREATE VIEW big_purchase AS
        SELECT id, customer_id, amount FROM purchase WHERE amount >= 100`,
    `CREATE VIEW customer_total AS
     SELECT c.id, c.name, count(p.id) AS purchases, sum(p.amount) AS total
       FROM customer c
       JOIN purchase p ON p.customer_id = c.id
      GROUP BY c.id, c.name`,
    'CREATE VIEW "big_spender" AS SELECT "name", "total" FROM "customer_total" WHERE "total" > 500',
    `CREATE VIEW open_invoice AS
     SELECT i."number", c.name, i.total FROM billing.invoice i JOIN customer c ON c.id = i.customer_id`,
    `CREATE FUNCTION purchase_audit_fn() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- every purchase leaves a trace
    INSERT INTO audit_log (purchase_id, note) VALUES (NEW.id, 'created');
    RETURN NEW;
END;
$$`,
    'CREATE TRIGGER purchase_audit AFTER INSERT ON purchase FOR EACH ROW EXECUTE FUNCTION purchase_audit_fn()',
    `CREATE OR REPLACE FUNCTION touch_updated_at() RETURNS trigger AS $body$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END
$body$ LANGUAGE plpgsql`,
    `CREATE TRIGGER customer_touch
        BEFORE UPDATE OF "name" ON public.customer
        FOR EACH ROW
        WHEN (OLD.name IS DISTINCT FROM NEW.name)
        EXECUTE PROCEDURE touch_updated_at()`,
    `CREATE FUNCTION purchase_status_check_fn() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.status NOT IN ('new', 'paid', 'shipped') THEN
        RAISE EXCEPTION 'unknown purchase status %', NEW.status;
    END IF;
    RETURN NEW;
END;
$$`,
    'CREATE TRIGGER purchase_status_check BEFORE INSERT OR UPDATE OF status ON purchase FOR EACH ROW EXECUTE FUNCTION purchase_status_check_fn()',
    "CREATE OR REPLACE VIEW paid_purchase AS SELECT id, amount FROM purchase WHERE status = 'paid'",
    "CREATE FUNCTION purchase_gone_fn() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN UPDATE customer SET updated_at = now() WHERE id NOT IN (SELECT customer_id FROM purchase); RETURN NULL; END'",
    'CREATE OR REPLACE TRIGGER purchase_gone AFTER DELETE ON purchase FOR EACH STATEMENT EXECUTE FUNCTION purchase_gone_fn()',
  ],
  models: `${HEADER}${TABLE_MODELS.replace('%NOW%', "'now()'")}${VIEW_MODELS}
export const InvoiceNo = sequence('invoice_no', { as: 'integer', start: 1000 });
export const Invoice = model('Invoice', {
  id: Integer().primaryKey(),
  number: Integer().notNull().defaultRaw("nextval('invoice_no')"),
  customer_id: Integer().notNull().references('customer.id'),
  total: Integer().notNull(),
}, { schema: 'billing' });
export const OpenInvoice = view('open_invoice', 'select i.number, c.name, i.total from billing.invoice as i join customer as c on c.id = i.customer_id');

export const PurchaseAudit = trigger('purchase_audit', {
  table: Purchase, timing: 'after', events: ['insert'],
  body: "begin insert into audit_log (purchase_id, note) values (new.id, 'created'); return new; end",
});
export const CustomerTouch = trigger('customer_touch', {
  table: Customer, timing: 'before', events: ['update'], of: ['name'], when: 'old.name is distinct from new.name',
  function: 'touch_updated_at',
  body: 'begin new.updated_at := now(); return new; end',
});
export const PurchaseStatusCheck = trigger('purchase_status_check', {
  table: Purchase, timing: 'before', events: ['insert', 'update'], of: ['status'],
  body: "begin if new.status not in ('new', 'paid', 'shipped') then raise exception 'unknown purchase status %', new.status; end if; return new; end",
});
export const PurchaseGone = trigger('purchase_gone', {
  table: Purchase, timing: 'after', events: ['delete'], forEach: 'statement',
  body: 'begin update customer set updated_at = now() where id not in (select customer_id from purchase); return null; end',
});
`,
  exercise: async (knex) => {
    const out = await exercise(knex);
    const [c] = await knex('customer').where({ name: 'ann b' }).pluck('id');
    await knex('billing.invoice').insert([{ customer_id: c, total: 10 }, { customer_id: c, total: 20 }]);
    const invoices = (await knex('open_invoice').orderBy('number')) as { number: number; name: string; total: number }[];
    return [...out, ...invoices.map((i) => `invoice ${i.number} ${i.name} ${i.total}`)];
  },
};

const MYSQL: Case = {
  config: "export default { models: 'models' };\n",
  sql: [
    `CREATE TABLE customer (
        id          INT UNSIGNED NOT NULL AUTO_INCREMENT,
        name        VARCHAR(50) NOT NULL COMMENT 'shown on invoices',
        updated_at  DATETIME NULL,
        PRIMARY KEY (id)
    ) ENGINE=InnoDB`,
    `CREATE TABLE \`purchase\` (
        \`id\`           int unsigned NOT NULL AUTO_INCREMENT PRIMARY KEY,
        \`customer_id\`  int unsigned NOT NULL,
        \`amount\`       int NOT NULL,
        \`status\`       varchar(10) NOT NULL DEFAULT 'new',
        CONSTRAINT purchase_customer_id_foreign FOREIGN KEY (customer_id) REFERENCES customer (id) ON DELETE CASCADE
    ) ENGINE=InnoDB`,
    `CREATE TABLE audit_log (
        id           INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
        purchase_id  INT UNSIGNED NOT NULL,
        note         TEXT NOT NULL,
        at           DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
        CONSTRAINT audit_log_purchase_id_foreign FOREIGN KEY (purchase_id) REFERENCES purchase (id)
    ) ENGINE=InnoDB`,
    `CREATE VIEW big_purchase AS
        SELECT id, customer_id, amount FROM purchase WHERE amount >= 100`,
    `CREATE OR REPLACE VIEW customer_total AS
     SELECT c.id, c.name, COUNT(p.id) AS purchases, SUM(p.amount) AS total
       FROM customer c
       JOIN purchase p ON p.customer_id = c.id
      GROUP BY c.id, c.name`,
    'CREATE VIEW `big_spender` AS SELECT `name`, `total` FROM `customer_total` WHERE `total` > 500',
    `CREATE TRIGGER \`purchase_audit\` AFTER INSERT ON \`purchase\` FOR EACH ROW
        INSERT INTO audit_log (purchase_id, note) VALUES (NEW.id, 'created')`,
    'CREATE TRIGGER customer_touch BEFORE UPDATE ON customer FOR EACH ROW SET NEW.updated_at = NOW()',
    `CREATE TRIGGER purchase_status_check BEFORE UPDATE ON purchase FOR EACH ROW
     BEGIN
        /* only the states the shop knows */
        IF NEW.status NOT IN ('new', 'paid', 'shipped') THEN
            SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'unknown purchase status';
        END IF;
     END`,
    "CREATE ALGORITHM = MERGE SQL SECURITY DEFINER VIEW paid_purchase AS SELECT id, amount FROM purchase WHERE status = 'paid'",
    `CREATE DEFINER = CURRENT_USER TRIGGER IF NOT EXISTS purchase_gone AFTER DELETE ON purchase FOR EACH ROW
        -- keep the customer fresh
        UPDATE customer SET updated_at = NOW() WHERE id = OLD.customer_id`,
  ],
  models: `${HEADER}${TABLE_MODELS.replace('%NOW%', "'CURRENT_TIMESTAMP'")}${VIEW_MODELS}
export const PurchaseAudit = trigger('purchase_audit', {
  table: Purchase, timing: 'after', events: ['insert'],
  body: "insert into audit_log (purchase_id, note) values (new.id, 'created')",
});
export const CustomerTouch = trigger('customer_touch', {
  table: Customer, timing: 'before', events: ['update'],
  body: 'set new.updated_at = now()',
});
export const PurchaseStatusCheck = trigger('purchase_status_check', {
  table: Purchase, timing: 'before', events: ['update'],
  body: "begin if new.status not in ('new', 'paid', 'shipped') then signal sqlstate '45000' set message_text = 'unknown purchase status'; end if; end",
});
export const PurchaseGone = trigger('purchase_gone', {
  table: Purchase, timing: 'after', events: ['delete'],
  body: 'update customer set updated_at = now() where id = old.customer_id',
});
`,
  exercise: (knex) => exercise(knex),
};

const CASES: Record<DialectName, Case> = { sqlite: SQLITE, postgres: POSTGRES, mysql: MYSQL };

/** Rows through every trigger, and what the views and triggers made of them. */
async function exercise(knex: Knex): Promise<string[]> {
  await knex('customer').insert([{ name: 'ann' }, { name: 'bob' }]);
  const ids = Object.fromEntries(((await knex('customer').select('id', 'name')) as { id: number; name: string }[]).map((r) => [r.name, r.id]));
  await knex('purchase').insert([
    { customer_id: ids.ann, amount: 400 },
    { customer_id: ids.ann, amount: 300 },
    { customer_id: ids.bob, amount: 50 },
  ]);
  const out: string[] = [];
  const audit = (await knex('audit_log').orderBy('id').select('purchase_id', 'note', 'at')) as { purchase_id: number; note: string; at: unknown }[];
  out.push(`audit ${audit.length}: ${audit.map((a) => a.note).join(' ')}, every row stamped: ${audit.every((a) => a.at !== null)}`);
  const stampedBefore = (await knex('customer').whereNotNull('updated_at').count({ n: '*' })) as { n: number | string }[];
  out.push(`stamped before an update: ${Number(stampedBefore[0].n)}`);
  await knex('customer').where({ id: ids.ann }).update({ name: 'ann b' });
  const ann = (await knex('customer').where({ id: ids.ann }).first('updated_at')) as { updated_at: unknown };
  const bob = (await knex('customer').where({ id: ids.bob }).first('updated_at')) as { updated_at: unknown };
  out.push(`renamed ann stamped: ${ann.updated_at !== null}, bob: ${bob.updated_at !== null}`);
  let refused = 'accepted';
  await knex('purchase').where({ amount: 50 }).update({ status: 'lost' }).catch((e: Error) => {
    refused = /unknown purchase status/.test(e.message) ? 'refused' : `failed otherwise: ${e.message}`;
  });
  out.push(`status 'lost' ${refused}`);
  await knex('purchase').where({ amount: 50 }).update({ status: 'paid' });
  out.push(`statuses ${((await knex('purchase').orderBy('id').pluck('status')) as string[]).join(' ')}`);
  out.push(`big purchases ${((await knex('big_purchase').orderBy('amount').pluck('amount')) as number[]).join(' ')}`);
  const totals = (await knex('customer_total').orderBy('name')) as { name: string; purchases: number | string; total: number | string }[];
  out.push(...totals.map((t) => `total ${t.name} ${Number(t.purchases)} ${Number(t.total)}`));
  const big = (await knex('big_spender').select('name', 'total')) as { name: string; total: number | string }[];
  out.push(...big.map((t) => `big spender ${t.name} ${Number(t.total)}`));
  out.push(`paid ${((await knex('paid_purchase').pluck('amount')) as number[]).join(' ')}`);
  // bob's purchase goes (its audit row first): the delete trigger stamps bob.
  const gone = (await knex('purchase').where({ customer_id: ids.bob }).pluck('id')) as number[];
  await knex('audit_log').whereIn('purchase_id', gone).delete();
  await knex('purchase').whereIn('id', gone).delete();
  const bobAfter = (await knex('customer').where({ id: ids.bob }).first('updated_at')) as { updated_at: unknown };
  out.push(`bob stamped after a delete: ${bobAfter.updated_at !== null}`);
  return out;
}

const EXPECTED = [
  'audit 3: created created created, every row stamped: true',
  'stamped before an update: 0',
  'renamed ann stamped: true, bob: false',
  "status 'lost' refused",
  'statuses new new paid',
  'big purchases 300 400',
  'total ann b 2 700',
  'total bob 1 50',
  'big spender ann b 700',
  'paid 50',
  'bob stamped after a delete: true',
];

describe.each(testDialects().map((d) => [d.name, d] as const))('a hand-written schema with views and triggers, on %s', (dialectName, dialect) => {
  test('models that declare it: db check is clean, db migrate writes nothing, the triggers fire', async () => {
    const c = CASES[dialectName];
    const db = await freshDatabase(dialect);
    const dir = makeProject({ 'models/all.ts': c.models, 'kiln.config.ts': c.config });
    const env = { DATABASE_URL: db.url };
    const k = (...args: string[]) => kiln(args, { cwd: dir, env });
    const clean = async () => {
      const r = await k('db', 'check');
      expect({ stderr: r.stderr, stdout: r.stdout, code: r.code }).toEqual({ stderr: '', stdout: 'No new upgrade operations detected.\n', code: 0 });
      const m = await k('db', 'migrate', '-m', 'x');
      expect({ stderr: m.stderr, code: m.code }).toEqual({ stderr: '', code: 0 });
      expect(m.stdout).toContain('No changes in schema detected.');
      expect(fs.readdirSync(path.join(dir, 'migrations'))).toEqual([]);
    };
    const knex = db.connect();
    try {
      fs.mkdirSync(path.join(dir, 'migrations'));
      for (const sql of c.sql) await knex.raw(sql);
      await clean();
      const seen = await c.exercise(knex);
      expect(seen.slice(0, EXPECTED.length)).toEqual(EXPECTED);
      if (dialectName === 'postgres') expect(seen.slice(EXPECTED.length)).toEqual(['invoice 1000 ann b 10', 'invoice 1001 ann b 20']);
      else expect(seen).toHaveLength(EXPECTED.length);
      // The rows change nothing the models compare.
      await clean();
    } finally {
      await db.cleanup();
      rmProject(dir);
    }
  }, 120_000);
});

/** Options of a hand-written view that no model can say, per server dialect. */
const VIEW_OPTIONS: Partial<Record<DialectName, { table: string; view: string; lines: string[] }>> = {
  postgres: {
    table: 'CREATE TABLE purchase (id serial PRIMARY KEY, status varchar(10) NOT NULL)',
    view: "CREATE VIEW paid_purchase WITH (security_barrier) AS SELECT id, status FROM purchase WHERE status = 'paid' WITH CHECK OPTION",
    lines: ["Unmanaged view option 'security_barrier=true' on 'paid_purchase'", "Unmanaged view option 'check_option=cascaded' on 'paid_purchase'"],
  },
  mysql: {
    table: 'CREATE TABLE purchase (id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY, status VARCHAR(10) NOT NULL)',
    view: "CREATE SQL SECURITY INVOKER VIEW paid_purchase AS SELECT id, status FROM purchase WHERE status = 'paid' WITH CHECK OPTION",
    lines: ["Unmanaged view option 'WITH CASCADED CHECK OPTION' on 'paid_purchase'", "Unmanaged view option 'SQL SECURITY INVOKER' on 'paid_purchase'"],
  },
};

describe.each(testDialects().filter((d) => VIEW_OPTIONS[d.name]).map((d) => [d.name, d] as const))('view options the models cannot say, on %s', (dialectName, dialect) => {
  test(dialectName === 'postgres' ? 'db check lists them; a migration that re-creates the view sets them again' : 'db check lists them; a migration that would re-create the view without them is refused, naming them', async () => {
    const c = VIEW_OPTIONS[dialectName]!;
    const models = (len: number) => `import { model, view, Integer, String } from 'kiln';
export const Purchase = model('Purchase', { id: Integer().primaryKey(), status: String(${len}).notNull() });
export const Paid = view('paid_purchase', "select id, status from purchase where status = 'paid'");
`;
    const db = await freshDatabase(dialect);
    const dir = makeProject({ 'models/all.ts': models(10) });
    const env = { DATABASE_URL: db.url };
    const k = (...args: string[]) => kiln(args, { cwd: dir, env });
    const knex = db.connect();
    try {
      fs.mkdirSync(path.join(dir, 'migrations'));
      await knex.raw(c.table);
      await knex.raw(c.view);
      let r = await k('db', 'check');
      expect({ stderr: r.stderr, code: r.code }).toEqual({ stderr: '', code: 0 });
      for (const line of c.lines) expect(r.stdout).toContain(`${line}: the models cannot say it; kept as it is`);
      expect(r.stdout).toContain('No new upgrade operations detected.');
      // A wider status re-creates the view that reads it: PostgreSQL's options are set again
      // (ALTER VIEW ... SET); MySQL's cannot be, so the migration is refused rather than losing them.
      fs.writeFileSync(path.join(dir, 'models/all.ts'), models(20));
      r = await k('db', 'migrate', '-m', 'wider');
      if (dialectName === 'postgres') {
        expect(r.code).toBe(0);
        expect((await k('db', 'upgrade')).code).toBe(0);
        const [row] = (await knex.raw("SELECT reloptions AS o FROM pg_class WHERE relname = 'paid_purchase'")).rows;
        expect([...row.o].sort()).toEqual(['check_option=cascaded', 'security_barrier=true']);
        r = await k('db', 'check');
        expect(r.stdout).toContain('No new upgrade operations detected.');
        return;
      }
      expect(r.code).toBe(1);
      expect(r.stderr.split('\n')[0]).toBe(
        `error: view 'paid_purchase' has ${c.lines.map((l) => l.replace(/^Unmanaged view option '(.*)' on .*$/, '$1')).join(', ')}, which kiln cannot recreate: a migration that re-creates it would lose them`,
      );
      expect(fs.readdirSync(path.join(dir, 'migrations'))).toEqual([]);
    } finally {
      await db.cleanup();
      rmProject(dir);
    }
  }, 60_000);
});
