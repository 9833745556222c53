import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const REPO = path.resolve(__dirname, '..', '..');
export const KILN_BIN = path.join(REPO, 'bin', 'run.js');

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  cwd: string;
  env?: Record<string, string | undefined>;
  input?: string;
  timeoutMs?: number;
  /** Called with each chunk the child writes to stderr, as it arrives. */
  onStderr?: (chunk: string) => void;
}

/** Runs the real `kiln` binary (built dist/) as a child process. */
export function kiln(args: string[], options: RunOptions): Promise<RunResult> {
  return run(process.execPath, [KILN_BIN, ...args], options);
}

export function run(cmd: string, args: string[], options: RunOptions): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const env: Record<string, string | undefined> = { ...process.env, DEBUG: undefined, CI: 'true', ...options.env };
    for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
    const child = spawn(cmd, args, { cwd: options.cwd, env: env as NodeJS.ProcessEnv, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => {
      stderr += d;
      options.onStderr?.(String(d));
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr });
    });
    // A child that exits without reading stdin must not fail the test with EPIPE.
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.input ?? '');
  });
}

/** A throwaway project folder. `files` maps relative paths to contents. */
export function makeProject(files: Record<string, string> = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-test-'));
  for (const [rel, content] of Object.entries(files)) writeFile(dir, rel, content);
  return dir;
}

export function writeFile(dir: string, rel: string, content: string): void {
  const file = path.join(dir, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
}

/** A copy of the repository's worked example (models, migrations, seeds, config). */
export function copyExample(options: { migrations?: boolean } = {}): string {
  const dir = makeProject();
  for (const sub of ['models', 'seeds', ...(options.migrations === false ? [] : ['migrations'])]) {
    fs.cpSync(path.join(REPO, sub), path.join(dir, sub), { recursive: true });
  }
  if (options.migrations === false) fs.mkdirSync(path.join(dir, 'migrations'));
  fs.copyFileSync(path.join(REPO, 'kiln.config.ts'), path.join(dir, 'kiln.config.ts'));
  return dir;
}

export function rmProject(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

/** A migration file in kiln's template shape, written by hand. */
export function handMigration(message: string, up: string, down: string): string {
  return `/**\n * ${message}\n */\nimport type { Knex } from 'knex';\n\nexport async function up(knex: Knex): Promise<void> {\n${up}\n}\n\nexport async function down(knex: Knex): Promise<void> {\n${down}\n}\n`;
}

/** Asserts the shape of a user error: one `error:` line (plus optional hint), no stack trace. */
/** The result of a command that must succeed; otherwise an error with its exit code and output. */
export function ok(r: RunResult): RunResult {
  if (r.code !== 0) throw new Error(`exit ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
  return r;
}

export function expectUserError(r: RunResult, pattern: RegExp): void {
  if (r.code === 0) throw new Error(`expected a failure, got exit 0\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
  const lines = r.stderr.trim().split('\n');
  if (!/^error: /.test(lines[0]) || !pattern.test(lines[0])) {
    throw new Error(`expected stderr to start with 'error: ' matching ${pattern}, got:\n${r.stderr}`);
  }
  const rest = lines.slice(1).filter((l) => !/^hint: /.test(l) && !/^ ›\s+Warning/.test(l));
  if (rest.length) throw new Error(`expected one error line (plus hint), got:\n${r.stderr}`);
  if (/\n\s+at .*:\d+:\d+/.test(r.stderr)) throw new Error(`stack trace in stderr:\n${r.stderr}`);
}
