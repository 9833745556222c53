/**
 * kiln/migrate's steps() against real databases. MySQL/MariaDB: the completed steps are undone,
 * last first; when an undo fails too, or the failed step had already run statements, the error
 * says exactly what stays applied. PostgreSQL/SQLite: no undo ever runs (the transaction's
 * rollback does it), and the error is the database's own.
 */
import type { Knex } from 'knex';
import { steps, stepsFailureOf, type Step } from 'kiln/migrate';
import { freshDatabase, type FreshDatabase } from '../helpers/databases';
import { testDialects } from '../helpers/dialects';
import { tableNames } from './helpers';

const create = (knex: Knex, table: string) => () => knex.schema.createTable(table, (t) => void t.increments('id'));
const drop = (knex: Knex, table: string) => () => knex.schema.dropTable(table);

describe.each(testDialects().map((d) => [d.name, d] as const))('steps() on %s', (name, dialect) => {
  let db: FreshDatabase;
  let knex: Knex;

  beforeEach(async () => {
    db = await freshDatabase(dialect);
    knex = db.connect();
  });
  afterEach(() => db.cleanup());

  /** As kiln's runner and Knex's migrator run a migration: in a transaction (MySQL commits DDL anyway). */
  const migrate = (list: (k: Knex) => Step[]) => knex.transaction((trx) => steps(trx, list(trx)));
  const failure = async (p: Promise<unknown>) => p.then(() => { throw new Error('expected a failure'); }, (e: Error) => e);

  test('a failing step: completed steps undone (MySQL) or rolled back, then the same list succeeds', async () => {
    const undone: string[] = [];
    const list = (k: Knex, fail: boolean): Step[] => [
      { run: create(k, 'a'), undo: async () => { undone.push('a'); await drop(k, 'a')(); } },
      { run: create(k, 'b'), undo: async () => { undone.push('b'); await drop(k, 'b')(); } },
      { run: () => (fail ? k.raw('select * from no_such_table') : k.raw('select 1')), undo: () => undone.push('c') },
    ];
    const e = await failure(migrate((k) => list(k, true)));
    expect(await tableNames(knex, name)).not.toEqual(expect.arrayContaining(['a']));
    expect(await tableNames(knex, name)).not.toContain('b');
    if (name === 'mysql') {
      expect(undone).toEqual(['b', 'a']);
      expect(e.message).toMatch(/no_such_table' doesn't exist; kiln undid the 2 completed steps of this migration: the database is as before it$/);
      expect(stepsFailureOf(e)).toMatchObject({ statement: { sql: 'select * from no_such_table' }, leftApplied: [] });
    } else {
      expect(undone).toEqual([]);
      expect(e.message).not.toMatch(/kiln/);
      expect(stepsFailureOf(e)).toBeUndefined();
    }
    await migrate((k) => list(k, false));
    expect(await tableNames(knex, name)).toEqual(expect.arrayContaining(['a', 'b']));
  });

  test('an undo that fails too: the error says which steps stay applied', async () => {
    const e = await failure(
      migrate((k) => [
        { run: create(k, 'a'), undo: () => k.raw('drop table no_such_table') },
        { run: create(k, 'b'), undo: drop(k, 'b') },
        { run: () => k.raw('select * from no_such_table'), undo: () => undefined },
      ]),
    );
    if (name !== 'mysql') {
      expect(e.message).not.toMatch(/kiln|undo/);
      expect(await tableNames(knex, name)).not.toContain('a');
      return;
    }
    expect(e.message).toMatch(/; undoing step 1 failed \(.*no_such_table.*\): step 1 stays applied \(step 2 was undone\)$/);
    expect(stepsFailureOf(e)?.leftApplied).toEqual([expect.stringMatching(/^create table `a` /)]);
    const tables = await tableNames(knex, name);
    expect(tables).toContain('a');
    expect(tables).not.toContain('b');
  });

  test('a step that fails after running a statement: that statement is named as staying applied', async () => {
    const e = await failure(
      migrate((k) => [
        { run: create(k, 'a'), undo: drop(k, 'a') },
        { run: async () => { await create(k, 'b')(); await k.raw('select * from no_such_table'); }, undo: drop(k, 'b') },
      ]),
    );
    const tables = await tableNames(knex, name);
    expect(tables).not.toContain('a');
    if (name !== 'mysql') {
      expect(tables).not.toContain('b');
      return;
    }
    expect(tables).toContain('b');
    expect(e.message).toMatch(/; kiln undid the 1 completed step of this migration; the failed step 2 had already run 1 statement, which stays applied$/);
    expect(stepsFailureOf(e)?.leftApplied).toEqual([expect.stringMatching(/^create table `b` /)]);
  });
});
