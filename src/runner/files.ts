import * as fs from 'node:fs';
import * as path from 'node:path';
import { KilnError } from '../errors';

/** A migration file on disk. `name` is what Knex records (file name with extension). */
export interface MigrationFile {
  readonly name: string;
  /** The revision id kiln prints: the file name without its extension. */
  readonly id: string;
  readonly path: string;
}

const MIGRATION_RE = /\.(ts|js|cjs|mts|cts)$/;

export function isMigrationFileName(name: string): boolean {
  return MIGRATION_RE.test(name) && !name.endsWith('.d.ts') && !name.startsWith('.') && !name.startsWith('_');
}

export function revisionId(name: string): string {
  return name.replace(MIGRATION_RE, '');
}

/**
 * The migration files of `dir`, sorted by name (Knex's order). `extensions`: a knexfile's
 * `migrations.loadExtensions` (e.g. `['.js']`), as Knex reads it: other files are not migrations.
 */
export function listMigrations(dir: string, extensions?: readonly string[]): MigrationFile[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new KilnError('DIRECTORY', `migrations folder not found: ${path.relative(process.cwd(), dir) || dir}`, {
        hint: "run 'kiln db init' to create it, or pass --directory",
      });
    }
    throw e;
  }
  const files = names
    .filter((name) => isMigrationFileName(name) && (!extensions || extensions.some((e) => name.endsWith(e))))
    .sort()
    .map((name) => ({ name, id: revisionId(name), path: path.join(dir, name) }));
  refuseDuplicateRevisions(files, dir);
  return files;
}

/** `X_init.ts` and `X_init.js` are one revision twice: which one runs would be a guess. */
function refuseDuplicateRevisions(files: readonly MigrationFile[], dir: string): void {
  const byId = new Map<string, string[]>();
  for (const f of files) byId.set(f.id, [...(byId.get(f.id) ?? []), f.name]);
  for (const [id, same] of byId) {
    if (same.length < 2) continue;
    const where = path.relative(process.cwd(), dir) || dir;
    throw new KilnError('MIGRATION_FILE', `revision ${id} exists twice in ${where}: ${same.join(' and ')}`, {
      hint: 'keep one of the files (a compiled copy next to its source is the usual cause)',
    });
  }
}

/** The first line of the migration's header comment (kiln's template), else its slug. */
export function readMessage(file: MigrationFile): string {
  let head = '';
  try {
    const fd = fs.openSync(file.path, 'r');
    const buf = Buffer.alloc(1024);
    const n = fs.readSync(fd, buf, 0, buf.length, 0);
    fs.closeSync(fd);
    head = buf.subarray(0, n).toString('utf8');
  } catch {
    return slugMessage(file.id);
  }
  const m = /^\s*\/\*\*?\s*\n\s*\*\s?(.*)\n/.exec(head);
  if (m && m[1].trim()) return m[1].trim().replace(/\*\\\//g, '*/');
  return slugMessage(file.id);
}

function slugMessage(id: string): string {
  return id.replace(/^\d+_?/, '').replace(/_/g, ' ');
}
