import type { Knex } from 'knex';
import type { ResolvedConfig } from '../config/load';
import type { DialectName } from '../dialect/types';
import type { Schema } from '../schema/types';
import type { KeptProperty } from '../diff/keep-unsaid';
import { describeOp } from '../ops/describe';
import { looseReason } from '../schema/foreign-keys';
import { openDatabase } from '../runner/database';
import { assertLinear } from '../runner/revision-graph';
import { editedMigrations, readStatus, type Status } from '../runner/status';
import { editedWarning } from './messages';
import type { Progress } from './progress';

export interface CheckResult {
  inSync: boolean;
  pending: string[];
  missing: string[];
  changes: { kind: string; description: string }[];
}

export interface CheckOutcome {
  readonly result: CheckResult;
  /** What `kiln db check` prints, in order. */
  readonly lines: string[];
  /** Warnings for stderr: applied migrations edited since (as `kiln db current` warns). */
  readonly warnings: string[];
  readonly failed: boolean;
}

/**
 * `kiln db check`: pending migrations and the difference between the models and the database.
 * check() is the use case; checkDrift is also called by the fast path (src/cli/fast.ts), which passes the status it
 * read and a SQLite handle that only runs `raw` catalog queries (it hands on to the full command
 * when an applied migration was edited, so `known` comes with no edited migration).
 */
export async function checkDrift(config: ResolvedConfig, knex: Knex, dialect: DialectName, known?: Status): Promise<CheckOutcome> {
  const status = known ?? (await readStatus(config, knex));
  assertLinear(status.files, status.applied.map((a) => a.name));
  const edited = known ? [] : await editedMigrations(knex, config, status);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { autogenerate, detectedLines } = require('../autogenerate') as typeof import('../autogenerate');
  const result = await autogenerate(config, knex, dialect);
  const pending = status.pending.map((f) => f.id);
  const inSync = result.changes.length === 0 && pending.length === 0 && status.missing.length === 0;
  const lines: string[] = [];
  if (pending.length) lines.push(`Target database is not up to date: ${pending.length} migration(s) pending (${pending.join(', ')}).`);
  if (status.missing.length) lines.push(`Applied migration(s) missing from the migrations folder: ${status.missing.join(', ')}.`);
  lines.push(...detectedLines(result.changes));
  lines.push(...unmanagedLines(result.database), ...looseLines(result.database), ...result.kept.map(keptLine));
  lines.push(...result.unmanagedViews.map((v) => `Unmanaged view '${v.name}': the models do not declare it; kept as it is`));
  const undeclared = new Set(result.unmanagedViews.map((v) => v.name));
  for (const v of result.database.views ?? []) {
    if (!undeclared.has(v.name)) lines.push(...(v.unmanaged ?? []).map((o) => `Unmanaged view option '${o}' on '${v.name}': the models cannot say it; kept as it is`));
  }
  lines.push(...result.unmanagedTriggers.map((t) => `Unmanaged trigger '${t.name}' on '${t.table}': the models do not declare it; kept as it is`));
  lines.push(...result.unmanagedSequences.map((q) => `Unmanaged sequence '${q.name}': the models do not declare it; kept as it is`));
  if (inSync) lines.push('No new upgrade operations detected.');
  else if (result.changes.length) lines.push(`New upgrade operations detected: ${result.changes.length}.`);
  return {
    result: { inSync, pending, missing: status.missing, changes: result.changes.map((op) => ({ kind: op.kind, description: describeOp(op) })) },
    lines,
    warnings: edited.length ? [editedWarning(edited)] : [],
    failed: !inSync,
  };
}

/** What the database holds and the models cannot say: shown, never drift (issue 11). */
function unmanagedLines(database: Schema): string[] {
  return database.tables.flatMap((t) => (t.unmanaged ?? []).map((u) => `Unmanaged ${u.kind} '${u.name}' on '${t.name}': kiln's models cannot say it; kept as it is`));
}

/**
 * The database's loose foreign keys (ForeignKey.loose): managed (the models say them with
 * `loose: true`, every re-creation keeps them), but what kiln does not do with them is said.
 */
function looseLines(database: Schema): string[] {
  const byName = new Map(database.tables.map((t) => [t.name, t]));
  return database.tables.flatMap((t) =>
    t.foreignKeys
      .filter((fk) => fk.loose)
      .map((fk) => `Loose foreign key '${fk.name}' on '${t.name}': ${looseReason(fk, byName.get(fk.refTable)) ?? 'its target is not a key'}; kept as SQLite has it, which cannot enforce it`),
  );
}

function keptLine(k: KeptProperty): string {
  return `Unmanaged ${k.kind} '${k.value}' on '${k.table}.${k.column}': the models do not say it; kept as it is`;
}

/** `kiln db check`: opens the database, reports warnings then lines; `failed` means exit 1. */
export async function check(input: { readonly config: ResolvedConfig }, progress: Progress): Promise<CheckOutcome> {
  const db = await openDatabase(input.config, { noCreate: true });
  try {
    const outcome = await checkDrift(input.config, db.knex, db.url.dialect);
    for (const w of outcome.warnings) progress.warn(w);
    for (const l of outcome.lines) progress.line(l);
    return outcome;
  } finally {
    await db.close().catch(() => undefined);
  }
}
