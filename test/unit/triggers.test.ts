/** Triggers (issue 12 item 2): the model language, the comparison key, the pure diff's ops and order, reverse, render and the catalog parsers. */
import * as path from 'node:path';
import { detectedLines, triggersCreatedByMigrations } from '../../src/autogenerate';
import type { ResolvedConfig } from '../../src/config/load';
import { parseTrigger } from '../../src/dialect/sqlite/triggers';
import { splitNames } from '../../src/dialect/triggers';
import { arrangeTriggers, arrangeViews, compare, fixedRenames, parseRenameFlags } from '../../src/diff';
import { compileModels } from '../../src/model/compile';
import { model } from '../../src/model/definition';
import { Integer, String } from '../../src/model/column-types';
import { trigger, triggerForDialect } from '../../src/model/trigger';
import { describeOp } from '../../src/ops/describe';
import { reverseOps } from '../../src/ops/reverse';
import type { Operation } from '../../src/ops/types';
import { renderTriggers, triggerNotes } from '../../src/pull/triggers';
import { renderOp } from '../../src/render/render-op';
import { column, makeSchema } from '../../src/schema/build';
import { triggerKey } from '../../src/schema/trigger-sql';
import type { Table, Trigger } from '../../src/schema/types';
import { makeProject, rmProject } from '../helpers/cli';

const account = (amount = 'balance', type: 'integer' | 'bigint' = 'integer'): Table => ({
  name: 'account',
  columns: [column('id', 'integer', { nullable: false }), column(amount, type)],
  primaryKey: { name: 'account_pkey', columns: ['id'] },
  indexes: [],
  uniques: [],
  foreignKeys: [],
});
const t = (over: Partial<Trigger> = {}): Trigger => ({
  name: 'stamp',
  table: 'account',
  timing: 'after',
  events: ['insert'],
  forEach: 'row',
  body: 'INSERT INTO audit (n) VALUES (NEW.balance);',
  ...over,
});
const lines = (ops: readonly Operation[]) => ops.map(describeOp);
const acc = model('Account', { id: Integer().primaryKey(), name: String(20), balance: Integer() });
const BODIES = { sqlite: 'SELECT 1', postgres: 'BEGIN RETURN NEW; END', mysql: 'SET NEW.balance = 0' };

describe('trigger() in the models', () => {
  test('compiles into Schema.triggers with a body per dialect, picked per database', () => {
    const schema = compileModels([acc, trigger('stamp', { table: acc, timing: 'before', events: ['insert'], body: BODIES })]);
    const [compiled] = schema.triggers!;
    expect(compiled).toMatchObject({ name: 'stamp', table: 'account', timing: 'before', events: ['insert'], forEach: 'row' });
    expect(triggerForDialect(compiled, 'sqlite')).toEqual({ name: 'stamp', table: 'account', timing: 'before', events: ['insert'], forEach: 'row', body: 'SELECT 1;' });
    expect(triggerForDialect(compiled, 'postgres')).toMatchObject({ body: 'BEGIN RETURN NEW; END', function: 'stamp_fn' });
    expect(triggerForDialect(compiled, 'mysql')).toMatchObject({ body: 'SET NEW.balance = 0' });
  });

  test('a dialect without a body is refused by name, unless dialects leaves it out', () => {
    const [compiled] = compileModels([acc, trigger('stamp', { table: 'account', timing: 'after', events: ['insert'], body: { postgres: 'BEGIN RETURN NEW; END' } })]).triggers!;
    expect(() => triggerForDialect(compiled, 'mysql')).toThrow("trigger 'stamp': no body for mysql");
    const [only] = compileModels([acc, trigger('stamp', { table: 'account', timing: 'after', events: ['insert'], body: { postgres: 'x' }, dialects: ['postgres'] })]).triggers!;
    expect(triggerForDialect(only, 'mysql')).toBeUndefined();
    expect(triggerForDialect(only, 'postgres')).toMatchObject({ body: 'x' });
  });

  test('what a database cannot say is refused naming the trigger', () => {
    const [many] = compileModels([acc, trigger('many', { table: 'account', timing: 'after', events: ['insert', 'update'], body: BODIES })]).triggers!;
    expect(() => triggerForDialect(many, 'sqlite')).toThrow("trigger 'many': sqlite cannot say a trigger on several events");
    expect(triggerForDialect(many, 'postgres')).toMatchObject({ events: ['insert', 'update'] });
    const [when] = compileModels([acc, trigger('w', { table: 'account', timing: 'after', events: ['update'], of: ['balance'], when: 'NEW.balance > 0', body: BODIES })]).triggers!;
    expect(() => triggerForDialect(when, 'mysql')).toThrow("trigger 'w': mysql cannot say 'of'");
    expect(triggerForDialect(when, 'sqlite')).toMatchObject({ of: ['balance'], when: 'NEW.balance > 0' });
  });

  test('bad declarations are refused', () => {
    const make = (o: object) => () => compileModels([acc, trigger('x', { table: 'account', timing: 'after', events: ['insert'], body: 'SELECT 1', ...o } as never)]);
    expect(make({ table: 'nope' })).toThrow("trigger 'x': unknown table 'nope'");
    expect(make({ timing: 'during' })).toThrow("timing must be 'before' or 'after'");
    expect(make({ events: [] })).toThrow('events must be a non-empty list');
    expect(make({ events: ['update'], of: ['nope'] })).toThrow("unknown column 'account.nope'");
    expect(make({ of: ['balance'] })).toThrow("'of' needs the 'update' event");
    expect(make({ body: 'SELECT ?' })).toThrow("contains '?'");
    expect(make({ body: { oracle: 'x' } })).toThrow("unknown dialect 'oracle'");
    const [long] = compileModels([acc, trigger('t'.repeat(62), { table: 'account', timing: 'after', events: ['insert'], body: 'x' })]).triggers!;
    expect(() => triggerForDialect(long, 'postgres')).toThrow("its function name '" + 't'.repeat(62) + "_fn' is longer than 63 characters");
    expect(() => compileModels([acc, trigger('x', { table: 'account', timing: 'after', events: ['insert'], body: 'a' }), trigger('x', { table: 'account', timing: 'after', events: ['delete'], body: 'b' })])).toThrow("trigger 'x' is defined twice");
  });
});

