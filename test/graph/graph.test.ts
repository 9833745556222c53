/**
 * `kiln db graph` through the real binary: the example's 19 tables and 9 foreign keys in each
 * format (Mermaid and DOT parsed, SVG nodes and edges counted), from the models and, on every
 * dialect of this run, from the live database; one-to-one and many-to-many drawn as such;
 * `--tables`; and a hostile table name that stays text in every format.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { freshDatabase, type FreshDatabase } from '../helpers/databases';
import { testDialects } from '../helpers/dialects';
import { copyExample, expectUserError, kiln, KILN_BIN, makeProject, REPO, rmProject, run } from '../helpers/cli';
import { countSvg, parseDot, parseMermaid } from './parse';

const ALL_TABLES = [
  'article', 'association', 'author', 'book', 'capital', 'citizen', 'city', 'comment', 'country',
  'draft', 'note', 'post', 'product', 'shop_order', 'singer', 'song', 'student', 'teacher', 'writer',
];
const ALL_KEYS = [
  'article->author', 'association->student', 'association->teacher', 'book->writer', 'capital->country',
  'citizen->city', 'comment->post', 'shop_order->product', 'song->singer',
];
export const HOSTILE = '<script>alert("x")</script>\'\x07';
const sorted = (a: string[]) => [...a].sort();

describe('db graph from the models', () => {
  let dir: string;
  beforeAll(() => (dir = copyExample()));
  afterAll(() => rmProject(dir));

  test('Mermaid: every table and every foreign key, one-to-one and many-to-many marked', async () => {
    const r = await kiln(['db', 'graph'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const g = parseMermaid(r.stdout);
    expect(sorted(g.tables)).toEqual(ALL_TABLES);
    expect(sorted(g.edges)).toEqual(ALL_KEYS);
    expect(g.relations.find((x) => x.child === 'capital')?.card).toBe('|o--o|');
    expect(g.relations.find((x) => x.child === 'song')?.card).toBe('|o--o{');
    expect(r.stdout).toMatch(/association \{[^}]*\}/);
    expect(r.stdout).toContain('(many-to-many with teacher)');
  });

  test('DOT: every table and every foreign key; the association table drawn dashed', async () => {
    const r = await kiln(['db', 'graph', '--format', 'dot'], { cwd: dir });
    expect(r.code).toBe(0);
    const g = parseDot(r.stdout);
    expect(sorted(g.tables)).toEqual(ALL_TABLES);
    expect(sorted(g.edges)).toEqual(ALL_KEYS);
    expect(r.stdout).toMatch(/STYLE="dashed"><TR><TD COLSPAN="3" [^>]*><FONT [^>]*><B>association<BR\/><I>many-to-many/);
  });

  test('SVG to a file: 19 nodes and 9 edges, the format taken from the extension', async () => {
    const r = await kiln(['db', 'graph', '--out', 'schema.svg'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('Wrote schema.svg (svg).\n');
    const svg = fs.readFileSync(path.join(dir, 'schema.svg'), 'utf8');
    expect(countSvg(svg)).toEqual({ nodes: 19, edges: 9 });
    for (const t of ALL_TABLES) expect(svg).toContain(`xlink:title="${t}"`);
  });

  test('docs/schema.svg (shown in the README) is what db graph draws for the example today', async () => {
    const r = await kiln(['db', 'graph', '-f', 'svg'], { cwd: dir });
    expect(r.code).toBe(0);
    // If this fails after a model change: npm run docs:graph
    expect(r.stdout).toBe(fs.readFileSync(path.join(REPO, 'docs', 'schema.svg'), 'utf8'));
  });

  test('commands that do not draw load none of the drawing code; Mermaid does not load Graphviz', async () => {
    const hook = path.join(REPO, 'bench', 'lib', 'loaded-modules.js');
    const loaded = async (args: string[]) => {
      const file = path.join(dir, 'loaded.txt');
      const r = await run(process.execPath, ['--require', hook, KILN_BIN, ...args], { cwd: dir, env: { KILN_LOADED_MODULES_FILE: file } });
      expect(r.code).toBe(0);
      return fs.readFileSync(file, 'utf8').split('\n').filter(Boolean);
    };
    const drawing = (mods: string[]) => mods.filter((m) => /[\\/](dist[\\/](graph|report)[\\/]|dist[\\/]app[\\/](graph|report)\.js|@viz-js[\\/])/.test(m));
    expect(drawing(await loaded(['db', 'current']))).toEqual([]);
    expect(drawing(await loaded(['db', 'history']))).toEqual([]);
    const mermaid = await loaded(['db', 'graph']);
    expect(drawing(mermaid).length).toBeGreaterThan(0);
    expect(mermaid.filter((m) => m.includes('@viz-js'))).toEqual([]);
    expect((await loaded(['db', 'graph', '-f', 'svg'])).filter((m) => m.includes('@viz-js')).length).toBeGreaterThan(0);
  });

  test('--tables focuses on those tables and the keys between them; an unknown name is one error line', async () => {
    const r = await kiln(['db', 'graph', '-f', 'dot', '--tables', 'student,teacher', '--tables', 'association'], { cwd: dir });
    expect(r.code).toBe(0);
    const g = parseDot(r.stdout);
    expect(sorted(g.tables)).toEqual(['association', 'student', 'teacher']);
    expect(sorted(g.edges)).toEqual(['association->student', 'association->teacher']);
    const bad = await kiln(['db', 'graph', '--tables', 'student,nope'], { cwd: dir });
    expectUserError(bad, /no table named 'nope'/);
    expect(bad.stdout).toBe('');
  });
});

test("a relationship's secondary table is drawn many-to-many even with columns of its own; the same shape undeclared is not", async () => {
  const dir = makeProject({
    'kiln.config.ts': "import { defineConfig } from 'kiln';\nexport default defineConfig({ database: 'sqlite:///data.db', models: 'models', migrations: 'migrations' });\n",
    'models/m.ts': `import { model, relationship, table, Integer, String } from 'kiln';
export const enrollment = table('enrollment', {
  id: Integer().primaryKey(),
  pupil_id: Integer().references('pupil.id'),
  course_id: Integer().references('course.id'),
  mark: String(2),
});
export const membership = table('membership', {
  id: Integer().primaryKey(),
  pupil_id: Integer().references('pupil.id'),
  course_id: Integer().references('course.id'),
  since: String(10),
});
export const Pupil = model('Pupil', { id: Integer().primaryKey() }, { relationships: { courses: relationship('Course', { secondary: 'enrollment' }) } });
export const Course = model('Course', { id: Integer().primaryKey() });
`,
  });
  try {
    const r = await kiln(['db', 'graph'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const rel = parseMermaid(r.stdout).relations;
    expect(rel).toHaveLength(4);
    expect(r.stdout).toContain(': "pupil_id -#gt; id (many-to-many with course)"');
    expect(r.stdout).toContain(': "course_id -#gt; id (many-to-many with pupil)"');
    expect(r.stdout.match(/many-to-many/g)).toHaveLength(2);
  } finally {
    rmProject(dir);
  }
});

describe.each(testDialects().map((d) => [d.name, d] as const))('db graph --from-db on %s', (_name, dialect) => {
  let dir: string;
  let db: FreshDatabase;
  let env: Record<string, string>;
  beforeAll(async () => {
    dir = copyExample();
    db = await freshDatabase(dialect);
    env = { DATABASE_URL: db.url };
    const up = await kiln(['db', 'upgrade'], { cwd: dir, env });
    expect(up.code).toBe(0);
    // A hostile name: markup, quotes and a control character.
    await db.connect().schema.createTable(HOSTILE, (t) => {
      t.increments('id');
      t.integer('note_id').unsigned().references('id').inTable('note');
      t.string('<b>"col"</b>', 20);
    });
  });
  afterAll(async () => {
    await db.cleanup();
    rmProject(dir);
  });

  test('Mermaid and DOT hold the 19 tables, every key, and the hostile table as an escaped name', async () => {
    const m = await kiln(['db', 'graph', '--from-db'], { cwd: dir, env });
    expect(m.code).toBe(0);
    const mg = parseMermaid(m.stdout);
    expect(sorted(mg.tables)).toEqual(sorted([...ALL_TABLES, '#lt;script#gt;alert(#quot;x#quot;)#lt;/script#gt;\'\\x07']));
    expect(sorted(mg.edges)).toEqual(sorted([...ALL_KEYS, '#lt;script#gt;alert(#quot;x#quot;)#lt;/script#gt;\'\\x07->note']));
    expect(m.stdout).not.toMatch(/</);
    expect(m.stdout).not.toContain("\x07");

    const d = await kiln(['db', 'graph', '--from-db', '-f', 'dot'], { cwd: dir, env });
    expect(d.code).toBe(0);
    const dg = parseDot(d.stdout);
    expect(sorted(dg.tables)).toEqual(sorted([...ALL_TABLES, '<script>alert("x")</script>\'\\x07']));
    expect(dg.edges).toHaveLength(10);
    expect(d.stdout).toContain('<B>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39;\\x07</B>');
    expect(d.stdout).toContain('&lt;b&gt;&quot;col&quot;&lt;/b&gt;');
    // Outside DOT's quoted strings (where a tooltip holds the name, quotes escaped) no markup at all.
    expect(d.stdout).not.toContain("\x07");
    expect(d.stdout.replace(/"(?:[^"\\]|\\.)*"/g, '""')).not.toMatch(/<script|<b>/);
    expect(d.stdout).toContain('tooltip="<script>alert(\\"x\\")</script>\'\\\\x07 -> note: note_id -> id"');
  });

  test('SVG: 20 nodes, 10 edges, the hostile name as escaped text only', async () => {
    const r = await kiln(['db', 'graph', '--from-db', '-f', 'svg'], { cwd: dir, env });
    expect(r.code).toBe(0);
    expect(countSvg(r.stdout)).toEqual({ nodes: 20, edges: 10 });
    // The table's title drawn as text, and its tooltip, both escaped.
    expect(r.stdout).toMatch(/<text [^>]*>&lt;script&gt;alert\(&quot;x&quot;\)&lt;\/script&gt;&#39;\\x07<\/text>/);
    expect(r.stdout).toContain('xlink:title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39;\\x07"');
    expect(r.stdout).not.toMatch(/<script|<b>/);
    expect(r.stdout).not.toContain("\x07");
  });
});

describe('db report without a browser', () => {
  let dir: string;
  beforeAll(async () => {
    dir = copyExample();
    expect((await kiln(['db', 'upgrade'], { cwd: dir })).code).toBe(0);
  });
  afterAll(() => rmProject(dir));

  test('when the check cannot run, the report says why and kiln warns once on stderr', async () => {
    fs.rmSync(path.join(dir, 'models'), { recursive: true });
    const r = await kiln(['db', 'report', '-o', 'r.html'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^warning: the report's check section is incomplete: model path not found: models\n$/);
    const html = fs.readFileSync(path.join(dir, 'r.html'), 'utf8');
    expect(html).toContain('check could not run');
    expect(html).toContain('model path not found: models');
  });

  test('a missing migrations folder is one error line and writes nothing', async () => {
    fs.rmSync(path.join(dir, 'migrations'), { recursive: true });
    const r = await kiln(['db', 'report', '-o', 'none.html'], { cwd: dir });
    expectUserError(r, /migrations folder not found/);
    expect(fs.existsSync(path.join(dir, 'none.html'))).toBe(false);
  });
});
