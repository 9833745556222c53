import { isKilnError, messageOf } from '../errors';
import { redact } from '../config/url';
import { escapeForTerminal } from './terminal';
import { suggestCommand } from './suggest';

/** True when stack traces are wanted: --verbose or DEBUG=kiln*. */
export function verbose(argv: readonly string[] = process.argv): boolean {
  return argv.includes('--verbose') || /(^|,)\s*kiln/.test(process.env.DEBUG ?? '');
}

/**
 * Prints an error as one line (`error: ...`), an optional `hint: ...` line, and the stack
 * only when verbose. Returns the exit code.
 */
export function reportError(e: unknown, argv: readonly string[]): number {
  const err = e as { oclif?: { exit?: number }; code?: string; message?: string; stack?: string };
  // this.exit(n) inside a command, or oclif's own help/version exits.
  if (err?.oclif?.exit !== undefined && (err.code === 'EEXIT' || !err.message || /^EEXIT/.test(err.message))) {
    return err.oclif.exit;
  }
  if (err?.code === 'ExitPromptError' || (e as Error)?.name === 'ExitPromptError') {
    process.stderr.write('error: aborted (Ctrl-C at the prompt): nothing was changed\n');
    return 130;
  }
  const message = redact(err?.oclif ? oclifMessage(err.message ?? '') : messageOf(e)).replace(/^Error: /, '');
  const unknown = /^command (\S+) not found$/.exec(message);
  if (unknown) return unknownCommand(unknown[1].split(':').join(' '));
  process.stderr.write(`error: ${escapeForTerminal(message)}\n`);
  if (isKilnError(e) && e.hint) process.stderr.write(`hint: ${escapeForTerminal(redact(e.hint))}\n`);
  if (verbose(argv) && err?.stack) process.stderr.write(`${redact(err.stack).split('\n').map(escapeForTerminal).join('\n')}\n`);
  if (isKilnError(e)) return e.exit;
  return err?.oclif?.exit ?? 1;
}

/** `kiln db upgrad`: one line naming the command as typed, and the nearest real one. */
function unknownCommand(typed: string): number {
  process.stderr.write(`error: unknown command '${escapeForTerminal(typed)}'\n`);
  const near = suggestCommand(typed);
  process.stderr.write(near ? `hint: did you mean 'kiln ${near}'? (see 'kiln --help')\n` : "hint: see 'kiln --help'\n");
  return 2;
}

/** oclif's parse errors span several lines ("The following error occurred:", "See more help"). */
function oclifMessage(text: string): string {
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !/^The following errors? occurred:?$/i.test(l) && !/^See more help with/i.test(l));
  return lines.join('; ') || text.trim();
}
