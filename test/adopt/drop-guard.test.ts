/**
 * Issue 13, item 1: tables kiln does not manage are left alone. On Chinook (loaded from the
 * shared real databases into SQLite, PostgreSQL and MariaDB), adding one model must not drop
 * the 11 tables kiln never created: `db migrate` refuses and names them; `exclude` makes them
 * invisible to migrate, upgrade, check and initdb --drop; `--allow-drop` drops exactly the named one;
 * a table whose model was deleted is still dropped, with the warning.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { freshDatabase, type FreshDatabase } from '../helpers/databases';
import { testDialects } from '../helpers/dialects';
import { expectUserError, kiln, makeProject, rmProject, writeFile, type RunResult } from '../helpers/cli';
import { chinookTable, chinookTables, loadChinook } from './chinook';

const NOTE_MODEL = "import { table, Integer, String } from 'kiln';\nexport const Note = table('note', { id: Integer().primaryKey(), body: String(200) });\n";
const MEMO_MODEL = "import { table, Integer, String } from 'kiln';\nexport const Memo = table('memo', { id: Integer().primaryKey(), body: String(200) });\n";
const show = (r: RunResult) => `exit ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`;
const migrationFiles = (dir: string) => fs.readdirSync(path.join(dir, 'migrations')).filter((f) => f.endsWith('.ts'));

describe.each(testDialects().map((d) => [d.name, d] as const))('Chinook on %s', (name, dialect) => {
  let db: FreshDatabase;
  let dir: string;
  let env: Record<string, string>;
  const tables = chinookTables(name);
  const genre = chinookTable(name, 'Genre');
  const config = (exclude: string[]) => writeFile(dir, 'kiln.config.ts', `export default { exclude: ${JSON.stringify(exclude)} };\n`);

  beforeEach(async () => {
    db = await freshDatabase(dialect);
    await loadChinook(db.connect(), name);
    dir = makeProject({ 'kiln.config.ts': 'export default {};\n', 'models/note.ts': NOTE_MODEL, 'migrations/.keep': '' });
    env = { DATABASE_URL: db.url };
  }, 120000);
  afterEach(async () => {
    await db.cleanup();
    rmProject(dir);
  });

  test('db migrate refuses to drop the 11 populated tables it never created, and names them', async () => {
    const r = await kiln(['db', 'migrate', '-m', 'add note'], { cwd: dir, env });
    expectUserError(r, /refusing to drop 11 tables that kiln's migrations never created and that hold rows/);
    for (const t of tables) expect(r.stderr).toMatch(new RegExp(`[ ,:]${t} \\(\\d+ rows?\\)`));
    expect(r.stderr).toContain(`${genre} (25 rows)`);
    expect(r.stderr).toContain(`: ${chinookTable(name, 'Album')} (347 rows), ${chinookTable(name, 'Artist')} (275 rows), `);
    expect(r.stderr).toContain("'kiln db pull'");
    expect(r.stderr).toContain("'exclude' in the config");
    expect(r.stderr).toContain("'--allow-drop TABLE'");
    expect(migrationFiles(dir)).toEqual([]);
    // --allow-drop for one table leaves the other ten guarded.
    const one = await kiln(['db', 'migrate', '-m', 'add note', '--allow-drop', genre], { cwd: dir, env });
    expectUserError(one, /refusing to drop 10 tables/);
    expect(one.stderr).not.toContain(`${genre} (`);
    expect(migrationFiles(dir)).toEqual([]);
  });

  test('with the tables excluded, migrate writes only the new table and every command leaves them alone', async () => {
    config(tables.map((t) => (t === genre ? t : `${t.slice(0, -1)}*`)));
    writeFile(dir, 'models/memo.ts', MEMO_MODEL);
    let r = await kiln(['db', 'migrate', '-m', 'add note'], { cwd: dir, env });
    expect(r.code === 0 ? '' : show(r)).toBe('');
    expect(r.stdout.split('\n').filter((l) => l.startsWith('Detected')).sort()).toEqual(["Detected added table 'memo'", "Detected added table 'note'"]);
    const [file] = migrationFiles(dir);
    const source = fs.readFileSync(path.join(dir, 'migrations', file), 'utf8');
    expect(source).not.toMatch(/dropTable\((?!'memo'|'note')/);
    r = await kiln(['db', 'upgrade'], { cwd: dir, env });
    expect(r.code === 0 ? '' : show(r)).toBe('');
    r = await kiln(['db', 'check'], { cwd: dir, env });
    expect(r.code === 0 ? '' : show(r)).toBe('');
    r = await kiln(['initdb', '--drop', '--yes'], { cwd: dir, env });
    expect(r.code === 0 ? '' : show(r)).toBe('');
    expect(r.stdout).toMatch(/^Drop tables\. \((memo, note|note, memo)\)$/m);
    const knex = db.connect();
    expect(Number((await knex(genre).count({ n: '*' }))[0].n)).toBe(25);
    // A table whose model was deleted is still dropped (the history created it), with the warning.
    await knex('note').insert({ id: 1, body: 'kept until the model goes' });
    fs.unlinkSync(path.join(dir, 'models', 'note.ts'));
    r = await kiln(['db', 'migrate', '-m', 'drop note'], { cwd: dir, env });
    expect(r.code === 0 ? '' : show(r)).toBe('');
    expect(r.stdout).toContain("Detected removed table 'note'");
    expect(r.stdout).toMatch(/warning: this/);
  });

  test('--allow-drop Genre drops only Genre', async () => {
    config(tables.filter((t) => t !== genre));
    let r = await kiln(['db', 'migrate', '-m', 'drop genre', '--allow-drop', genre], { cwd: dir, env });
    expect(r.code === 0 ? '' : show(r)).toBe('');
    const [file] = migrationFiles(dir);
    const source = fs.readFileSync(path.join(dir, 'migrations', file), 'utf8');
    const up = source.slice(source.indexOf('export async function up'), source.indexOf('export async function down'));
    expect(up).toContain(`createTable('note'`);
    // (On MySQL `up` also holds the undo of its own createTable('note'): kiln/migrate steps.)
    expect([...new Set(up.match(/dropTable\('[^']*'/g))].filter((d) => d !== "dropTable('note'")).toEqual([`dropTable('${genre}'`]);
    // Naming a table the migration does not drop is refused.
    fs.unlinkSync(path.join(dir, 'migrations', file));
    r = await kiln(['db', 'migrate', '-m', 'x', '--allow-drop', genre, '--allow-drop', 'nope'], { cwd: dir, env });
    expectUserError(r, /--allow-drop nope: this migration does not drop that table/);
  });
});
