import * as path from 'node:path';
import { reportError } from './cli/report';

/** The `kiln` binary: oclif parses and dispatches; every failure ends in one line on stderr. */
export async function main(argv: string[]): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const oclif = require('@oclif/core') as typeof import('@oclif/core');
  try {
    await oclif.run(argv, path.resolve(__dirname, '..'));
    await oclif.flush();
  } catch (e) {
    process.exitCode = reportError(e, argv);
  }
}
