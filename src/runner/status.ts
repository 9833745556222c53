import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import type { Knex } from 'knex';
import type { ResolvedConfig } from '../config/load';
import { KilnError } from '../errors';
import { readApplied, readChecksums, type AppliedMigration, type RecordedChecksum } from './bookkeeping';
import { listMigrations, type MigrationFile } from './files';
import { understandApplied } from './history-rows';
import { readGraph } from './revision-graph';

/** Where the database stands against the migrations folder, and which applied files were edited since. */
export interface Status {
  readonly files: MigrationFile[];
  readonly applied: AppliedMigration[];
  /** Applied migrations whose file is gone. */
  readonly missing: string[];
  readonly pending: MigrationFile[];
  /** The last applied migration, or null at base. */
  readonly current: MigrationFile | null;
  readonly head: MigrationFile | null;
}

/** Rows naming squashed or moved files are read as the files that replaced them (src/runner/history-rows.ts). */
export async function readStatus(config: ResolvedConfig, knex: Knex): Promise<Status> {
  const files = listMigrations(config.migrations, config.loadExtensions);
  const applied = await readApplied(knex, config.tableName);
  return statusOf(files, understandApplied(readGraph(files), applied).applied);
}

export function statusOf(files: MigrationFile[], applied: AppliedMigration[]): Status {
  const byName = new Map(files.map((f) => [f.name, f]));
  const done = new Set(applied.map((a) => a.name));
  const missing = applied.filter((a) => !byName.has(a.name)).map((a) => a.name);
  const last = applied.length ? byName.get(applied[applied.length - 1].name) ?? null : null;
  return {
    files,
    applied,
    missing,
    pending: files.filter((f) => !done.has(f.name)),
    current: last,
    head: files.length ? files[files.length - 1] : null,
  };
}

export function assertNoMissing(status: Status): void {
  if (status.missing.length === 0) return;
  throw new KilnError('HISTORY', `applied migration${status.missing.length > 1 ? 's' : ''} ${status.missing.join(', ')} not found in the migrations folder`, {
    hint: "restore the file(s) from version control, or rewrite the record with 'kiln db stamp <revision>'",
  });
}

/** SHA-256 of a migration file, as kept in kiln's checksum table when it is applied. */
export function checksumOf(file: MigrationFile): string | undefined {
  try {
    return createHash('sha256').update(fs.readFileSync(file.path)).digest('hex');
  } catch {
    return undefined;
  }
}

/** Applied migrations whose file changed since it was applied (kiln recorded its checksum then). */
export async function editedMigrations(knex: Knex, config: ResolvedConfig, status: Status): Promise<MigrationFile[]> {
  return editedOf(status, await readChecksums(knex, config.tableName));
}

/** editedMigrations from checksums already read (the fast path reads them through the driver). */
export function editedOf(status: Status, sums: ReadonlyMap<string, RecordedChecksum>): MigrationFile[] {
  if (sums.size === 0) return [];
  const byName = new Map(status.files.map((f) => [f.name, f]));
  const edited: MigrationFile[] = [];
  for (const a of status.applied) {
    const file = byName.get(a.name);
    const recorded = sums.get(a.name);
    // A row taken for another application (Knex rolled back and re-applied) says nothing.
    if (!file || !recorded || (recorded.appliedId !== null && recorded.appliedId !== a.id)) continue;
    if (checksumOf(file) !== recorded.checksum) edited.push(file);
  }
  return edited;
}
