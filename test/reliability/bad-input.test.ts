/**
 * Bad input: each mistake a user can make ends in one clear `error:` line on stderr (plus an
 * optional hint), a non-zero exit, no stack trace, and the database unchanged.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { knex as knexFactory, type Knex } from 'knex';
import { knexConfigFor } from '../../src/config/knex-config';
import { parseDatabaseUrl } from '../../src/config/url';
import { freshDatabase, withDatabase, type FreshDatabase } from '../helpers/databases';
import { testDialects } from '../helpers/dialects';
import { KILN_BIN, expectUserError, handMigration, kiln, makeProject, rmProject, writeFile, type RunResult } from '../helpers/cli';
import { emptyStats, reportStats, show, tableNames } from './helpers';

const stats = emptyStats('bad input', 'sqlite');
afterAll(() => reportStats([stats]));

const MODEL = "import { model, Integer, String } from 'kiln';\nexport const Note = model('Note', { id: Integer().primaryKey(), body: String(50).unique() });\n";
const M1 = '20260101000000_create_note.ts';
const M2 = '20260102000000_add_tag.ts';
const M3 = '20260103000000_add_color.ts';

function migrations(dir: string): void {
  writeFile(dir, `migrations/${M1}`, handMigration('create note', "  await knex.schema.createTable('note', (t) => { t.increments('id'); t.string('body', 50).unique(); });", "  await knex.schema.dropTable('note');"));
  writeFile(dir, `migrations/${M2}`, handMigration('add tag', "  await knex.schema.createTable('tag', (t) => { t.increments('id'); t.string('label', 20); });", "  await knex.schema.dropTable('tag');"));
  writeFile(dir, `migrations/${M3}`, handMigration('add color', "  await knex.schema.alterTable('tag', (t) => { t.string('color', 10); });", "  await knex.schema.alterTable('tag', (t) => { t.dropColumn('color'); });"));
}

/** Everything a failed command must leave as it was: tables, columns, bookkeeping, rows. */
async function fingerprint(knex: Knex, dialect: 'sqlite' | 'postgres' | 'mysql'): Promise<string> {
  const out: Record<string, unknown> = {};
  for (const t of (await tableNames(knex, dialect)).sort()) {
    const rows = await knex(t).select('*');
    out[t] = rows.map((r: Record<string, unknown>) => JSON.stringify(r, (k, v) => (k === 'migration_time' ? undefined : v))).sort();
    out[`${t}#columns`] = Object.keys(await knex(t).columnInfo()).sort();
  }
  return JSON.stringify(out);
}

