import type { RenameResolver } from '../diff';
import { fixedRenames, NO_RENAMES, parseRenameFlags } from '../diff';

/**
 * How `db migrate` learns about renames: `--rename` flags say it (CI); otherwise, in a
 * terminal, an Inquirer prompt asks for each candidate pair; with neither, nothing is a
 * rename (and the CLI warns that a drop + add loses the column's data).
 */
export function renameResolver(flags: readonly string[] | undefined, interactive: boolean): RenameResolver {
  if (flags && flags.length) return fixedRenames(parseRenameFlags([...flags]));
  if (!interactive) return NO_RENAMES;
  return {
    confirmTableRename: (from, to) => ask(`Did you rename table ${from} to ${to}?`),
    confirmColumnRename: (table, from, to) => ask(`Did you rename column ${table}.${from} to ${table}.${to}?`),
  };
}

async function ask(message: string): Promise<boolean> {
  const { default: confirm } = await import('@inquirer/confirm');
  return confirm({ message, default: false });
}

/** Whether kiln may ask: stdin and stdout are a terminal and this is not CI (CI=true). */
export function isInteractive(): boolean {
  return Boolean(process.stdin.isTTY && process.stdout.isTTY) && process.env.CI !== 'true';
}
