import * as fs from 'node:fs';
import * as path from 'node:path';

/** The command ids kiln has, in the space form a user types (`db upgrade`). */
export function commandNames(): string[] {
  try {
    const manifest = JSON.parse(fs.readFileSync(path.resolve(__dirname, '..', '..', 'oclif.manifest.json'), 'utf8')) as { commands?: Record<string, unknown> };
    return Object.keys(manifest.commands ?? {}).map((id) => id.split(':').join(' '));
  } catch {
    return [];
  }
}

/** The known command nearest to `typed` (space form), when it is close enough to be a typo. */
export function suggestCommand(typed: string, known: readonly string[] = commandNames()): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const name of known) {
    const distance = editDistance(typed, name);
    if (!best || distance < best.distance) best = { name, distance };
  }
  if (!best) return undefined;
  return best.distance <= Math.max(2, Math.floor(typed.length / 3)) || best.name.startsWith(typed) ? best.name : undefined;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length];
}

/**
 * A word for a shell command line: as it is when it holds only safe characters, else in single
 * quotes (a quote inside becomes '\''), so a hint can be pasted as it is printed.
 */
export function shellWord(word: string): string {
  return /^[A-Za-z0-9_.,:=@%+/-]+$/.test(word) ? word : `'${word.replace(/'/g, "'\\''")}'`;
}
