import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { KilnError } from '../../src/errors';
import { loadModels } from '../../src/model/load';

let dir: string;
let n = 0;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-models-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A fresh folder (module paths are never reused: require caches them). */
function project(files: Record<string, string>): string {
  const root = path.join(dir, `p${n++}`);
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    fs.writeFileSync(path.join(root, name), text);
  }
  return root;
}

const NOTE = `import { model, Integer, Text } from 'kiln';\nexport const Note = model('Note', { id: Integer().primaryKey(), body: Text() });\n`;

async function loadError(target: string): Promise<KilnError> {
  try {
    await loadModels(target);
  } catch (e) {
    expect(e).toBeInstanceOf(KilnError);
    expect((e as KilnError).code).toBe('MODEL');
    return e as KilnError;
  }
  throw new Error('loadModels did not fail');
}

describe('loadModels', () => {
  it('reads every model file of a folder, sorted, and skips what is not a model file', async () => {
    const root = project({
      'note.ts': NOTE,
      'sub/tag.ts': `import { model, Integer } from 'kiln';\nexport default { Tag: model('Tag', { id: Integer().primaryKey() }) };\n`,
      'list.js': `const { table, Integer } = require('kiln');\nmodule.exports = { default: [table('a', { x: Integer() }), table('b', { y: Integer() })] };\n`,
      'index.ts': `export * from './note';\nexport { Note as Again } from './note';\n`,
      'types.d.ts': 'this is not loaded',
      'note.test.ts': 'throw new Error("a test file is not loaded")',
      'node_modules/x/y.ts': 'throw new Error("node_modules is not loaded")',
      '.hidden/z.ts': 'throw new Error("dot folders are not loaded")',
      'readme.md': '# not loaded',
    });
    const { schema, files } = await loadModels(root);
    expect(files.map((f) => path.relative(root, f))).toEqual(['index.ts', 'list.js', 'note.ts', path.join('sub', 'tag.ts')]);
    expect(schema.tables.map((t) => t.name)).toEqual(['a', 'b', 'note', 'tag']);
  });

  it('skips a .js compiled next to its .ts', async () => {
    const root = project({ 'note.ts': NOTE, 'note.js': 'throw new Error("compiled output is not loaded")' });
    expect((await loadModels(root)).files.map((f) => path.basename(f))).toEqual(['note.ts']);
  });

  it('reads a single file', async () => {
    const root = project({ 'note.ts': NOTE, 'other.ts': 'throw new Error("not asked for")' });
    const { schema, files } = await loadModels(path.join(root, 'note.ts'));
    expect(files).toEqual([path.join(root, 'note.ts')]);
    expect(schema.tables.map((t) => t.name)).toEqual(['note']);
  });

  it('an empty folder is an empty schema', async () => {
    const root = project({ 'readme.md': '' });
    expect(await loadModels(root)).toEqual({ schema: { tables: [] }, files: [] });
  });

  it('a path that does not exist', async () => {
    const missing = path.join(dir, 'nowhere');
    expect((await loadError(missing)).message).toBe(`model path not found: ${path.relative(process.cwd(), missing)}`);
  });

  it('a file with a syntax error names the file', async () => {
    const root = project({ 'broken.ts': `import { model } from 'kiln';\nexport const X = model('X', {;\n` });
    const e = await loadError(root);
    expect(e.message).toMatch(new RegExp(`^cannot load model file ${escape(path.relative(process.cwd(), path.join(root, 'broken.ts')))}: \\S`));
    expect(e.message).not.toContain('\n');
  });

  it('a file that throws names the file and the first line of the error', async () => {
    const root = project({ 'ok.ts': NOTE, 'throws.ts': `throw new Error('database password required\\nsecond line');\n` });
    expect((await loadError(root)).message).toBe(
      `cannot load model file ${path.relative(process.cwd(), path.join(root, 'throws.ts'))}: database password required`,
    );
  });

  it('a file importing something missing', async () => {
    const root = project({ 'm.ts': `import { nope } from './missing';\nexport const x = nope;\n` });
    expect((await loadError(root)).message).toMatch(/^cannot load model file .*m\.ts: Cannot find module '\.\/missing'/);
  });

  it('model errors come through as they are', async () => {
    const root = project({
      'book.ts': `import { model, Integer } from 'kiln';\nexport const Book = model('Book', { id: Integer().primaryKey(), writer_id: Integer().references('write.id') });\n`,
    });
    expect((await loadError(root)).message).toBe("model 'Book' field 'writer_id': foreign key to unknown table 'write'");
  });
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
