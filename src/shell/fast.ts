import { escapeForTerminal } from '../cli/terminal';
import { loadConfig } from '../config/load';

interface ShellArgs {
  code?: string;
  json: boolean;
  config?: string;
  directory?: string;
  schema?: string;
}

const VALUE_FLAGS: Readonly<Record<string, keyof ShellArgs>> = { '-e': 'code', '--eval': 'code', '--config': 'config', '-d': 'directory', '--directory': 'directory', '--schema': 'schema' };

/**
 * `kiln shell` without oclif (whose loading is most of a shell's start-up): the flags of
 * src/commands/shell.ts, parsed here when they are plain; anything else (`--help`, a flag
 * without its value, an unknown flag) returns null and goes to oclif, which explains it.
 */
export function parseShellArgs(argv: readonly string[]): ShellArgs | null {
  const out: ShellArgs = { json: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--json') out.json = true;
    else if (arg === '--verbose') continue;
    else {
      const eq = arg.indexOf('=');
      const name = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
      const key = VALUE_FLAGS[name];
      if (!key) return null;
      const value = name === arg ? argv[++i] : arg.slice(eq + 1);
      if (value === undefined || out[key] !== undefined) return null;
      (out as unknown as Record<string, string>)[key] = value;
    }
  }
  return out;
}

/** Runs `kiln shell ARGS` when the arguments are plain; false when oclif should take them. */
export async function fastShell(argv: readonly string[]): Promise<boolean> {
  const args = parseShellArgs(argv);
  if (!args) return false;
  const config = await loadConfig({ configFile: args.config, directory: args.directory, schema: args.schema });
  const { runShell } = await import('./run.js');
  await runShell({ config, code: args.code, json: args.json, warn: (w) => process.stderr.write(`warning: ${escapeForTerminal(w)}\n`) });
  return true;
}