describe('bad input (sqlite)', () => {
  let dir: string;
  let db: FreshDatabase;
  let env: Record<string, string>;
  let before: string;

  const k = (args: string[], extra: { env?: Record<string, string>; input?: string } = {}) => kiln(args, { cwd: dir, env: { ...env, ...extra.env }, input: extra.input });
  /** Runs a bad command: one error line matching `pattern`, database unchanged. */
  async function bad(args: string[], pattern: RegExp, extra: { env?: Record<string, string>; input?: string } = {}): Promise<RunResult> {
    const r = await k(args, extra);
    stats.trials++;
    try {
      expectUserError(r, pattern);
      expect(await fingerprint(db.connect(), 'sqlite')).toBe(before);
    } catch (e) {
      stats.failures++;
      throw e;
    }
    return r;
  }

  beforeEach(async () => {
    dir = makeProject({ 'kiln.config.ts': 'export default {};\n', 'models/note.ts': MODEL });
    migrations(dir);
    db = await freshDatabase({ name: 'sqlite' });
    env = { DATABASE_URL: db.url };
    const r = await k(['db', 'upgrade', M2]);
    expect(r.code === 0 ? '' : show(r)).toBe('');
    await db.connect()('note').insert({ body: 'kept' });
    before = await fingerprint(db.connect(), 'sqlite');
  });
  afterEach(async () => {
    await db.cleanup();
    rmProject(dir);
  });

  test('migrate without -m', () => bad(['db', 'migrate'], /message|-m/));
  test('migrate with an empty -m', () => bad(['db', 'migrate', '-m', ''], /message/));
  test('revision with a message with no letters', () => bad(['db', 'revision', '-m', '!!! ???'], /message/));
  test('unknown flag', () => bad(['db', 'upgrade', '--frobnicate'], /frobnicate|unknown|nonexistent/i));
  test('unknown command', () => bad(['db', 'frobnicate'], /frobnicate|command/i));
  test('unknown upgrade target', () => bad(['db', 'upgrade', 'nosuch'], /nosuch/));
  test('ambiguous upgrade target', () => bad(['db', 'upgrade', '202601'], /ambiguous|202601/));
  test('out-of-range relative upgrade', () => bad(['db', 'upgrade', '+5'], /\+5|only|range|pending/));
  test('out-of-range relative downgrade', () => bad(['db', 'downgrade', '-5'], /-5|only|range|applied/));
  test('unknown downgrade target', () => bad(['db', 'downgrade', 'nosuch'], /nosuch/));
  test('unknown stamp target', () => bad(['db', 'stamp', 'nosuch'], /nosuch/));
  test('unknown show revision', () => bad(['db', 'show', 'nosuch'], /nosuch/));
  test('malformed DATABASE_URL', () => bad(['db', 'upgrade'], /invalid database URL/, { env: { DATABASE_URL: 'not a url' } }));
  test('unsupported DATABASE_URL (oracle://)', async () => {
    const r = await bad(['db', 'upgrade'], /unsupported database 'oracle'/, { env: { DATABASE_URL: 'oracle://scott:tiger-secret@db.example/orcl' } });
    expect(r.stderr).not.toContain('tiger-secret');
  });
  test('unreachable DATABASE_URL (connection refused), password not shown', async () => {
    const r = await bad(['db', 'upgrade'], /cannot connect to postgresql:\/\/u:\*\*\*@127\.0\.0\.1:1\/x: connection refused/, {
      env: { DATABASE_URL: 'postgresql://u:hunter2-secret@127.0.0.1:1/x' },
    });
    expect(r.stderr + r.stdout).not.toContain('hunter2-secret');
  });
  test('unknown host, password not shown even with --verbose', async () => {
    const r = await k(['db', 'current', '--verbose'], { env: { DATABASE_URL: 'mysql://u:hunter2-secret@no-such-host.invalid/x' } });
    stats.trials++;
    expect(r.code).not.toBe(0);
    expect(r.stderr.split('\n')[0]).toMatch(/^error: cannot connect to mysql:\/\/u:\*\*\*@no-such-host\.invalid\/x: unknown host/);
    expect(r.stderr + r.stdout).not.toContain('hunter2-secret');
  });
  test('SQLite file in a folder that does not exist', () => bad(['db', 'upgrade'], /folder .* does not exist/, { env: { DATABASE_URL: 'sqlite:////no/such/folder/x.db' } }));
  test('config file that does not parse', async () => {
    writeFile(dir, 'kiln.config.ts', 'export default { models: ;\n');
    await bad(['db', 'upgrade'], /cannot load config file kiln\.config\.ts/);
  });
  test('config file that throws', async () => {
    writeFile(dir, 'kiln.config.ts', "throw new Error('no config for you');\n");
    await bad(['db', 'upgrade'], /cannot load config file kiln\.config\.ts: no config for you/);
  });
  test('config file with an unknown option', async () => {
    writeFile(dir, 'kiln.config.ts', "export default { databse: 'sqlite:///x.db' };\n");
    await bad(['db', 'upgrade'], /unknown option 'databse'/);
  });
  test('KILN_LOCK_TIMEOUT that is not a number', () => bad(['db', 'upgrade'], /lock timeout/, { env: { KILN_LOCK_TIMEOUT: 'soon' } }));
  test('model file that does not parse', async () => {
    writeFile(dir, 'models/bad.ts', 'export const = ;\n');
    await bad(['db', 'check'], /models[/\\]bad\.ts/);
  });
  test('model file that throws', async () => {
    writeFile(dir, 'models/bad.ts', "throw new Error('model exploded');\n");
    await bad(['db', 'check'], /models[/\\]bad\.ts.*model exploded|model exploded/);
  });
  test('invalid model: duplicate table', async () => {
    writeFile(dir, 'models/dup.ts', "import { model, Integer } from 'kiln';\nexport const N2 = model('Note2', { id: Integer().primaryKey() }, { tableName: 'note' });\n");
    await bad(['db', 'check'], /note/);
  });
  test('invalid model: foreign key to a missing table', async () => {
    writeFile(dir, 'models/fk.ts', "import { model, Integer } from 'kiln';\nexport const B = model('Book', { id: Integer().primaryKey(), w: Integer().references('writer.id') });\n");
    await bad(['db', 'check'], /writer/);
  });
  test('invalid model: foreign key to a missing column', async () => {
    writeFile(dir, 'models/fk.ts', "import { model, Integer } from 'kiln';\nexport const B = model('Book', { id: Integer().primaryKey(), n: Integer().references('note.nope') });\n");
    await bad(['db', 'check'], /nope/);
  });
  test('invalid model: default of the wrong type', async () => {
    writeFile(dir, 'models/def.ts', "import { model, Integer } from 'kiln';\nexport const B = model('Box', { id: Integer().primaryKey(), n: Integer().default('many' as never) });\n");
    await bad(['db', 'check'], /default/);
  });
  test('invalid model: a name with a dot (Knex would split it)', async () => {
    writeFile(dir, 'models/dot.ts', "import { table, Integer } from 'kiln';\nexport const D = table('a.b', { id: Integer().primaryKey() });\n");
    await bad(['db', 'check'], /'a\.b' contains '\.'/);
  });
  test('missing migrations folder', async () => {
    fs.rmSync(path.join(dir, 'migrations'), { recursive: true });
    await bad(['db', 'upgrade'], /migrations folder not found/);
  });
  test('applied migration whose file was deleted: says what to do', async () => {
    fs.unlinkSync(path.join(dir, 'migrations', M2));
    const r = await bad(['db', 'upgrade'], new RegExp(`${M2}.*not found`));
    expect(r.stderr).toMatch(/hint: .*(restore|stamp)/);
  });
  test('applied migration whose file was renamed: says what to do', async () => {
    fs.renameSync(path.join(dir, 'migrations', M2), path.join(dir, 'migrations', '20260102000000_add_tags.ts'));
    const r = await bad(['db', 'upgrade'], new RegExp(`${M2}.*not found`));
    expect(r.stderr).toMatch(/hint: .*(restore|stamp)/);
  });
  test('applied migration whose file was edited: upgrade and current warn, do not fail', async () => {
    fs.appendFileSync(path.join(dir, 'migrations', M1), '\n// edited after it was applied\n');
    stats.trials++;
    for (const args of [['db', 'current'], ['db', 'upgrade']]) {
      const r = await k(args);
      expect(r.code === 0 ? '' : show(r)).toBe('');
      expect(r.stderr.replace(/\s*\n\s*›?\s*/g, ' ')).toMatch(new RegExp(`${M1}.*changed since it was applied`));
    }
  });
  test('migration file with a syntax error', async () => {
    writeFile(dir, `migrations/${M3}`, 'export async function up(knex) { await knex.schema.createTable(\n');
    await bad(['db', 'upgrade'], new RegExp(`cannot load migration migrations[/\\\\]${M3}`));
  });
  test('migration file without up()', async () => {
    writeFile(dir, `migrations/${M3}`, 'export const nothing = 1;\n');
    await bad(['db', 'upgrade'], /does not export an up/);
  });
  test('db migrate when the database is not at head', () => bad(['db', 'migrate', '-m', 'more'], /not up to date/));
  test('initdb --drop with no terminal refuses and drops nothing', () => bad(['initdb', '--drop'], /terminal|--yes/));
  test('a seed that breaks a unique rule leaves the data unchanged', async () => {
    writeFile(dir, 'seeds/01_a.ts', "export async function seed(knex) { await knex('note').insert({ body: 'new one' }); }\n");
    writeFile(dir, 'seeds/02_b.ts', "export async function seed(knex) { await knex('note').insert({ body: 'kept' }); }\n");
    await bad(['db', 'seed'], /seeds[/\\]02_b\.ts failed: .*(UNIQUE|unique).*no seed data was changed/);
  });
  test('Ctrl-C at the initdb --drop prompt drops nothing', async () => {
    stats.trials++;
    const script = spawnSync('sh', ['-c', 'command -v script'], { encoding: 'utf8' });
    if (script.status !== 0) {
      process.stdout.write('\n!!! SKIPPED Ctrl-C-at-the-prompt test: the `script` command (util-linux) is missing\n');
      return;
    }
    const r = await new Promise<{ out: string; code: number | null }>((resolve) => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { spawn } = require('node:child_process') as typeof import('node:child_process');
      // A PTY, so the prompt runs; the command line is fixed, no user text in it.
      // Not under CI=true: there initdb --drop refuses to prompt at all.
      const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env, DEBUG: '' };
      delete childEnv.CI;
      const child = spawn('script', ['-qfec', `${process.execPath} ${KILN_BIN} initdb --drop`, '/dev/null'], { cwd: dir, env: childEnv });
      let out = '';
      let sent = false;
      child.stdout.on('data', (d) => {
        out += d;
        if (!sent && /\?/.test(out)) {
          sent = true;
          setTimeout(() => child.stdin.write('\x03'), 200);
        }
      });
      const timer = setTimeout(() => child.kill('SIGKILL'), 20000);
      child.on('close', (code) => {
        clearTimeout(timer);
        resolve({ out, code });
      });
    });
    // eslint-disable-next-line no-control-regex -- terminal escape sequences are what is removed
    const lines = r.out.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '').split(/\r?\n/).filter((l) => /^\s*error:/.test(l));
    expect(r.code).not.toBe(0);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/aborted|interrupted|Ctrl-C/);
    expect(r.out).not.toMatch(/\n\s+at .*:\d+:\d+/);
    expect(await fingerprint(db.connect(), 'sqlite')).toBe(before);
  });
  test('a read-only SQLite database', async () => {
    const roDir = path.dirname(db.name);
    // root ignores file permissions: a read-only *open* (mode=ro) is what can be tested everywhere.
    const asRoot = process.getuid?.() === 0;
    if (asRoot) process.stdout.write('\n!!! running as root: chmod cannot stop root writing, so the read-only case opens the file with ?mode=ro\n');
    if (!asRoot) {
      fs.chmodSync(db.name, 0o444);
      fs.chmodSync(roDir, 0o555);
    }
    try {
      const url = asRoot ? `${db.url}?mode=ro` : db.url;
      await bad(['db', 'upgrade'], /read-only|readonly|read only/i, { env: { DATABASE_URL: url } });
    } finally {
      fs.chmodSync(roDir, 0o755);
      fs.chmodSync(db.name, 0o644);
    }
  });
});

