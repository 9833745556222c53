/**
 * `kiln shell` through the real binary:
 * - in a real pseudo-terminal on SQLite: the README's tutorial session replayed line by line
 *   (every output as the README shows it), Tab completion, `.tables`/`.schema`/`.help`, an
 *   error that is one line after which the shell goes on, history kept across a restart (and a
 *   history file other users can write refused);
 * - on every dialect of the run: `-e`, piped TypeScript scripts, `--json`, `shellContext`, one
 *   `error:` line and exit 1 on failure; Ctrl-C during a slow query cancels it, the shell stays
 *   usable, and the connection is closed when the shell is left.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { freshDatabase, type FreshDatabase } from '../helpers/databases';
import { testDialects } from '../helpers/dialects';
import { copyExample, expectUserError, kiln, REPO, rmProject, writeFile } from '../helpers/cli';
import { kilnInPty } from '../helpers/pty';

const prompt = /kiln> $/;
const typed = (inputs: string[]): [RegExp, string][] => inputs.map((i) => [prompt, i]);

/** The README's shell session: the lines typed, and the whole transcript as shown. */
function readmeSession(): { inputs: string[]; transcript: string } {
  const readme = fs.readFileSync(path.join(REPO, 'README.md'), 'utf8');
  const m = /<!-- shell-session[^>]*-->\n```console\n\$ kiln shell\n([\s\S]*?)```\n<!-- \/shell-session -->/.exec(readme);
  if (!m) throw new Error('README.md has no <!-- shell-session --> block');
  const transcript = m[1];
  const inputs = transcript.split('\n').filter((l) => l.startsWith('kiln> ')).map((l) => l.slice('kiln> '.length));
  return { inputs, transcript };
}

