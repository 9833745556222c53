import * as path from 'node:path';
import { installAsyncErrorHandlers } from './cli/async-errors';
import { reportError } from './cli/report';

/** The `kiln` binary: oclif parses and dispatches; every failure ends in one line on stderr. */
export async function main(argv: string[]): Promise<void> {
  installAsyncErrorHandlers(argv);
  try {
    // `db current`, a no-op `db upgrade` and `db check` on SQLite answer without oclif or Knex, and a
    // plain `db upgrade` runs without oclif (src/cli/fast.ts), as does a `db pull` with plain flags (src/cli/fast-pull.ts);
    // anything else, and any case the fast path does not own, goes through oclif.
    if (argv[0] === 'db' && (argv[1] === 'current' || argv[1] === 'upgrade' || argv[1] === 'check')) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { fastPath } = require('./cli/fast') as typeof import('./cli/fast');
      if (await fastPath(argv)) return;
    }
    if (argv[0] === 'db' && argv[1] === 'pull') {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- `kiln db pull` with plain flags starts without oclif
      const { fastPull } = require('./cli/fast-pull') as typeof import('./cli/fast-pull');
      if (await fastPull(argv)) return;
    }
    if (argv[0] === 'shell') {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- `kiln shell` starts without oclif when its flags are plain
      const { fastShell } = require('./shell/fast') as typeof import('./shell/fast');
      if (await fastShell(argv.slice(1))) return;
    }
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const oclif = require('@oclif/core') as typeof import('@oclif/core');
    await oclif.run(argv, path.resolve(__dirname, '..'));
    await oclif.flush();
  } catch (e) {
    process.exitCode = reportError(e, argv);
  }
}
