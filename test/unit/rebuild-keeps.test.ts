/**
 * kiln/sqlite's rebuild keeps what the model cannot say: hand-written triggers and views that
 * name a renamed column keep working (SQLite's own RENAME COLUMN rewrites them), indexes on
 * expressions and partial indexes survive, and a trigger or view the rebuild would break
 * fails the rebuild, named, with nothing changed.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import knexFactory, { type Knex } from 'knex';
import { rebuildTable, type RebuildSpec } from 'kiln/sqlite';

function open(file: string): Knex {
  return knexFactory({
    client: 'sqlite3',
    connection: { filename: file },
    useNullAsDefault: true,
    pool: {
      min: 1,
      max: 1,
      afterCreate: (conn: { run(sql: string, cb: (e: Error | null) => void): void }, done: (e: Error | null) => void) =>
        conn.run('PRAGMA foreign_keys = OFF', done),
    },
  });
}

let dir: string;
let knex: Knex;

/** Written by hand in SQL, as a user would, not by kiln. */
const SCHEMA = [
  'CREATE TABLE account (id INTEGER PRIMARY KEY AUTOINCREMENT, owner TEXT, balance TEXT, note TEXT)',
  'CREATE TABLE audit (id INTEGER PRIMARY KEY, who TEXT, amount INTEGER)',
  'CREATE TRIGGER account_audit AFTER UPDATE OF balance ON account BEGIN INSERT INTO audit (who, amount) VALUES (new.owner, new.balance); END',
  // A trigger on another table that names account.owner.
  "CREATE TRIGGER audit_flag AFTER INSERT ON audit WHEN new.amount > 1000 BEGIN UPDATE account SET note = 'big' WHERE owner = new.who; END",
  'CREATE VIEW account_owners AS SELECT id, owner FROM account',
  'CREATE INDEX account_lower_owner ON account (lower(owner))',
  'CREATE INDEX account_rich ON account (balance) WHERE balance > 100',
  'CREATE UNIQUE INDEX account_owner_note ON account (owner) WHERE note IS NOT NULL',
];

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-rebuild-keeps-'));
  knex = open(path.join(dir, 'db.sqlite'));
  for (const sql of SCHEMA) await knex.raw(sql);
  await knex('account').insert([
    { id: 1, owner: 'ann', balance: '50' },
    { id: 2, owner: 'bob', balance: '500' },
  ]);
});

