/** Views (issue 12): the model language, the comparison key, the pure diff's ops and order, reverse and render. */
import * as path from 'node:path';
import { viewsCreatedByMigrations } from '../../src/autogenerate';
import type { ResolvedConfig } from '../../src/config/load';
import { makeProject, rmProject } from '../helpers/cli';
import { arrangeViews, compare, fixedRenames, parseRenameFlags } from '../../src/diff';
import { compileModels } from '../../src/model/compile';
import { model } from '../../src/model/definition';
import { Integer, String } from '../../src/model/column-types';
import { view, viewForDialect } from '../../src/model/view';
import { describeOp } from '../../src/ops/describe';
import { reverseOps } from '../../src/ops/reverse';
import type { Operation } from '../../src/ops/types';
import { renderOp } from '../../src/render/render-op';
import { column, makeSchema } from '../../src/schema/build';
import type { Table, View } from '../../src/schema/types';
import { viewKey, viewReads } from '../../src/schema/view-sql';

const account = (amount = 'balance', type: 'integer' | 'bigint' = 'integer'): Table => ({
  name: 'account',
  columns: [column('id', 'integer', { nullable: false }), column(amount, type)],
  primaryKey: { name: 'account_pkey', columns: ['id'] },
  indexes: [],
  uniques: [],
  foreignKeys: [],
});
const other: Table = { ...account(), name: 'other' };
const v = (name: string, definition: string, dependsOn: string[] = []): View => ({ name, definition, dependsOn });
const rich = (amount = 'balance') => v('rich', `select id, ${amount} from account where ${amount} > 10`);
const richest = (amount = 'balance') => v('richest', `select id from rich where ${amount} > 99`);
const lines = (ops: readonly Operation[]) => ops.map(describeOp);

describe('view comparison key', () => {
  test('case, quotes, white space and a trailing semicolon make no difference; string contents do', () => {
    expect(viewKey(v('a', 'SELECT "id", `name`\n  FROM  Account WHERE x = \'A\';'))).toBe(viewKey(v('a', "select id, name from account where x = 'A'")));
    expect(viewKey(v('a', "select id from t where x = 'A'"))).not.toBe(viewKey(v('a', "select id from t where x = 'a'")));
  });

  test('comments make no difference (SQLite keeps a view as written)', () => {
    expect(viewKey(v('a', '-- the big ones\nselect id /* key */ from t where n > 1 -- enough'))).toBe(viewKey(v('a', 'select id from t where n > 1')));
  });

  test("the database's rendering wins over the text when known", () => {
    expect(viewKey({ ...v('a', 'select * from t'), comparable: 'SELECT t.id FROM t' })).toBe(viewKey(v('a', 'select t.id from t')));
  });

  test('reads: the names its text says, and those it declares', () => {
    expect(viewReads(v('x', 'select * from "Account" join other using (id)', ['extra']), ['account', 'other', 'third', 'x'])).toEqual(['account', 'extra', 'other']);
  });
});

describe('view() in the models', () => {
  const acc = model('Account', { id: Integer().primaryKey(), name: String(20) });

  test('compiles into Schema.views, sorted, with dependsOn by name or definition', () => {
    const schema = compileModels([acc, view('b_view', 'select id from account;', { dependsOn: [acc] }), view('a_view', 'select 1 as one')]);
    expect(schema.views).toEqual([
      { name: 'a_view', definition: 'select 1 as one', dependsOn: [] },
      { name: 'b_view', definition: 'select id from account', dependsOn: ['account'] },
    ]);
  });

  test('a definition per dialect, with a default', () => {
    const [compiled] = compileModels([view('x', { postgres: 'select 1::int as n', default: 'select 1 as n' })]).views!;
    expect(viewForDialect(compiled, 'postgres').definition).toBe('select 1::int as n');
    expect(viewForDialect(compiled, 'mysql')).toEqual({ name: 'x', definition: 'select 1 as n', dependsOn: [] });
    const [only] = compileModels([view('y', { sqlite: 'select 1 as n' })]).views!;
    expect(() => viewForDialect(only, 'mysql')).toThrow("view 'y': no definition for mysql");
  });

  test('a materialized view: PostgreSQL only, its indexes named by default', () => {
    const [m] = compileModels([view('mv', 'select 1 as a, 2 as b', { materialized: true, indexes: [{ columns: ['a'], unique: true }, { columns: ['b', 'a'] }] })]).views!;
    expect(viewForDialect(m, 'postgres')).toEqual({
      name: 'mv',
      definition: 'select 1 as a, 2 as b',
      dependsOn: [],
      materialized: true,
      indexes: [
        { name: 'mv_a_unique', columns: ['a'], unique: true },
        { name: 'mv_b_a_index', columns: ['b', 'a'] },
      ],
    });
    expect(() => viewForDialect(m, 'sqlite')).toThrow("view 'mv': materialized views are PostgreSQL's only (this database is sqlite)");
    expect(renderOp({ kind: 'createView', view: viewForDialect(m, 'postgres') }, 'postgres')).toBe(
      [
        `await knex.raw('CREATE MATERIALIZED VIEW "mv" AS select 1 as a, 2 as b');`,
        `await knex.raw('CREATE UNIQUE INDEX "mv_a_unique" ON "mv" ("a")');`,
        `await knex.raw('CREATE INDEX "mv_b_a_index" ON "mv" ("b", "a")');`,
      ].join('\n'),
    );
    expect(renderOp({ kind: 'dropView', view: m }, 'postgres')).toBe(`await knex.raw('DROP MATERIALIZED VIEW "mv"');`);
  });

  test.each([
    [[view('x', 'select 1', { indexes: [{ columns: ['a'] }] })], 'indexes need a materialized view'],
    [[view('x', 'select 1 where 1 = ?')], "contains '?'"],
    [[view('x', 'select 1; drop table account')], "contains ';'"],
    [[view('x', '  ')], 'needs a SELECT'],
    [[view('x', 'select 1'), view('x', 'select 2')], "view 'x' is defined twice"],
    [[acc, view('account', 'select 1')], "view 'account': the name of a table too"],
    [[view('x', { oracle: 'select 1' } as never)], "unknown dialect 'oracle'"],
  ])('refuses %#', (defs, message) => {
    expect(() => compileModels(defs)).toThrow(message);
  });
});

