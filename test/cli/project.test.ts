/**
 * Finding and reading the project: a config file's default export awaited, the project found from
 * a subfolder, and the CLI's hints (a mistyped command, a --rename to paste). Real binary, SQLite.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { expectUserError, handMigration, kiln, KILN_BIN, makeProject, rmProject, run } from '../helpers/cli';

const NOTE_MIGRATION = handMigration('create note', "  await knex.schema.createTable('note', (t) => { t.increments('id'); t.text('body'); });", "  await knex.schema.dropTable('note');");

describe("a config file's default export is awaited", () => {
  let dir: string;
  afterEach(() => rmProject(dir));

  test.each([
    ['a promise', "export default Promise.resolve({ database: 'sqlite:///other.db' });\n"],
    ['an async function', "export default async () => ({ database: 'sqlite:///other.db' });\n"],
    ['a function', "export default () => ({ database: 'sqlite:///other.db' });\n"],
  ])('%s', async (_what, config) => {
    dir = makeProject({ 'kiln.config.ts': config, 'migrations/20260101000000_create_note.ts': NOTE_MIGRATION });
    const r = await kiln(['db', 'upgrade'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(fs.existsSync(path.join(dir, 'other.db'))).toBe(true);
    expect(fs.existsSync(path.join(dir, 'data.db'))).toBe(false);
  });

  test('a rejected promise is one config error line', async () => {
    dir = makeProject({ 'kiln.config.ts': "export default Promise.reject(new Error('vault unreachable'));\n", 'migrations/.gitkeep': '' });
    const r = await kiln(['db', 'current'], { cwd: dir });
    expectUserError(r, /^error: config file kiln\.config\.ts failed: vault unreachable$/);
  });

  test('a promise of something that is not an object is refused', async () => {
    dir = makeProject({ 'kiln.config.ts': 'export default Promise.resolve(42);\n', 'migrations/.gitkeep': '' });
    expectUserError(await kiln(['db', 'current'], { cwd: dir }), /^error: config file kiln\.config\.ts must export an object/);
  });
});

describe('run from a subfolder, kiln finds the project above it', () => {
  let dir: string;
  afterEach(() => rmProject(dir));

  test('upgrade and current from sub/deeper use the root config, migrations and database', async () => {
    dir = makeProject({
      'kiln.config.ts': "export default { database: 'sqlite:///app.db' };\n",
      'migrations/20260101000000_create_note.ts': NOTE_MIGRATION,
      'sub/deeper/.gitkeep': '',
    });
    const cwd = path.join(dir, 'sub', 'deeper');
    const up = await kiln(['db', 'upgrade'], { cwd });
    expect(up.stderr).toBe('');
    expect(up.stdout).toBe('Running upgrade <base> -> 20260101000000_create_note, create note\n');
    expect((await kiln(['db', 'current'], { cwd })).stdout).toBe('20260101000000_create_note (head)\n');
    expect(fs.existsSync(path.join(dir, 'app.db'))).toBe(true);
    expect(fs.readdirSync(cwd)).toEqual(['.gitkeep']);
  });

  test('the nearest config wins (a nested project is its own)', async () => {
    dir = makeProject({
      'kiln.config.ts': "export default { database: 'sqlite:///outer.db' };\n",
      'inner/kiln.config.ts': "export default { database: 'sqlite:///inner.db' };\n",
      'inner/migrations/20260101000000_create_note.ts': NOTE_MIGRATION,
      'inner/src/.gitkeep': '',
    });
    expect((await kiln(['db', 'upgrade'], { cwd: path.join(dir, 'inner', 'src') })).code).toBe(0);
    expect(fs.existsSync(path.join(dir, 'inner', 'inner.db'))).toBe(true);
    expect(fs.existsSync(path.join(dir, 'outer.db'))).toBe(false);
  });
});

describe('hints a user can act on', () => {
  let dir: string;
  afterEach(() => rmProject(dir));

  test.each([
    [['db', 'upgrad'], 'db upgrade'],
    [['db', 'migrat', '-m', 'x'], 'db migrate'],
    [['initd'], 'initdb'],
  ])('%j suggests the command in the form it is typed', async (args, near) => {
    dir = makeProject();
    const r = await kiln(args, { cwd: dir });
    expectUserError(r, new RegExp(`^error: unknown command '${args.filter((a) => !a.startsWith('-') && a !== 'x').join(' ')}'$`));
    expect(r.stderr).toContain(`hint: did you mean 'kiln ${near}'?`);
    expect(r.stderr).not.toMatch(/\w:\w/);
  });

  test('a --rename hint is quoted for the shell, and pasting it renames the column', async () => {
    dir = makeProject({
      'kiln.config.ts': "export default { models: 'models' };\n",
      'migrations/20260101000000_create_user.ts': handMigration(
        'create user',
        "  await knex.schema.createTable('user', (t) => { t.increments('id'); t.string('old $name', 20); });",
        "  await knex.schema.dropTable('user');",
      ),
      'models/user.ts': "import { model, Integer, String } from 'kiln';\nexport const User = model('User', { id: Integer().primaryKey(), new: String(20) });\n",
    });
    expect((await kiln(['db', 'upgrade'], { cwd: dir })).code).toBe(0);
    const r = await kiln(['db', 'migrate', '-m', 'drop add'], { cwd: dir });
    const hint = /run again with (--rename .*)$/m.exec(r.stderr);
    expect(hint?.[1]).toBe("--rename 'user.old $name=new'");
    for (const f of fs.readdirSync(path.join(dir, 'migrations'))) if (/drop_add/.test(f)) fs.unlinkSync(path.join(dir, 'migrations', f));
    // The hint pasted into a shell as printed.
    const pasted = await run('bash', ['-c', `"${process.execPath}" "${KILN_BIN}" db migrate -m renamed ${hint![1]}`], { cwd: dir });
    expect(pasted.stderr).toBe('');
    expect(pasted.stdout).toContain("Detected renamed column 'user.old $name' to 'new'");
  });
});