describe('kiln shell at a terminal (SQLite)', () => {
  let dir: string;
  const env = () => ({ KILN_CACHE_DIR: path.join(dir, '.cache'), DATABASE_URL: undefined });
  beforeEach(async () => {
    dir = copyExample();
    const up = await kiln(['db', 'upgrade'], { cwd: dir, env: env() });
    expect(up.code).toBe(0);
  });
  afterEach(() => rmProject(dir));

  test("the README's tutorial session, line by line, prints what the README shows", async () => {
    const { inputs, transcript } = readmeSession();
    expect(inputs.length).toBeGreaterThanOrEqual(10);
    expect(inputs[inputs.length - 1]).toBe('.exit');
    const r = await kilnInPty(['shell'], { cwd: dir, env: env(), answers: typed(inputs) });
    expect(r.stdout).toBe(transcript);
    expect(r.code).toBe(0);
  });

  test('completion, .tables, .schema, .help; an error is one line and the shell goes on', async () => {
    const r = await kilnInPty(['shell'], {
      cwd: dir,
      env: env(),
      answers: [
        [prompt, "await knex('no\t"],
        [/knex\('note$/, "').count({ n: '*' })"],
        [prompt, 'await Note.query().where(\'bod\t'],
        [/where\('body$/, "', 'x')"],
        [prompt, 'Autho\t'],
        [/Author$/, ''],
        [prompt, 'const n: number = 40 + 2'],
        [prompt, 'n'],
        [prompt, 'await Note.query().where({ nope: 1 })'],
        [prompt, '.tables'],
        [prompt, '.schema comment'],
        [prompt, '.schema nope'],
        [prompt, '.help'],
        [prompt, 'await Note.get(1)'],
        [prompt, '.exit'],
      ],
    });
    const out = r.stdout;
    expect(out).toContain("kiln> await knex('note').count({ n: '*' })\n┌───┐\n│ n │\n├───┤\n│ 0 │\n└───┘\n");
    expect(out).toContain("kiln> await Note.query().where('body', 'x')\n");
    expect(out).toContain('[model Author: table \'author\'; Author.query(), Author.get(id); rows have .articles]');
    expect(out).toContain('kiln> n\n42\n');
    expect(out).toMatch(/kiln> await Note\.query\(\)\.where\(\{ nope: 1 \}\)\nerror: select \* from `note` where `nope` = 1 - SQLITE_ERROR: no such column: nope\nkiln> /);
    expect(out).toMatch(/kiln> \.tables\narticle\nassociation\nauthor\n[\s\S]*\nwriter\nkiln> /);
    expect(out).toContain('│ post_id │ integer │ yes      │         │             │');
    expect(out).toContain('foreign key comment_post_id_foreign (post_id) -> post (id) on delete cascade');
    expect(out).toContain("kiln> .schema nope\nerror: no table 'nope' in the database (see .tables)\n");
    expect(out).toMatch(/In scope: knex, .*Note.*\n[\s\S]*\.schema +Show a table/);
    expect(out).not.toMatch(/Uncaught|\n\s+at /);
    expect(r.code).toBe(0);
  });

  test('the connection opens on first use; a refused one is one line without the password', async () => {
    const down = { ...env(), DATABASE_URL: 'postgresql://u:secretpw@127.0.0.1:1/x' };
    const noDb = await kiln(['shell', '-e', '1 + 1'], { cwd: dir, env: down });
    expect(noDb).toMatchObject({ code: 0, stdout: '2\n', stderr: '' });
    const r = await kiln(['shell', '-e', 'await Note.query()'], { cwd: dir, env: down });
    expectUserError(r, /^error: cannot connect to postgresql:\/\/u:\*\*\*@127\.0\.0\.1:1\/x: connection refused/);
    expect(r.stderr).not.toContain('secretpw');
  });

  test('history survives a restart, in a private file of the cache', async () => {
    const first = await kilnInPty(['shell'], { cwd: dir, env: env(), answers: typed(["'kiln-history-' + (40 + 2)", '.exit']) });
    expect(first.stdout).toContain("'kiln-history-42'");
    const files = fs.readdirSync(path.join(dir, '.cache', 'shell-history'));
    expect(files).toHaveLength(1);
    const file = path.join(dir, '.cache', 'shell-history', files[0]);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    // Up arrow twice (the last line was .exit), Enter: the line of the previous session again.
    const second = await kilnInPty(['shell'], { cwd: dir, env: env(), answers: typed(['\x1b[A\x1b[A', '.exit']) });
    expect(second.stdout).toContain("kiln> 'kiln-history-' + (40 + 2)\n'kiln-history-42'\n");
    // A history file others can write is not read back (it could hold anyone's code).
    fs.chmodSync(file, 0o666);
    const third = await kilnInPty(['shell'], { cwd: dir, env: env(), answers: typed(['\x1b[A\x1b[A', '.exit']) });
    expect(third.stdout).toContain(`warning: not using the shell history ${file}: other users can write it (mode 666)`);
    expect(third.stdout).not.toContain("'kiln-history-42'");
  });
});

const SLOW: Record<string, string> = {
  sqlite: 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c',
  postgres: 'select pg_sleep(30)',
  mysql: 'select sleep(30)',
};

describe.each(testDialects().map((d) => [d.name, d] as const))('kiln shell on %s', (_name, dialect) => {
  let db: FreshDatabase;
  let dir: string;
  const env = () => ({ DATABASE_URL: db.url, KILN_CACHE_DIR: path.join(dir, '.cache') });
  beforeAll(async () => {
    db = await freshDatabase(dialect);
    dir = copyExample();
    expect((await kiln(['db', 'upgrade'], { cwd: dir, env: env() })).code).toBe(0);
  });
  afterAll(async () => {
    rmProject(dir);
    await db.cleanup();
  });

  test('-e prints the value; piped TypeScript runs as one script; --json', async () => {
    const insert = await kiln(['shell', '-e', "await Note.query().insert([{ body: 'remember Sammy Jankis' }, { body: 'SHAVE' }])"], { cwd: dir, env: env() });
    expect(insert.stderr).toBe('');
    expect(insert.code).toBe(0);
    const count = await kiln(['shell', '--json', '-e', "await Note.query().count({ n: '*' })"], { cwd: dir, env: env() });
    expect(JSON.parse(count.stdout)).toEqual([{ n: dialect.name === 'postgres' ? '2' : 2 }]);
    const script = [
      "const [foo] = await Author.query().insert({ name: 'Foo' }, ['id']);",
      'const fooId: number = typeof foo === "object" ? foo.id : foo;',
      "await Article.query().insert([{ title: 'Spam', author_id: fooId }, { title: 'Ham', author_id: fooId }]);",
      'const author = await Author.get(fooId);',
      "(await author.articles).map((a: { title: string }) => a.title).sort()",
      '',
    ].join('\n');
    const piped = await kiln(['shell', '--json'], { cwd: dir, env: env(), input: script });
    expect(piped.stderr).toBe('');
    expect(JSON.parse(piped.stdout)).toEqual(['Ham', 'Spam']);
    const table = await kiln(['shell', '-e', "await Note.query().select('body').orderBy('id')"], { cwd: dir, env: env() });
    expect(table.stdout).toBe(
      ['┌───────────────────────┐', '│ body                  │', '├───────────────────────┤', '│ remember Sammy Jankis │', '│ SHAVE                 │', '└───────────────────────┘', ''].join('\n'),
    );
  });

  test('rows follow every kind of relationship of the example (many-to-one, one-to-one, backref, many-to-many)', async () => {
    const seeded = await freshDatabase(dialect);
    try {
      const e = { ...env(), DATABASE_URL: seeded.url };
      expect((await kiln(['db', 'upgrade'], { cwd: dir, env: e })).code).toBe(0);
      expect((await kiln(['db', 'seed'], { cwd: dir, env: e })).code).toBe(0);
      const script = [
        "const wuhan = await Citizen.query().where({ name: 'wuhan' }).first();",
        "const china = await Country.query().where({ name: 'China' }).first();",
        "const king = await Writer.query().where({ name: 'Stephen King' }).first();",
        "const carrie = await Book.query().where({ title: 'Carrie' }).first();",
        "const beijing = await Capital.query().where({ name: 'Beijing' }).first();",
        "const song = await Song.query().orderBy('id').first();",
        "const student = await Student.query().orderBy('id').first();",
        "const linked = await knex('association').where({ student_id: student.id }).orderBy('teacher_id');",
        '({',
        '  city: (await wuhan.city).name,',
        '  capital: (await china.capital).name,',
        '  country: (await beijing.country).name,',
        '  books: (await king.books).map((b: { title: string }) => b.title).sort(),',
        '  writer: (await carrie.writer).name,',
        '  singer: (await song.singer).id === song.singer_id,',
        '  teachers: (await student.teachers).map((t: { id: number }) => t.id).sort() as number[],',
        '  linked: linked.map((l: { teacher_id: number }) => l.teacher_id),',
        '})',
      ].join('\n');
      const r = await kiln(['shell', '--json'], { cwd: dir, env: e, input: script });
      expect(r.stderr).toBe('');
      const got = JSON.parse(r.stdout);
      expect(got).toMatchObject({ city: '大连', capital: 'Beijing', country: 'China', books: ['Carrie', 'IT'], writer: 'Stephen King', singer: true });
      expect(got.linked.length).toBeGreaterThan(0);
      expect(got.teachers).toEqual(got.linked);
    } finally {
      await seeded.cleanup();
    }
  });

  test('text from the database reaches the terminal escaped (tables and other values)', async () => {
    const evil = 'x\u001b]0;owned\u0007\u001b[2J\u202eevil';
    const code = `await knex.transaction(async (t) => { await t('note').insert({ body: ${JSON.stringify(evil)} }); const rows = await t('note').where({ body: ${JSON.stringify(evil)} }).select('body'); await t('note').where({ body: ${JSON.stringify(evil)} }).del(); return rows; })`;
    const table = await kiln(['shell', '-e', code], { cwd: dir, env: env() });
    expect(table.stderr).toBe('');
    expect(table.stdout).toContain('│ x\\x1b]0;owned\\x07\\x1b[2J\\u202eevil │');
    // eslint-disable-next-line no-control-regex -- the raw control characters are what must not appear
    const raw = /[\u001b\u0007\u202e]/;
    expect(table.stdout).not.toMatch(raw);
    const nested = await kiln(['shell', '-e', `({ deep: { body: ${JSON.stringify(evil)} }, list: [1, [${JSON.stringify(evil)}]] })`], { cwd: dir, env: env() });
    expect(nested.stdout).not.toMatch(raw);
    expect(nested.stdout).toContain('\\u202eevil');
  });

  test('a failure is one error line and exit 1, from -e and from a pipe', async () => {
    const bad = await kiln(['shell', '-e', 'await knex("nope_table").select()'], { cwd: dir, env: env() });
    expectUserError(bad, /nope_table/);
    const piped = await kiln(['shell'], { cwd: dir, env: env(), input: "console.log('before');\nthrow new Error('stop here');\nconsole.log('after');\n" });
    expectUserError(piped, /^error: stop here$/);
    expect(piped.stdout).toBe('');
    const unfinished = await kiln(['shell'], { cwd: dir, env: env(), input: 'const x = {\n' });
    expectUserError(unfinished, /unexpected end of input/);
    // Flags the quick start does not take go to oclif, which explains them.
    expectUserError(await kiln(['shell', '-e'], { cwd: dir, env: env() }), /--eval expects a value/);
    expectUserError(await kiln(['shell', '--bogus'], { cwd: dir, env: env() }), /Nonexistent flag: --bogus/);
    const help = await kiln(['shell', '--help'], { cwd: dir, env: env() });
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('kiln shell -e "await Note.query().count()"');
  });

  test("shellContext from kiln.config.ts adds names (and sees knex and the models)", async () => {
    const other = copyExample();
    try {
      writeFile(
        other,
        'kiln.config.ts',
        "import { defineConfig } from 'kiln';\nexport default defineConfig({\n  shellContext: ({ knex, Note }: any) => ({ noteTable: Note.tableName, bodies: async () => (await knex('note').orderBy('id')).map((n: any) => n.body) }),\n});\n",
      );
      const r = await kiln(['shell', '--json', '-e', '[noteTable, await bodies()]'], { cwd: other, env: env() });
      expect(r.stderr).toBe('');
      expect(JSON.parse(r.stdout)).toEqual(['note', ['remember Sammy Jankis', 'SHAVE']]);
      writeFile(other, 'kiln.config.ts', "import { defineConfig } from 'kiln';\nexport default defineConfig({ shellContext: 42 as any });\n");
      expectUserError(await kiln(['shell', '-e', '1'], { cwd: other, env: env() }), /option 'shellContext' must be a function/);
    } finally {
      rmProject(other);
    }
  });

  test('Ctrl-C during a slow query cancels it; the shell goes on; leaving closes the connection', async () => {
    const slow = `const q = knex.raw(${JSON.stringify(SLOW[dialect.name])}); q.on('query', () => setTimeout(() => console.log('running' + ' now'), 500)); await q`;
    const started = Date.now();
    const r = await kilnInPty(['shell'], {
      cwd: dir,
      env: env(),
      answers: [
        [prompt, slow],
        [/running now/, '\x03'],
        [prompt, "await Note.query().count({ n: '*' })"],
        [prompt, '.exit'],
      ],
    });
    const elapsed = Date.now() - started;
    expect(r.stdout).toContain('error: cancelled (Ctrl-C)');
    expect(r.stdout).toMatch(/kiln> await Note\.query\(\)\.count\(\{ n: '\*' \}\)\n┌─+┐\n│ n +│\n├─+┤\n│ \d+ +│/);
    expect(r.code).toBe(0);
    // The query did not run to its end (30 s, or forever on SQLite).
    expect(elapsed).toBeLessThan(25000);
    if (dialect.name !== 'sqlite') {
      const admin = db.connect();
      const sessions =
        dialect.name === 'postgres'
          ? (await admin.raw('select count(*)::int as n from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()')).rows[0].n
          : (await admin.raw('select count(*) as n from information_schema.processlist where db = database() and id <> connection_id()'))[0][0].n;
      expect(Number(sessions)).toBe(0);
    }
  }, 60000);
});