describe.each(testDialects().filter((d) => d.name !== 'sqlite').map((d) => [d.name, d] as const))('bad input on %s', (name, dialect) => {
  test('wrong password: one line, no password', async () => {
    const s = emptyStats('bad input', name);
    const dir = makeProject({ 'kiln.config.ts': 'export default {};\n', 'migrations/.keep': '' });
    try {
      const url = dialect.adminUrl!.replace(/^([a-z]+:\/\/[^:]+:)[^@]*@/, '$1wrong-pw-Zq9@');
      for (const args of [['db', 'upgrade'], ['db', 'current', '--verbose']]) {
        const r = await kiln(args, { cwd: dir, env: { DATABASE_URL: url } });
        s.trials++;
        expect(r.code).not.toBe(0);
        expect(r.stderr.split('\n')[0]).toMatch(/^error: cannot connect to .*\*\*\*@.*authentication failed for user 'kiln'/);
        if (!args.includes('--verbose')) expectUserError(r, /authentication failed/);
        expect(r.stderr + r.stdout).not.toContain('wrong-pw-Zq9');
      }
      const real = /:\/\/[^:]+:([^@]*)@/.exec(dialect.adminUrl!)![1];
      const missingDb = withDatabase(dialect.adminUrl!, 'kiln_no_such_db');
      const r = await kiln(['db', 'current', '--verbose'], { cwd: dir, env: { DATABASE_URL: missingDb } });
      s.trials++;
      expect(r.stderr.split('\n')[0]).toMatch(/database 'kiln_no_such_db' does not exist/);
      expect(r.stderr + r.stdout).not.toContain(real);
    } catch (e) {
      s.failures++;
      throw e;
    } finally {
      reportStats([s]);
      rmProject(dir);
    }
  });
});

// Keep the imports used when only SQLite runs.
void knexFactory;
void knexConfigFor;
void parseDatabaseUrl;