describe('trigger comparison key', () => {
  test('case, quotes, white space, event order, a trailing semicolon and a wrapping parenthesis make no difference', () => {
    expect(triggerKey(t({ events: ['update', 'insert'], when: '((new.balance > 0))', body: 'insert into "audit" (n)\n values (new.balance)' }))).toBe(
      triggerKey(t({ events: ['insert', 'update'], when: 'NEW.balance > 0', body: 'INSERT INTO audit (n) VALUES (NEW.balance);' })),
    );
  });

  test('comments make no difference (SQLite and MySQL keep them in a body, PostgreSQL in a function), a string holding -- does', () => {
    const plain = triggerKey(t({ body: "INSERT INTO audit (n, note) VALUES (NEW.balance, 'x');" }));
    expect(triggerKey(t({ body: "-- a trace\nINSERT INTO audit (n, note) /* who */ VALUES (NEW.balance, 'x'); -- done" }))).toBe(plain);
    expect(triggerKey(t({ body: "INSERT INTO audit (n, note) VALUES (NEW.balance, '-- x');" }))).not.toBe(plain);
    expect(triggerKey(t({ body: "INSERT INTO audit (n, note) VALUES (NEW.balance, '/* x */');" }))).not.toBe(plain);
  });

  test('timing, events, columns, condition, function and body do', () => {
    const base = triggerKey(t());
    for (const over of [{ timing: 'before' as const }, { events: ['delete' as const] }, { of: ['balance'] }, { when: 'NEW.balance > 0' }, { function: 'f' }, { body: 'SELECT 2;' }, { table: 'other' }]) {
      expect(triggerKey(t(over))).not.toBe(base);
    }
  });

  test("the database's rendering of the condition wins when known", () => {
    expect(triggerKey(t({ when: "NEW.name = 'a'", comparable: "((new.name)::text = 'a'::text)" }))).toBe(triggerKey(t({ when: "(new.name)::text = 'a'::text" })));
  });
});

