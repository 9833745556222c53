import type { REPLServer } from 'node:repl';
import { escapeForTerminal } from '../cli/terminal';
import type { ResolvedConfig } from '../config/load';
import { redact } from '../config/url';
import { messageOf } from '../errors';
import { dialectOf } from '../dialect/registry';
import type { Schema } from '../schema/types';
import { completeNames, namesOf } from './complete';
import type { ShellConnection } from './connection';
import { defineDotCommands } from './dot-commands';
import { acceptTypeScript, routeErrors } from './evaluate';
import { formatValue } from './format';
import { historyFile } from './history';
import { applyScope, type ShellScope } from './scope';

type EvalCallback = (err: Error | null, result?: unknown) => void;
type Eval = (code: string, context: object, file: string, cb: EvalCallback) => void;

export interface InteractiveOptions {
  readonly config: ResolvedConfig;
  readonly conn: ShellConnection;
  readonly scope: ShellScope;
  readonly json: boolean;
  warn(message: string): void;
}

/**
 * The REPL at a terminal: Node's own (line editing, completion of names in scope, `.exit`,
 * `.editor`), with TypeScript input, rows printed as tables, one-line errors after which the
 * shell goes on, Ctrl-C that cancels the running query (and not the shell), the project's
 * history, `.tables`, `.schema TABLE` and `.help`. Resolves when the shell is left.
 */
export async function startInteractive(options: InteractiveOptions): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the REPL module only when a shell runs
  const repl = require('node:repl') as typeof import('node:repl');
  const { conn, scope } = options;
  const colors = process.stdout.isTTY === true && !process.env.NO_COLOR;
  const server = repl.start({
    prompt: 'kiln> ',
    ignoreUndefined: true,
    breakEvalOnSigint: true,
    preview: false,
    useColors: colors,
    writer: (value: unknown) => formatValue(value, { json: options.json, colors }),
  });
  const fail = (e: unknown): void => {
    server.output.write(`error: ${escapeForTerminal(redact(messageOf(conn.explain(e))))}\n`);
  };
  const report = (e: unknown): void => {
    if ((e as { code?: string } | null)?.code === 'ERR_SCRIPT_EXECUTION_INTERRUPTED') fail(new Error('cancelled (Ctrl-C)'));
    else fail(e);
  };
  const restore = keepGoingOnAsyncErrors(fail);
  applyScope(server, scope);
  acceptTypeScript(server, repl.Recoverable);
  reportErrorsOnOneLine(server, repl.Recoverable, report);
  routeErrors(server, (e) => {
    report(e);
    server.clearBufferedCommand();
    (server as unknown as { lines: { level: unknown[] } }).lines.level = [];
    server.displayPrompt();
  });
  let live: Schema | null = null;
  const liveSchema = async (): Promise<Schema> => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- introspection only for .tables/.schema
    const { introspect } = require('../introspect') as typeof import('../introspect');
    live = await introspect(conn.knex(), dialectOf(conn.url.dialect).name, { schema: options.config.schema, schemas: options.config.schemas });
    return live;
  };
  defineDotCommands(server, { liveSchema, fail, scopeNames: () => Object.keys(scope.names) });
  completeNames(server, () => {
    const a = namesOf(scope.schema);
    const b = live ? namesOf(live) : { tables: [], columns: [] };
    return { tables: [...a.tables, ...b.tables], columns: [...a.columns, ...b.columns] };
  });
  server.on('SIGINT', () => {
    if (conn.busy()) conn.cancelRunning().catch(fail);
  });
  const history = historyFile(options.config.root);
  if (history.warning) options.warn(history.warning);
  if (history.file) {
    server.setupHistory(history.file, (err) => {
      if (err) options.warn(`shell history ${history.file}: ${messageOf(err)}`);
    });
  }
  // Knex and the driver load now, after the prompt, and not inside the first input that uses
  // them: a Ctrl-C there (Node's REPL stops running code on it) would leave them half loaded.
  // The connection itself still opens at the first query.
  setImmediate(() => {
    try {
      conn.knex();
    } catch (e) {
      fail(e);
    }
  });
  await new Promise<void>((resolve) => server.on('exit', resolve));
  restore();
}

/**
 * An error in what was typed prints one line (`error: ...`, no stack) and the shell goes on.
 * Ctrl-C while waiting says that the wait (and the running query) was cancelled.
 */
function reportErrorsOnOneLine(server: REPLServer, Recoverable: typeof import('node:repl').Recoverable, report: (e: unknown) => void): void {
  const inner = server.eval as unknown as Eval;
  const outer: Eval = (code, context, file, cb) =>
    inner.call(server, code, context, file, (err, result) => {
      if (!err || err instanceof Recoverable) return cb(err, result);
      report(err);
      cb(null, undefined);
    });
  (server as unknown as { eval: Eval }).eval = outer;
}

/**
 * kiln's usual handlers end the process on an error outside the awaited code
 * (src/cli/async-errors.ts); in the shell such an error (a query run with .then() and no
 * catch) prints one line and the shell goes on. Returns the function that puts them back.
 */
function keepGoingOnAsyncErrors(fail: (e: unknown) => void): () => void {
  const events = ['uncaughtException', 'unhandledRejection'];
  const emitter = process as unknown as NodeJS.EventEmitter;
  const saved = events.map((event) => [event, emitter.listeners(event)] as const);
  for (const [event, listeners] of saved) for (const l of listeners) emitter.off(event, l as never);
  const handler = (e: unknown) => fail(e);
  process.on('uncaughtException', handler);
  process.on('unhandledRejection', handler);
  return () => {
    process.off('uncaughtException', handler);
    process.off('unhandledRejection', handler);
    for (const [event, listeners] of saved) for (const l of listeners) emitter.on(event, l as never);
  };
}
