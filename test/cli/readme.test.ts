/**
 * The README's walkthrough, run top to bottom in an empty folder with the real binary: every
 * file it shows (a ```ts block whose first line is `// <path>`) is written, every `$ command` of
 * its ```console blocks runs in one shell, and prints what the README says (migration time
 * stamps and the folder's path aside).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { KILN_BIN, REPO, rmProject, run } from '../helpers/cli';

interface Step {
  readonly command: string;
  readonly expected: string;
}

type Block = { kind: 'file'; path: string; content: string } | { kind: 'console'; steps: Step[] };

/** The walkthrough section's blocks, in order. */
function walkthroughBlocks(): Block[] {
  const readme = fs.readFileSync(path.join(REPO, 'README.md'), 'utf8');
  const m = /<!-- walkthrough[^>]*-->([\s\S]*?)<!-- \/walkthrough -->/.exec(readme);
  if (!m) throw new Error('README.md has no <!-- walkthrough --> section');
  const blocks: Block[] = [];
  for (const [, lang, body] of m[1].matchAll(/```(\w+)\n([\s\S]*?)```/g)) {
    if (lang === 'ts') {
      const file = /^\/\/ (\S+\.ts)\n/.exec(body);
      if (file) blocks.push({ kind: 'file', path: file[1], content: body });
    } else if (lang === 'console') {
      const steps: Step[] = [];
      for (const line of body.split('\n')) {
        if (line.startsWith('$ ')) steps.push({ command: line.slice(2), expected: '' });
        else if (line !== '' || steps.length) steps[steps.length - 1] = { ...steps[steps.length - 1], expected: steps[steps.length - 1].expected + line + '\n' };
      }
      blocks.push({ kind: 'console', steps: steps.map((s) => ({ ...s, expected: s.expected.replace(/\n+$/, '\n') })) });
    }
  }
  return blocks;
}

const END = '@@kiln-readme-step-end@@';

describe('the README walkthrough', () => {
  let dir: string;
  let bin: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-walk-'));
    bin = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-bin-'));
    fs.writeFileSync(path.join(bin, 'kiln'), `#!/bin/sh\nexec "${process.execPath}" "${KILN_BIN}" "$@"\n`, { mode: 0o755 });
  });
  afterAll(() => {
    rmProject(dir);
    rmProject(bin);
  });

  test('runs top to bottom in an empty folder and prints what it shows', async () => {
    const blocks = walkthroughBlocks();
    expect(blocks.filter((b) => b.kind === 'console').length).toBeGreaterThanOrEqual(3);
    expect(fs.readdirSync(dir)).toEqual([]);
    const normalise = (text: string) => text.split(dir).join('/tmp/walk').replace(/\d{14}/g, '<stamp>');
    for (const block of blocks) {
      if (block.kind === 'file') {
        fs.mkdirSync(path.dirname(path.join(dir, block.path)), { recursive: true });
        fs.writeFileSync(path.join(dir, block.path), block.content);
        continue;
      }
      // One shell for the block, so `echo $?` sees the command before it.
      const script = block.steps.map((s) => `${s.command} 2>&1\n__rc=$?; echo '${END}'; (exit $__rc)`).join('\n');
      const r = await run('bash', ['-c', script], { cwd: dir, env: { PATH: `${bin}:${process.env.PATH}`, DATABASE_URL: undefined, KILN_CACHE_DIR: path.join(bin, 'cache') } });
      const outputs = r.stdout.split(`${END}\n`).slice(0, block.steps.length);
      expect(outputs.map(normalise)).toEqual(block.steps.map((s) => normalise(s.expected)));
    }
    // What the walkthrough left: two migrations, both applied, and the models in sync.
    expect(fs.readdirSync(path.join(dir, 'migrations')).filter((f) => f.endsWith('.ts'))).toHaveLength(2);
    const check = await run(process.execPath, [KILN_BIN, 'db', 'check'], { cwd: path.join(dir, 'models'), env: { DATABASE_URL: undefined } });
    expect(check.stdout).toBe('No new upgrade operations detected.\n');
    expect(check.code).toBe(0);
    // Some thirty kiln runs, the shell's among them: more than the default minute on a busy machine.
  }, 240000);
});
