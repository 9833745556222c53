import type { FixedRenames, RenameResolver } from '../diff';
import { fixedRenames, NO_RENAMES, parseRenameFlags, subjectLabel } from '../diff';
import { KilnError } from '../errors';
import { escapeForTerminal } from './terminal';

/**
 * How `db migrate` learns about renames: `--rename` flags say it (CI); otherwise, in a
 * terminal, an Inquirer prompt asks for each candidate pair (tables, columns, enum values); with neither, nothing is a
 * rename (and the CLI warns that a drop + add loses the column's data).
 */
export function renameResolver(flags: readonly string[] | undefined, interactive: boolean): RenameResolver {
  if (flags && flags.length) return fixedRenames(parseRenameFlags([...flags]));
  if (!interactive) return NO_RENAMES;
  return {
    confirmTableRename: (from, to) => ask(`Did you rename table ${escapeForTerminal(from)} to ${escapeForTerminal(to)}?`),
    confirmColumnRename: (table, from, to) => ask(escapeForTerminal(`Did you rename column ${table}.${from} to ${table}.${to}?`)),
    confirmValueRename: (subject, from, to) => ask(escapeForTerminal(`Did you rename value '${from}' of ${subjectLabel(subject)} to '${to}'?`)),
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

/** A `--rename` that matched no removed + added pair is a mistake, not something to ignore. */
export function assertRenamesUsed(resolver: RenameResolver): void {
  const unmatched = (resolver as Partial<FixedRenames>).unmatched?.() ?? [];
  if (unmatched.length === 0) return;
  throw new KilnError('BAD_ARGUMENT', `--rename ${unmatched.join(', ')}: no such removed and added ${unmatched.length > 1 ? 'pairs' : 'pair'} between the database and the models; nothing was written`, {
    hint: "'kiln db check' lists what changed; the table in table.old=new (and table.column:old=new) is the models' name",
  });
}