describe('triggers in the diff', () => {
  test('created after the tables, dropped first; a changed one replaced; down is the exact reverse', async () => {
    const from = makeSchema([account()], [], [t({ name: 'gone' }), t({ name: 'stamp' })]);
    const to = makeSchema([account(), { ...account(), name: 'audit' }], [], [t({ name: 'fresh', table: 'audit' }), t({ name: 'stamp', body: 'SELECT 3;' })]);
    const changes = await compare(from, to);
    expect(lines(changes)).toEqual([
      "removed trigger 'gone' on 'account'",
      "added table 'audit'",
      "changed trigger 'stamp' on 'account'",
      "added trigger 'fresh' on 'audit'",
    ]);
    const up = arrangeViews(arrangeTriggers(changes));
    expect(lines(up)).toEqual([
      "removed trigger 'gone' on 'account'",
      "removed trigger 'stamp' on 'account'",
      "added table 'audit'",
      "added trigger 'stamp' on 'account'",
      "added trigger 'fresh' on 'audit'",
    ]);
    expect(lines(reverseOps(up))).toEqual([
      "removed trigger 'fresh' on 'audit'",
      "removed trigger 'stamp' on 'account'",
      "removed table 'audit'",
      "added trigger 'stamp' on 'account'",
      "added trigger 'gone' on 'account'",
    ]);
    const down = reverseOps(up);
    expect(down[3]).toEqual({ kind: 'createTrigger', trigger: t({ name: 'stamp' }) });
  });

  test('equal triggers: nothing; one whose condition names a column whose type changes is re-created around the change', async () => {
    const same = t({ events: ['update'], of: ['balance'], when: 'NEW.balance > 0' });
    expect(await compare(makeSchema([account()], [], [same]), makeSchema([account()], [], [same]))).toEqual([]);
    const changes = await compare(makeSchema([account()], [], [same]), makeSchema([account('balance', 'bigint')], [], [same]));
    expect(lines(changes)).toContain("re-created trigger 'stamp' on 'account' (it names a column this migration changes)");
  });

  test('a column rename with a trigger whose body changes: dropped before the rename, created after', async () => {
    const renames = fixedRenames(parseRenameFlags(['account.balance=amount']));
    const changes = await compare(makeSchema([account()], [], [t()]), makeSchema([account('amount')], [], [t({ body: 'INSERT INTO audit (n) VALUES (NEW.amount);' })]), renames);
    expect(lines(arrangeTriggers(changes))).toEqual(["removed trigger 'stamp' on 'account'", "renamed column 'account.balance' to 'amount'", "added trigger 'stamp' on 'account'"]);
  });
});

describe('the Detected lines', () => {
  test("a dropped trigger is said with a warning; a replaced one is not", () => {
    expect(detectedLines([{ kind: 'dropTrigger', trigger: t() }])).toEqual([
      "Detected removed trigger 'stamp' on 'account'",
      "  warning: this drops trigger 'stamp' on 'account', which the models no longer declare",
    ]);
    expect(detectedLines([{ kind: 'replaceTrigger', from: t(), to: t({ body: 'SELECT 2;' }) }])).toEqual(["Detected changed trigger 'stamp' on 'account'"]);
  });
});

