import * as path from 'node:path';
import { messageOf } from '../errors';
import { reportError } from './report';

/**
 * A migration, seed or model that throws outside the promise kiln awaits
 * (`setTimeout(() => { throw ... })`, a query that is not awaited) would end in Node's crash
 * dump. It ends like every other failure instead: one `error:` line naming the file the error
 * came from, exit 1 (the stack only with --verbose / DEBUG=kiln*). The process exits at once: an
 * open migration transaction is rolled back by the database (SQLite: by its journal).
 */
export function installAsyncErrorHandlers(argv: readonly string[]): void {
  const fail = (e: unknown) => {
    process.exitCode = reportError(asyncError(e), argv);
    process.exit();
  };
  process.on('uncaughtException', fail);
  process.on('unhandledRejection', fail);
}

function asyncError(e: unknown): Error {
  const stack = (e as { stack?: unknown } | null)?.stack;
  const where = typeof stack === 'string' ? userFrame(stack) : undefined;
  const err = new Error(`${where ? `${where}: ` : ''}error thrown outside the awaited code (a callback or a promise that is not awaited): ${messageOf(e)}`);
  if (typeof stack === 'string') err.stack = stack;
  return err;
}

/** The first stack frame in a project file (not kiln, a dependency or Node itself), relative to the cwd. */
function userFrame(stack: string): string | undefined {
  const kiln = path.resolve(__dirname, '..');
  for (const line of stack.split('\n').slice(1)) {
    const m = /\(?((?:file:\/\/)?\/[^():]+):(\d+):\d+\)?\s*$/.exec(line);
    if (!m) continue;
    const file = m[1].replace(/^file:\/\//, '');
    if (file.includes(`${path.sep}node_modules${path.sep}`) || file.startsWith(kiln + path.sep)) continue;
    return `${path.relative(process.cwd(), file) || file}:${m[2]}`;
  }
  return undefined;
}
