import type { REPLServer } from 'node:repl';

type EvalCallback = (err: Error | null, result?: unknown) => void;
type Eval = (code: string, context: object, file: string, cb: EvalCallback) => void;

/**
 * TypeScript input for a REPL: each input is stripped of its types by sucrase (the transform
 * kiln loads models with, src/loader/) and then run by Node's own REPL evaluator, which keeps
 * what it does for JavaScript: top-level `await`, `const` that lasts between lines, object
 * literals. An input that stops in the middle (an open brace) asks for more lines.
 */
export function acceptTypeScript(server: REPLServer, Recoverable: typeof import('node:repl').Recoverable): void {
  const nodeEval = server.eval as unknown as Eval;
  const tsEval: Eval = (code, context, file, cb) => {
    let js: string;
    try {
      js = stripTypes(code);
    } catch (e) {
      const pos = (e as { pos?: number }).pos;
      if (typeof pos === 'number' && pos >= code.trimEnd().length) return cb(new Recoverable(e as Error));
      // Not TypeScript either: Node's evaluator says what is wrong with it as JavaScript.
      js = code;
    }
    nodeEval.call(server, js, context, file, cb);
  };
  (server as unknown as { eval: Eval }).eval = tsEval;
}

/** TypeScript -> JavaScript, types removed; throws sucrase's syntax error (with `pos`). */
export function stripTypes(code: string): string {
  if (!/[:<>]|\b(as|type|interface|enum|declare|namespace|satisfies|implements|private|public|readonly)\b/.test(code)) return code;
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on the first input that may be TypeScript
  const sucrase = require('sucrase') as typeof import('sucrase');
  return sucrase.transform(code, { transforms: ['typescript'], disableESTransforms: true, production: true }).code;
}

/**
 * Node's evaluator hands an error in the typed code to the REPL's domain, whose handler prints
 * it with its stack and an `Uncaught` prefix; `sink` gets it instead (the REPL's private
 * `_domain`, the one place Node offers).
 */
export function routeErrors(server: REPLServer, sink: (e: unknown) => void): void {
  const domain = (server as unknown as { _domain?: NodeJS.EventEmitter })._domain;
  if (!domain) return;
  domain.removeAllListeners('error');
  domain.on('error', sink);
}

/**
 * Runs `code` (a whole program, TypeScript allowed) in `server`'s context; resolves to its
 * completion value (wrapped, so that a query builder is not run by the promise).
 */
export function evaluate(server: REPLServer, code: string): Promise<{ value: unknown }> {
  return new Promise((resolve, reject) => {
    routeErrors(server, reject);
    (server.eval as unknown as Eval)(code, server.context, 'kiln-shell', (err, value) => (err ? reject(err) : resolve({ value })));
  });
}