describe('trigger statements', () => {
  test('rendered per dialect through knex.raw, PostgreSQL with its function', () => {
    const pg = t({ body: "BEGIN RAISE NOTICE '$kiln$ ?'; RETURN NEW; END", function: 'stamp_fn', events: ['insert', 'update'], of: ['balance'], when: 'NEW.balance > 0' });
    expect(renderOp({ kind: 'createTrigger', trigger: pg }, 'postgres')).toBe(
      [
        "await knex.raw('CREATE FUNCTION \"stamp_fn\"() RETURNS trigger LANGUAGE plpgsql AS $kiln1$BEGIN RAISE NOTICE \\'$kiln$ \\\\?\\'; RETURN NEW; END$kiln1$');",
        "await knex.raw('CREATE TRIGGER \"stamp\" AFTER INSERT OR UPDATE OF \"balance\" ON \"account\" FOR EACH ROW WHEN (NEW.balance > 0) EXECUTE FUNCTION \"stamp_fn\"()');",
      ].join('\n'),
    );
    expect(renderOp({ kind: 'dropTrigger', trigger: pg }, 'postgres')).toBe("await knex.raw('DROP TRIGGER \"stamp\" ON \"account\"');\nawait knex.raw('DROP FUNCTION \"stamp_fn\"()');");
    expect(renderOp({ kind: 'createTrigger', trigger: t() }, 'mysql')).toBe("await knex.raw('CREATE TRIGGER `stamp` AFTER INSERT ON `account` FOR EACH ROW INSERT INTO audit (n) VALUES (NEW.balance);');");
    expect(renderOp({ kind: 'createTrigger', trigger: t({ events: ['update'], of: ['balance'], when: 'NEW.balance > 0' }) }, 'sqlite')).toBe(
      "await knex.raw('CREATE TRIGGER \"stamp\" AFTER UPDATE OF \"balance\" ON \"account\" FOR EACH ROW WHEN NEW.balance > 0 BEGIN\\nINSERT INTO audit (n) VALUES (NEW.balance);\\nEND');",
    );
    // The database's own statement, when read from it, is re-created as it is.
    expect(renderOp({ kind: 'dropTrigger', trigger: t({ sql: 'CREATE TRIGGER stamp  after insert ON account BEGIN SELECT 1; END' }) }, 'sqlite')).toBe("await knex.raw('DROP TRIGGER \"stamp\"');");
    expect(renderOp({ kind: 'createTrigger', trigger: t({ sql: 'CREATE TRIGGER stamp  after insert ON account BEGIN SELECT 1; END' }) }, 'sqlite')).toBe(
      "await knex.raw('CREATE TRIGGER stamp  after insert ON account BEGIN SELECT 1; END');",
    );
  });

  test("SQLite's stored text parsed into the model's terms; what a model cannot say is marked", () => {
    expect(parseTrigger('s', 'account', 'CREATE TRIGGER "s" after UPDATE OF "balance", name ON "account" FOR EACH ROW WHEN NEW.balance > 0 BEGIN\n  SELECT 1;\nEND')).toEqual({
      name: 's',
      table: 'account',
      timing: 'after',
      events: ['update'],
      of: ['balance', 'name'],
      forEach: 'row',
      when: 'NEW.balance > 0',
      body: 'SELECT 1;',
      sql: 'CREATE TRIGGER "s" after UPDATE OF "balance", name ON "account" FOR EACH ROW WHEN NEW.balance > 0 BEGIN\n  SELECT 1;\nEND',
    });
    expect(parseTrigger('s', 'v', 'CREATE TRIGGER s INSTEAD OF INSERT ON v BEGIN SELECT 1; END').unsayable).toBeDefined();
    expect(splitNames('a, "b ""c""", d')).toEqual(['a', 'b "c"', 'd']);
  });
});

describe('db pull of triggers', () => {
  test('a file per trigger, escaped; what the models cannot say is a note', () => {
    const files = renderTriggers([t({ name: 'stamp', body: "BEGIN INSERT INTO a VALUES ('`${x}'); RETURN NEW; END", function: 'other_fn', when: '(new.balance > 0)' }), t({ name: 'odd', body: "SELECT '?'" })], 'postgres', new Set());
    expect(files.map((f) => f.path)).toEqual(['triggers/stamp.ts']);
    expect(files[0].source).toContain("export const stamp = trigger('stamp', {");
    expect(files[0].source).toContain("  body: { postgres: `BEGIN INSERT INTO a VALUES ('\\`\\${x}'); RETURN NEW; END` },");
    expect(files[0].source).toContain("  when: { postgres: `(new.balance > 0)` },");
    expect(files[0].source).toContain("  function: 'other_fn',");
    expect(triggerNotes([t({ name: 'odd', body: "SELECT '?'" })])).toEqual([
      "trigger 'odd' on 'account' is not pulled: its body or condition holds a '?', which a model's trigger cannot say; 'kiln db check' lists it as unmanaged and migrations leave it alone",
    ]);
  });
});

describe('triggers a migration of the folder created', () => {
  test('found by their quoted names in CREATE TRIGGER, and by PostgreSQL\'s unquoted ones (lower case)', () => {
    const dir = makeProject({
      'migrations/20240101000000_a.ts': 'export async function up(knex) { await knex.raw(\'CREATE TRIGGER "a ""b" AFTER INSERT ON t BEGIN SELECT 1; END\'); await knex.raw("CREATE TRIGGER `c` BEFORE INSERT ON t FOR EACH ROW SET @x = 1"); await knex.raw(\'CREATE TRIGGER Plain_one AFTER INSERT ON t FOR EACH ROW EXECUTE FUNCTION f()\'); }\nexport async function down() {}\n',
    });
    try {
      const config = { migrations: path.join(dir, 'migrations'), loadExtensions: ['.ts'] } as unknown as ResolvedConfig;
      expect([...triggersCreatedByMigrations(config)].sort()).toEqual(['a "b', 'c', 'plain_one']);
    } finally {
      rmProject(dir);
    }
  });
});
