import { introspectOptionsOf } from '../introspect/config-options';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Knex } from 'knex';
import type { ResolvedConfig } from '../config/load';
import { dialectOf } from '../dialect/registry';
import { KilnError } from '../errors';
import { introspect } from '../introspect';
import { allowedRules, RuleState } from '../lint/rules';
import { SEVERITIES, type AnalyzedMigration, type Severity, type StatementReading } from '../lint/types';
import { openDatabase } from '../runner/database';
import { offlineRun } from '../runner/offline';
import { messageOf } from '../errors';
import type { Progress } from './progress';

export interface LintInput {
  readonly config: ResolvedConfig;
  /** Lint the run up to this target (default head). */
  readonly target?: string;
  /** Only report these migrations (names or unique prefixes); the run before them still counts. */
  readonly only?: readonly string[];
}

export interface LintReport {
  readonly migrations: readonly AnalyzedMigration[];
  /** Findings not accepted by a `kiln-lint-allow` comment, per severity. */
  readonly counts: Readonly<Record<Severity, number>>;
}

/** Row counts above this are taken from the planner's estimate; below it, counted exactly. */
const EXACT_UP_TO = 100_000;

/**
 * `kiln db lint` and `kiln db upgrade --plan`: the pending migrations run offline (as
 * `upgrade --sql`, nothing changes), each statement read by the dialect (locks, rewrites) and
 * judged by the rules (src/lint/rules.ts), knowing which tables hold rows today.
 */
export async function lint(input: LintInput): Promise<LintReport> {
  const { config } = input;
  const { statements, steps } = await offlineRun(config, 'up', input.target ?? 'head');
  const db = await openDatabase(config, { noCreate: true, readOnly: true });
  try {
    const lintHooks = dialectOf(db.url.dialect).lint;
    const schema = await introspect(db.knex, db.url.dialect, introspectOptionsOf(config));
    const reader = await lintHooks.reader();
    const read = steps.map((step) => statements.slice(step.start, step.end).map((sql) => [sql, reader.read(sql, schema)] as const));
    const existing = new Set(schema.tables.map((t) => t.name));
    const touched = new Set<string>();
    for (const [, r] of read.flat()) {
      for (const l of r.locks) touched.add(l.table);
      for (const e of r.events) if ('table' in e) touched.add(e.table);
    }
    const rows = await countRows(db.knex, [...touched].filter((t) => existing.has(t)), lintHooks.estimateRows);
    const rules = new RuleState({ rows, transactional: true });
    const only = input.only?.length ? selectOnly(steps.map((s) => s.file.name), input.only) : null;
    const migrations: AnalyzedMigration[] = [];
    steps.forEach((step, i) => {
      const allows = allowedRules(readSource(step.file.path));
      const analyzed = read[i].map(([sql, reading]: readonly [string, StatementReading]) => rules.analyze(sql, reading, allows, step.transactional));
      if (!only || only.has(step.file.name)) migrations.push({ name: step.file.name, path: step.file.path, statements: analyzed });
    });
    const counts = { error: 0, warning: 0, info: 0 };
    for (const f of migrations.flatMap((m) => m.statements.flatMap((s) => s.findings))) if (!f.allowed) counts[f.severity]++;
    return { migrations, counts };
  } finally {
    await db.close().catch(() => undefined);
  }
}

/** Whether a report holds a finding at `level` or above (not accepted by a comment). */
export function failsAt(report: LintReport, level: Severity | 'never'): boolean {
  if (level === 'never') return false;
  const upTo = SEVERITIES.slice(0, SEVERITIES.indexOf(level) + 1);
  return upTo.some((s) => report.counts[s] > 0);
}

async function countRows(knex: Knex, tables: string[], estimate: (knex: Knex, tables: readonly string[]) => Promise<Map<string, number>>): Promise<Map<string, number>> {
  const out = tables.length ? await estimate(knex, tables) : new Map<string, number>();
  for (const table of tables) {
    const known = out.get(table);
    if (known !== undefined && known > EXACT_UP_TO) continue;
    const [row] = (await knex.select(knex.raw('count(*) as n')).from(knex.raw('(select 1 as one from ?? limit ?) as bounded', [table, EXACT_UP_TO + 1]))) as { n: number | string }[];
    out.set(table, Number(row.n));
  }
  return out;
}

function readSource(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

function selectOnly(names: readonly string[], wanted: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const w of wanted) {
    const hits = names.filter((n) => n === w || n.startsWith(w));
    if (hits.length !== 1) {
      throw new KilnError('TARGET', hits.length ? `'${w}' names ${hits.length} pending migrations: ${hits.join(', ')}` : `'${w}' names no pending migration`, {
        hint: "give more of the name; 'kiln db history' lists them",
      });
    }
    out.add(hits[0]);
  }
  return out;
}

/**
 * After `kiln db migrate` wrote `file`: its findings, one line each (the migration is written
 * whatever they say; a lint that cannot run is a warning, not a failed migrate).
 */
export async function lintWritten(config: ResolvedConfig, file: string, progress: Progress): Promise<void> {
  let report: LintReport;
  try {
    report = await lint({ config, only: [path.basename(file)] });
  } catch (e) {
    progress.warn(`could not lint ${path.basename(file)}: ${messageOf(e)}`);
    return;
  }
  const findings = report.migrations.flatMap((m) => m.statements.flatMap((s) => s.findings.filter((f) => !f.allowed)));
  for (const f of findings) progress.line(`  lint: ${f.severity} ${f.rule}: ${f.message}`);
  if (findings.length) progress.line(`  ${findings.length} lint finding(s): 'kiln db lint' explains them and their fixes`);
}
