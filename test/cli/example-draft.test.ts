/**
 * The tutorial's event in the database (issue 12 item 3): models/draft.ts declares a trigger
 * that adds one to draft.edit_time each time body changes. Through the real binary on every
 * dialect of this run:
 * - the committed migration holds one body per database (kiln/migrate's byDialect), each exactly
 *   what `kiln db migrate -m "draft edit time"` generates today at the previous revision;
 * - after upgrade, db check is clean; a new draft counts 0, then 2 after two changes of body,
 *   and stays 2 when body is set to what it holds or another column changes; the seeds' draft
 *   reads 2 without setting it; db downgrade removes the trigger (PostgreSQL: its function too),
 *   after which edits are not counted; upgrading again counts again.
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
const DRAFT_FILE = FILES.find((f) => /_draft_edit_time\.ts$/.test(f)) as string;
const DRAFT = DRAFT_FILE.replace(/\.ts$/, '');
const BEFORE = FILES[FILES.indexOf(DRAFT_FILE) - 1].replace(/\.ts$/, '');

describe.each(dialects)('the Draft trigger on %s', (name, dialect) => {
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
  const editTime = async (id: number) => Number((await knex('draft').where({ id }).first('edit_time')).edit_time);

  test("the committed migration's body for this database is what db migrate generates", async () => {
    for (const f of FILES.slice(FILES.indexOf(DRAFT_FILE))) fs.unlinkSync(path.join(dir, 'migrations', f));
    expect((await k('db', 'upgrade')).code).toBe(0);
    const r = await k('db', 'migrate', '-m', 'draft edit time');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Detected added trigger 'draft_body_edited(_after)?' on 'draft'/);
    const written = fs.readdirSync(path.join(dir, 'migrations')).filter((f) => f.endsWith('_draft_edit_time.ts'));
    expect(written).toHaveLength(1);
    const generated = functionBodies(fs.readFileSync(path.join(dir, 'migrations', written[0]), 'utf8'));
    const committed = functionBodies(fs.readFileSync(path.join(REPO, 'migrations', DRAFT_FILE), 'utf8'));
    expect(committed[`up${DIALECT_SUFFIX[name]}`]).toBe(generated.up);
    expect(committed[`down${DIALECT_SUFFIX[name]}`]).toBe(generated.down);
  });

  test('edit_time counts the changes of body: 0, then 2 after two; downgrade stops the counting', async () => {
    let r = await k('db', 'upgrade');
    expect([r.stderr, r.code]).toEqual(['', 0]);
    r = await k('db', 'check');
    expect([r.stdout.trim(), r.stderr, r.code]).toEqual(['No new upgrade operations detected.', '', 0]);

    const [inserted] = await knex('draft').insert({ body: 'first' }, ['id']);
    const id = Number(typeof inserted === 'object' ? inserted.id : inserted);
    expect(await editTime(id)).toBe(0);
    await knex('draft').where({ id }).update({ body: 'second' });
    expect(await editTime(id)).toBe(1);
    await knex('draft').where({ id }).update({ body: 'third' });
    expect(await editTime(id)).toBe(2);
    // body set to what it holds, and another column changed: not an edit of body
    await knex('draft').where({ id }).update({ body: 'third' });
    await knex('draft').where({ id }).update({ id: id + 1000 });
    expect(await editTime(id + 1000)).toBe(2);
    // NULL to text and back are changes too
    await knex('draft').where({ id: id + 1000 }).update({ body: null });
    await knex('draft').where({ id: id + 1000 }).update({ body: 'back' });
    expect(await editTime(id + 1000)).toBe(4);

    expect((await k('db', 'seed')).code).toBe(0);
    expect(await knex('draft').whereIn('body', ['init', 'edited twice']).orderBy('id').select('body', 'edit_time')).toEqual([
      { body: 'init', edit_time: 0 },
      { body: 'edited twice', edit_time: 2 },
    ]);
    // the seeds are idempotent: a second run edits nothing
    expect((await k('db', 'seed')).code).toBe(0);
    expect(await knex('draft').where({ body: 'edited twice' }).select('edit_time')).toEqual([{ edit_time: 2 }]);

    r = await k('db', 'downgrade');
    expect([r.stderr, r.stdout.trim()]).toEqual(['', `Running downgrade ${DRAFT} -> ${BEFORE}, draft edit time`]);
    if (name === 'postgres') expect((await knex.raw("select proname from pg_proc where proname = 'draft_body_edited_fn'")).rows).toEqual([]);
    await knex('draft').where({ id: id + 1000 }).update({ body: 'not counted' });
    expect(await editTime(id + 1000)).toBe(4);

    r = await k('db', 'upgrade');
    expect([r.stderr, r.code]).toEqual(['', 0]);
    await knex('draft').where({ id: id + 1000 }).update({ body: 'counted again' });
    expect(await editTime(id + 1000)).toBe(5);
    expect((await k('db', 'check')).code).toBe(0);
  });
});
