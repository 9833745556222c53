import { PassThrough } from 'node:stream';
import type { ResolvedConfig } from '../config/load';
import { shellConnection, type ShellConnection } from './connection';
import { acceptTypeScript, evaluate } from './evaluate';
import { formatValue } from './format';
import { startInteractive } from './interactive';
import { applyScope, shellScope, type ShellScope } from './scope';

export interface ShellOptions {
  readonly config: ResolvedConfig;
  /** `-e CODE`: run it, print its value, exit. */
  readonly code?: string;
  /** Print values as JSON instead of tables. */
  readonly json: boolean;
  /** Where warnings go (one line each). */
  warn(message: string): void;
}

/**
 * `kiln shell`: with `code` (or input from a pipe) runs it as one program and prints its value;
 * at a terminal, a REPL (./interactive.ts). The connection is closed on every way out.
 */
export async function runShell(options: ShellOptions): Promise<void> {
  const conn = shellConnection(options.config);
  try {
    const scope = await shellScope(options.config, conn);
    const code = options.code ?? (process.stdin.isTTY ? undefined : await readAll(process.stdin));
    if (code === undefined) await startInteractive({ config: options.config, conn, scope, json: options.json, warn: options.warn });
    else await runProgram(code, scope, conn, options.json);
  } finally {
    await conn.close();
  }
}

/** Runs a whole program (TypeScript, top-level await) and prints its completion value. */
async function runProgram(code: string, scope: ShellScope, conn: ShellConnection, json: boolean): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the REPL module only when a shell runs
  const repl = require('node:repl') as typeof import('node:repl');
  const server = repl.start({ input: new PassThrough(), output: new PassThrough(), terminal: false, prompt: '' });
  try {
    applyScope(server, scope);
    acceptTypeScript(server, repl.Recoverable);
    let value: unknown;
    try {
      ({ value } = await evaluate(server, code));
    } catch (e) {
      if (e instanceof repl.Recoverable) throw new SyntaxError('unexpected end of input (an unclosed bracket, string or block?)');
      throw conn.explain(e);
    }
    if (value !== undefined) process.stdout.write(`${formatValue(value, { json, colors: false })}\n`);
  } finally {
    server.close();
  }
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  let text = '';
  stream.setEncoding('utf8');
  for await (const chunk of stream) text += chunk as string;
  return text;
}
