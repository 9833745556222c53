/**
 * The scenario, end to end with the real binary on SQLite: triggers, a view, an index on
 * an expression and a partial index written by hand; `db migrate --rename post.title=headline`
 * together with a type change on another column folds the rename into a rebuild. After the
 * upgrade, UPDATEs work, the trigger fires under the new name, and nothing was dropped.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { freshDatabase } from '../helpers/databases';
import { copyExample, expectUserError, kiln, rmProject } from '../helpers/cli';

const HAND_WRITTEN = [
  'CREATE TRIGGER post_stamped AFTER UPDATE OF body ON post BEGIN UPDATE comment SET body = new.title WHERE post_id = new.id; END',
  'CREATE VIEW post_titles AS SELECT id, title FROM post',
  // With a COLLATE, indexes kiln's models cannot say (unmanaged): kiln never drops them. (An
  // index on an expression or a partial index kiln can say is compared with the models' own.)
  'CREATE INDEX post_title_lower ON post (lower(title) COLLATE NOCASE)',
  'CREATE INDEX post_body_partial ON post (body COLLATE NOCASE) WHERE body IS NOT NULL',
];

test('a rename folded into a rebuild keeps hand-written triggers, views, expression and partial indexes working', async () => {
  const dir = copyExample();
  const db = await freshDatabase({ name: 'sqlite' });
  const env = { DATABASE_URL: db.url };
  try {
    expect((await kiln(['db', 'upgrade'], { cwd: dir, env })).code).toBe(0);
    expect((await kiln(['db', 'seed'], { cwd: dir, env })).code).toBe(0);
    const knex = db.connect();
    for (const sql of HAND_WRITTEN) await knex.raw(sql);
    // Neither the partial index nor the expression index is read as something else.
    const clean = await kiln(['db', 'check'], { cwd: dir, env });
    expect(clean.stdout).toContain('No new upgrade operations detected.');
    expect(clean.code).toBe(0);

    const model = path.join(dir, 'models', 'post-comment.ts');
    const text = fs.readFileSync(model, 'utf8');
    fs.writeFileSync(model, text.replace('title: String(50).unique()', 'headline: String(50).unique()').replace('body: Text(),\n  },\n  { relationships: { comments', 'body: String(500),\n  },\n  { relationships: { comments'));
    const mig = await kiln(['db', 'migrate', '-m', 'rename and retype', '--rename', 'post.title=headline'], { cwd: dir, env });
    expect(mig.stderr).toBe('');
    expect(mig.code).toBe(0);
    expect(mig.stdout).toContain("Detected renamed column 'post.title' to 'headline'");
    const written = fs.readFileSync(path.join(dir, 'migrations', fs.readdirSync(path.join(dir, 'migrations')).find((f) => f.includes('rename_and_retype'))!), 'utf8');
    expect(written).toContain("await rebuildTable(knex, 'post'");

    const up = await kiln(['db', 'upgrade'], { cwd: dir, env });
    expect(up.stderr).toBe('');
    expect(up.code).toBe(0);

    const post = await knex('post').orderBy('id').first();
    expect(await knex('comment').where({ post_id: post.id }).count({ n: '*' })).not.toEqual([{ n: 0 }]);
    await knex('post').where({ id: post.id }).update({ body: 'edited' });
    // The trigger fired, reading the renamed column.
    expect(new Set(await knex('comment').where({ post_id: post.id }).pluck('body'))).toEqual(new Set([post.headline]));
    expect((await knex('post_titles').orderBy('id')).map((r: Record<string, unknown>) => Object.keys(r))).toContainEqual(['id', 'headline']);
    const indexes = (await knex.raw("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'post' AND sql IS NOT NULL ORDER BY name")) as { name: string; sql: string }[];
    expect(indexes.map((i) => i.name)).toEqual(expect.arrayContaining(['post_body_partial', 'post_title_lower']));
    expect(indexes.find((i) => i.name === 'post_title_lower')!.sql).toMatch(/lower\("?headline"?\)/);
    expect(indexes.find((i) => i.name === 'post_body_partial')!.sql).toMatch(/WHERE body IS NOT NULL$/);

    const check = await kiln(['db', 'check'], { cwd: dir, env });
    expect(check.stdout).toContain('No new upgrade operations detected.');
    expect(check.code).toBe(0);

    // And back: the downgrade renames headline to title inside its rebuild; the trigger follows.
    const down = await kiln(['db', 'downgrade'], { cwd: dir, env });
    expect(down.stderr).toBe('');
    expect(down.code).toBe(0);
    await knex('post').where({ id: post.id }).update({ body: 'edited again' });
    expect(new Set(await knex('comment').where({ post_id: post.id }).pluck('body'))).toEqual(new Set([post.headline]));
    expect((await knex('post_titles').first()) ?? {}).toHaveProperty('title');
  } finally {
    await db.cleanup();
    rmProject(dir);
  }
});

test('a renamed table rebuilt in the same migration keeps the triggers and views that name it', async () => {
  const dir = copyExample();
  const db = await freshDatabase({ name: 'sqlite' });
  const env = { DATABASE_URL: db.url };
  try {
    expect((await kiln(['db', 'upgrade'], { cwd: dir, env })).code).toBe(0);
    const knex = db.connect();
    await knex.raw('CREATE TRIGGER note_shout AFTER INSERT ON note BEGIN UPDATE note SET body = upper(new.body) WHERE id = new.id; END');
    await knex.raw('CREATE VIEW note_bodies AS SELECT id, body FROM note');
    const model = path.join(dir, 'models', 'note.ts');
    fs.writeFileSync(
      model,
      fs.readFileSync(model, 'utf8').replace('Integer, Text }', 'Integer, String, Text }').replace("model('Note'", "model('Memo'").replace('body: Text(),', 'body: String(500),'),
    );
    const mig = await kiln(['db', 'migrate', '-m', 'memo', '--rename', 'note=memo'], { cwd: dir, env });
    expect(mig.code).toBe(0);
    const up = await kiln(['db', 'upgrade'], { cwd: dir, env });
    expect(up.stderr).toBe('');
    expect(up.code).toBe(0);
    await knex('memo').insert({ id: 7, body: 'quiet' });
    expect(await knex('memo').where({ id: 7 }).first()).toEqual({ id: 7, body: 'QUIET' });
    expect(await knex('note_bodies').where({ id: 7 }).first()).toEqual({ id: 7, body: 'QUIET' });
  } finally {
    await db.cleanup();
    rmProject(dir);
  }
});

test('a rebuild that would break a hand-written trigger is refused, naming it, and rolled back', async () => {
  const dir = copyExample();
  const db = await freshDatabase({ name: 'sqlite' });
  const env = { DATABASE_URL: db.url };
  try {
    expect((await kiln(['db', 'upgrade'], { cwd: dir, env })).code).toBe(0);
    const knex = db.connect();
    await knex.raw('CREATE TRIGGER post_copy AFTER UPDATE ON post BEGIN UPDATE comment SET body = new.body WHERE post_id = new.id; END');
    const model = path.join(dir, 'models', 'post-comment.ts');
    fs.writeFileSync(model, fs.readFileSync(model, 'utf8').replace('    title: String(50).unique(),\n    body: Text(),\n', '    title: String(120).unique(),\n'));
    const mig = await kiln(['db', 'migrate', '-m', 'drop body'], { cwd: dir, env });
    expect(mig.stdout).toContain("Detected removed column 'post.body'");
    const current = (await kiln(['db', 'current'], { cwd: dir, env })).stdout;
    const up = await kiln(['db', 'upgrade'], { cwd: dir, env });
    expectUserError(up, /a trigger or view no longer works after the rebuild: .*error in trigger post_copy: no such column: new\.body/);
    expect((await kiln(['db', 'current'], { cwd: dir, env })).stdout).toBe(current);
    expect((await knex.raw('PRAGMA table_info(post)')).map((c: { name: string }) => c.name)).toContain('body');
    expect(await knex.raw("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'post'")).toEqual([{ name: 'post_copy' }]);
  } finally {
    await db.cleanup();
    rmProject(dir);
  }
});
