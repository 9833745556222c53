import type { ScriptFrame } from './runtime';

/** A server's offline script: the migrations in one transaction opened with `begin`. */
export const serverFrame = (begin: string): ScriptFrame => ({ head: [begin], after: () => [], tail: () => ['COMMIT'], outside: { before: ['COMMIT'], after: [begin] } });
