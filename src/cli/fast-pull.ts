import { loadConfig } from '../config/load';
import type { Progress } from '../app/progress';
import { escapeForTerminal } from './terminal';

/** The flags `kiln db pull` takes a value for, as the full command (src/commands/db/pull.ts) names them. */
const VALUE_FLAGS: Readonly<Record<string, 'out' | 'tables' | 'exclude'>> = { '--out': 'out', '-o': 'out', '--tables': 'tables', '--exclude': 'exclude' };

interface PullArgs {
  out?: string;
  force: boolean;
  tables: string[];
  exclude: string[];
}

/**
 * `kiln db pull` with its own flags only (`--out/-o DIR`, `--force`, `--tables`, `--exclude`,
 * each value as the next argument or after `=`), without oclif: a pull of a thousand tables is
 * one of the commands with a time target (docs/benchmarks.md), and oclif's start-up is a tenth
 * of it. Anything else (`--json`, `--config`, `--help`, a flag given twice where the full command
 * refuses it, ...) returns false and the full command runs, which owns every other message.
 * KILN_NO_FAST_PATH=1 turns it off.
 */
export async function fastPull(argv: readonly string[]): Promise<boolean> {
  if (process.env.KILN_NO_FAST_PATH || argv[0] !== 'db' || argv[1] !== 'pull') return false;
  const args = parseArgs(argv.slice(2));
  if (!args) return false;
  const config = await loadConfig();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { pull } = require('../app/pull') as typeof import('../app/pull');
  const lines: string[] = [];
  const progress: Progress = {
    // One write for all the "Wrote ..." lines (a thousand writes to a pipe cost more than the rendering).
    line: (l) => void lines.push(`${escapeForTerminal(l)}\n`),
    warn: (w) => void process.stderr.write(`warning: ${escapeForTerminal(w)}\n`),
  };
  try {
    await pull({ config, out: args.out, force: args.force || undefined, tables: args.tables.length ? args.tables : undefined, exclude: args.exclude.length ? args.exclude : undefined }, progress);
  } finally {
    if (lines.length) process.stdout.write(lines.join(''));
  }
  return true;
}

/** The plain flags of `db pull`, or null for anything the fast path leaves to oclif. */
function parseArgs(rest: readonly string[]): PullArgs | null {
  const out: PullArgs = { force: false, tables: [], exclude: [] };
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    if (arg === '--force') {
      if (out.force) return null;
      out.force = true;
      continue;
    }
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const flag = VALUE_FLAGS[eq > 0 ? arg.slice(0, eq) : arg];
    if (!flag) return null;
    const value = eq > 0 ? arg.slice(eq + 1) : rest[++i];
    // A missing value, or one that looks like a flag, is the full command's to report.
    if (value === undefined || value === '' || value.startsWith('-')) return null;
    if (flag === 'out') {
      if (out.out !== undefined) return null;
      out.out = value;
    } else out[flag].push(value);
  }
  return out;
}