afterEach(async () => {
  await knex.destroy();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** owner renamed to holder, balance text -> integer: the issue's `--rename account.owner=holder` plus a type change. */
const renameAndRetype: RebuildSpec = {
  columns: (t) => {
    t.increments('id');
    t.text('holder');
    t.integer('balance');
    t.text('note');
  },
  copy: [
    ['id', 'id'],
    ['holder', 'owner'],
    ['balance', 'balance'],
    ['note', 'note'],
  ],
};

const master = (db: Knex) => db.raw("SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name");

test('a rename folded into a rebuild rewrites triggers and views: a later UPDATE works and the trigger fires', async () => {
  await knex.transaction((trx) => rebuildTable(trx, 'account', renameAndRetype));

  await knex('account').where({ id: 2 }).update({ balance: 2000 });
  expect(await knex('audit').select('who', 'amount')).toEqual([{ who: 'bob', amount: 2000 }]);
  // The trigger on audit (which names account's column) fired too.
  expect(await knex('account').where({ id: 2 }).first()).toEqual({ id: 2, holder: 'bob', balance: 2000, note: 'big' });
  expect(await knex('account_owners').orderBy('id')).toEqual([
    { id: 1, holder: 'ann' },
    { id: 2, holder: 'bob' },
  ]);
  const sql = new Map(((await master(knex)) as { name: string; sql: string }[]).map((r) => [r.name, r.sql]));
  expect(sql.get('account_audit')).toMatch(/new\."?holder"?/);
  expect(sql.get('account_audit')).not.toMatch(/owner/);
  expect(sql.get('account_owners')).toMatch(/SELECT "?id"?, "?holder"? FROM account/);
});

test('indexes on expressions and partial indexes are kept by a rebuild (and follow a rename)', async () => {
  await knex.transaction((trx) => rebuildTable(trx, 'account', renameAndRetype));
  const list = (await knex.raw('PRAGMA index_list(account)')) as { name: string; unique: number; partial: number }[];
  expect(list.map((i) => [i.name, i.unique, i.partial]).sort()).toEqual([
    ['account_lower_owner', 0, 0],
    ['account_owner_note', 1, 1],
    ['account_rich', 0, 1],
  ]);
  const sql = new Map(((await master(knex)) as { name: string; sql: string }[]).map((r) => [r.name, r.sql]));
  expect(sql.get('account_lower_owner')).toMatch(/lower\("?holder"?\)/);
  expect(sql.get('account_rich')).toMatch(/WHERE balance > 100$/);
  // The partial unique index still works as one: a second 'ann' with a note is refused.
  await knex('account').where({ id: 1 }).update({ note: 'x' });
  await expect(knex('account').insert({ holder: 'ann', note: 'y' })).rejects.toThrow(/UNIQUE/);
  await knex('account').insert({ holder: 'ann' });
});

test('a plain rebuild (no rename) keeps them too', async () => {
  const retype: RebuildSpec = {
    columns: (t) => {
      t.increments('id');
      t.text('owner');
      t.integer('balance');
      t.text('note');
    },
    copy: [
      ['id', 'id'],
      ['owner', 'owner'],
      ['balance', 'balance'],
      ['note', 'note'],
    ],
  };
  const before = ((await master(knex)) as { type: string; name: string; sql: string }[]).filter((r) => r.type !== 'table');
  await knex.transaction((trx) => rebuildTable(trx, 'account', retype));
  const after = ((await master(knex)) as { type: string; name: string; sql: string }[]).filter((r) => r.type !== 'table');
  expect(after).toEqual(before);
});

test('swapped column names keep each trigger on the right column', async () => {
  const swap: RebuildSpec = {
    columns: (t) => {
      t.increments('id');
      t.text('note');
      t.text('balance');
      t.text('owner');
    },
    copy: [
      ['id', 'id'],
      ['note', 'owner'],
      ['owner', 'note'],
      ['balance', 'balance'],
    ],
  };
  await knex.transaction((trx) => rebuildTable(trx, 'account', swap));
  expect(await knex('account').where({ id: 1 }).first()).toEqual({ id: 1, note: 'ann', balance: '50', owner: null });
  await knex('account').where({ id: 1 }).update({ balance: '60' });
  expect(await knex('audit').select('who')).toEqual([{ who: 'ann' }]);
});

test('triggers that name a dropped column fail the rebuild, all named; nothing changes', async () => {
  const before = await master(knex);
  const dropOwner: RebuildSpec = {
    columns: (t) => {
      t.increments('id');
      t.text('balance');
      t.text('note');
    },
    copy: [
      ['id', 'id'],
      ['balance', 'balance'],
      ['note', 'note'],
    ],
  };
  await knex.raw('DROP INDEX account_lower_owner');
  await knex.raw('DROP INDEX account_owner_note');
  await knex.raw('DROP VIEW account_owners');
  const kept = await master(knex);
  await expect(knex.transaction((trx) => rebuildTable(trx, 'account', dropOwner))).rejects.toThrow(
    /kiln rebuildTable\('account'\): 2 triggers or views no longer work after the rebuild: .*error in trigger (account_audit|audit_flag): no such column: .*owner.*; .*error in trigger (account_audit|audit_flag): no such column: .*owner/,
  );
  expect(await master(knex)).toEqual(kept);
  expect(before).not.toEqual(kept);
  expect(await knex('account').orderBy('id').pluck('owner')).toEqual(['ann', 'bob']);
});

test('a view that names a dropped column fails the rebuild, named', async () => {
  await knex.raw('DROP TRIGGER account_audit');
  await knex.raw('DROP TRIGGER audit_flag');
  await knex.raw('DROP INDEX account_lower_owner');
  await knex.raw('DROP INDEX account_owner_note');
  const before = await master(knex);
  const dropOwner: RebuildSpec = {
    columns: (t) => {
      t.increments('id');
      t.text('balance');
    },
    copy: [
      ['id', 'id'],
      ['balance', 'balance'],
    ],
  };
  await expect(knex.transaction((trx) => rebuildTable(trx, 'account', dropOwner))).rejects.toThrow(
    /a trigger or view no longer works after the rebuild: .*error in view account_owners: no such column: owner/,
  );
  expect(await master(knex)).toEqual(before);
});

test('an expression index on a dropped column fails the rebuild, named', async () => {
  const before = await master(knex);
  const dropOwner: RebuildSpec = {
    columns: (t) => {
      t.increments('id');
      t.text('balance');
      t.text('note');
    },
    copy: [
      ['id', 'id'],
      ['balance', 'balance'],
      ['note', 'note'],
    ],
  };
  await expect(knex.transaction((trx) => rebuildTable(trx, 'account', dropOwner))).rejects.toThrow(
    /index 'account_lower_owner' cannot be recreated after the rebuild: .*no such column: owner/,
  );
  expect(await master(knex)).toEqual(before);
});

test('a view that was already broken before the rebuild does not block it', async () => {
  await knex.raw('CREATE TABLE gone (x INTEGER)');
  await knex.raw('CREATE VIEW stale AS SELECT x FROM gone');
  await knex.raw('DROP TABLE gone');
  const retype: RebuildSpec = {
    columns: (t) => {
      t.increments('id');
      t.text('owner');
      t.integer('balance');
      t.text('note');
    },
    copy: [
      ['id', 'id'],
      ['owner', 'owner'],
      ['balance', 'balance'],
      ['note', 'note'],
    ],
  };
  await knex.transaction((trx) => rebuildTable(trx, 'account', retype));
  expect(await knex('account').orderBy('id').pluck('balance')).toEqual([50, 500]);
});

test('a view the rebuild breaks is caught even behind one that was broken before', async () => {
  await knex.raw('DROP TRIGGER account_audit');
  await knex.raw('DROP TRIGGER audit_flag');
  await knex.raw('DROP INDEX account_lower_owner');
  await knex.raw('DROP INDEX account_owner_note');
  await knex.raw('CREATE TABLE gone (x INTEGER)');
  await knex.raw('CREATE VIEW a_stale AS SELECT x FROM gone');
  await knex.raw('DROP TABLE gone');
  const dropOwner: RebuildSpec = {
    columns: (t) => {
      t.increments('id');
      t.text('balance');
    },
    copy: [
      ['id', 'id'],
      ['balance', 'balance'],
    ],
  };
  const err = await knex.transaction((trx) => rebuildTable(trx, 'account', dropOwner)).catch((e: Error) => e);
  expect(err).toBeInstanceOf(Error);
  expect((err as Error).message).toMatch(/a trigger or view no longer works after the rebuild: .*error in view account_owners: no such column: owner/);
  expect((err as Error).message).not.toMatch(/a_stale/);
});

test('a trigger whose CREATE TRIGGER spells the table in another case is kept (SQLite names are case-blind)', async () => {
  // sqlite_master.tbl_name keeps the spelling of the trigger's ON clause: 'ACCOUNT' here.
  await knex.raw("CREATE TRIGGER account_upper AFTER UPDATE OF note ON ACCOUNT BEGIN INSERT INTO audit (who, amount) VALUES ('upper', 1); END");
  await knex.transaction((trx) => rebuildTable(trx, 'account', renameAndRetype));
  const names = ((await master(knex)) as { name: string }[]).map((r) => r.name);
  expect(names).toContain('account_upper');
  await knex('account').where({ id: 1 }).update({ note: 'n' });
  expect(await knex('audit').select('who')).toEqual([{ who: 'upper' }]);
});

test("an index the model recreates keeps its hand-written COLLATE and DESC (a case-blind unique stays case-blind)", async () => {
  // kiln reads `owner COLLATE NOCASE` as a plain unique on owner: the model's `indexes` recreates it.
  await knex.raw('CREATE UNIQUE INDEX account_owner_ci ON account (owner COLLATE NOCASE)');
  await knex.raw('CREATE INDEX account_note_desc ON account (note DESC)');
  const spec: RebuildSpec = {
    ...renameAndRetype,
    indexes: (t) => {
      t.unique(['holder'], { indexName: 'account_owner_ci' });
      t.index(['note'], 'account_note_desc');
    },
  };
  await knex.transaction((trx) => rebuildTable(trx, 'account', spec));
  await expect(knex('account').insert({ holder: 'ANN' })).rejects.toThrow(/UNIQUE/);
  const xinfo = (await knex.raw("SELECT \"desc\" AS d FROM pragma_index_xinfo('account_note_desc') WHERE key = 1")) as { d: number }[];
  expect(xinfo).toEqual([{ d: 1 }]);
});