describe('compare and arrange views', () => {
  test('new views come after their tables, a view after the view it reads; down drops them first', async () => {
    const ops = await compare(makeSchema([]), makeSchema([account()], [richest(), rich()]));
    expect(lines(ops)).toEqual(["added table 'account'", "added view 'rich'", "added view 'richest'"]);
    expect(lines(reverseOps(arrangeViews(ops)))).toEqual(["removed view 'richest'", "removed view 'rich'", "removed table 'account'"]);
  });

  test('equal definitions, nothing; another definition, a replace; a removed view, a drop of its stored definition', async () => {
    const db = makeSchema([account()], [rich(), richest()]);
    expect(await compare(db, makeSchema([account()], [rich(), { ...richest(), definition: 'SELECT id FROM rich WHERE balance > 99' }]))).toEqual([]);
    const changed = await compare(db, makeSchema([account()], [rich(), v('richest', 'select id from rich where balance > 1000')]));
    expect(lines(changed)).toEqual(["changed view 'richest'"]);
    const dropped = await compare(db, makeSchema([account()], [rich()]));
    expect(dropped).toEqual([{ kind: 'dropView', view: richest() }]);
  });

  test('a renamed column or a changed type under a view: the view and the views that read it are dropped first and created last', async () => {
    const renames = fixedRenames(parseRenameFlags(['account.balance=amount']));
    const ops = await compare(makeSchema([account(), other], [rich(), richest()]), makeSchema([account('amount'), other], [rich('amount'), richest('amount')]), renames);
    expect(lines(ops)).toEqual(["renamed column 'account.balance' to 'amount'", "changed view 'rich'", "changed view 'richest'"]);
    const up = arrangeViews(ops);
    expect(up.map((o) => o.kind)).toEqual(['dropView', 'dropView', 'renameColumn', 'createView', 'createView']);
    expect(up.map((o) => ('view' in o ? o.view.name : ''))).toEqual(['richest', 'rich', '', 'rich', 'richest']);
    expect(reverseOps(reverseOps(up))).toEqual(up);

    const typed = await compare(makeSchema([account(), other], [rich(), richest()]), makeSchema([account('balance', 'bigint'), other], [rich(), richest()]));
    expect(lines(typed).slice(1)).toEqual([
      "re-created view 'rich' (it reads what this migration changes)",
      "re-created view 'richest' (it reads what this migration changes)",
    ]);
    // A change to a table no view reads leaves the views alone.
    const elsewhere = await compare(makeSchema([account(), other], [rich()]), makeSchema([account(), { ...other, columns: [other.columns[0]] }], [rich()]));
    expect(elsewhere.map((o) => o.kind)).toEqual(['dropColumn']);
  });
});

describe('render', () => {
  const view1 = v('rich', "select id from account where note <> 'it''s?'");
  test.each([
    ['postgres', `await knex.raw('CREATE VIEW "rich" AS select id from account where note <> \\'it\\'\\'s\\\\?\\'');`],
    ['mysql', "await knex.raw('CREATE VIEW `rich` AS select id from account where note <> \\'it\\'\\'s?\\'');"],
    ['sqlite', `await knex.raw('CREATE VIEW "rich" AS select id from account where note <> \\'it\\'\\'s?\\'');`],
  ] as const)('createView on %s', (dialect, expected) => {
    expect(renderOp({ kind: 'createView', view: view1 }, dialect)).toBe(expected);
  });

  test('dropView and replaceView', () => {
    expect(renderOp({ kind: 'dropView', view: view1 }, 'sqlite')).toBe("await knex.schema.dropView('rich');");
    expect(renderOp({ kind: 'replaceView', from: view1, to: v('rich', 'select 1 as x') }, 'postgres')).toBe(
      `await knex.schema.dropView('rich');\nawait knex.raw('CREATE VIEW "rich" AS select 1 as x');`,
    );
  });
});

describe('views the models used to declare', () => {
  test('are those a migration file of the folder creates, by quoted name, materialized or not', () => {
    const dir = makeProject({
      'migrations/20240101000000_a.ts': `await knex.raw('CREATE VIEW "rich ""one""" AS select 1');\nawait knex.raw('CREATE MATERIALIZED VIEW "totals" AS select 2');`,
      'migrations/20240102000000_b.ts': "await knex.raw('CREATE VIEW `my``view` AS select 1');\n// create view unquoted_is_not_read as select 1",
    });
    try {
      const config = { migrations: path.join(dir, 'migrations') } as ResolvedConfig;
      expect([...viewsCreatedByMigrations(config)].sort()).toEqual(['my`view', 'rich "one"', 'totals']);
      expect(viewsCreatedByMigrations({ migrations: path.join(dir, 'none') } as ResolvedConfig).size).toBe(0);
    } finally {
      rmProject(dir);
    }
  });
});
