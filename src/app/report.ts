import { introspectOptionsOf } from '../introspect/config-options';
import type { ResolvedConfig } from '../config/load';
import { dialectOf } from '../dialect/registry';
import { isKilnError, messageOf } from '../errors';
import { buildGraph, drawGraph } from '../graph';
import { introspect } from '../introspect';
import type { ReportData, ReportMigration } from '../report/data';
import { openDatabase } from '../runner/database';
import { readMessage } from '../runner/files';
import { editedMigrations, readStatus, type Status } from '../runner/status';
import { checkDrift } from './check';
import type { Progress } from './progress';

function appliedAt(value: Date | string | null): string | null {
  if (value === null) return null;
  const d = value instanceof Date ? value : new Date(value);
  return Number.isNaN(d.getTime()) ? String(value) : d.toISOString();
}

function historyOf(status: Status, edited: ReadonlySet<string>): ReportMigration[] {
  const applied = new Map(status.applied.map((a) => [a.name, a]));
  const rows: ReportMigration[] = status.files.map((f) => {
    const row = applied.get(f.name);
    const state = !row ? 'pending' : edited.has(f.name) ? 'edited' : 'applied';
    return { id: f.id, message: readMessage(f), state, appliedAt: row ? appliedAt(row.migrationTime) : null };
  });
  for (const name of status.missing) rows.push({ id: name, message: '', state: 'missing', appliedAt: appliedAt(applied.get(name)?.migrationTime ?? null) });
  return rows;
}

/**
 * `kiln db report`: everything the HTML report shows, read from the live database: its schema
 * (drawn as SVG), the migration history and the `db check` result. When the check itself
 * cannot run (the models do not load, say) the report says why and `progress` warns.
 */
export async function gatherReport(input: { readonly config: ResolvedConfig }, progress: Progress): Promise<ReportData> {
  const { config } = input;
  const db = await openDatabase(config, { noCreate: true });
  try {
    const dialect = db.url.dialect;
    const schema = await introspect(db.knex, dialect, introspectOptionsOf(config));
    const status = await readStatus(config, db.knex);
    const edited = await editedMigrations(db.knex, config, status);
    let check: ReportData['check'];
    try {
      const outcome = await checkDrift(config, db.knex, dialect, undefined);
      check = { ok: true, inSync: outcome.result.inSync, lines: outcome.lines };
    } catch (e) {
      if (!isKilnError(e)) throw e;
      check = { ok: false, error: messageOf(e) };
      progress.warn(`the report's check section is incomplete: ${messageOf(e)}`);
    }
    const svg = await drawGraph(buildGraph(schema), 'svg');
    return {
      database: dialectOf(dialect).label,
      generatedAt: new Date().toISOString(),
      schema,
      svg,
      history: historyOf(status, new Set(edited.map((f) => f.name))),
      check,
    };
  } finally {
    await db.close().catch(() => undefined);
  }
}
