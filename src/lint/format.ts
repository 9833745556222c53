import type { LintReport } from '../app/lint';
import { RULES, type RuleId } from './rules';
import type { AnalyzedStatement, TableLock } from './types';

/** One line of SQL for a listing: whitespace folded, long statements cut. */
export function oneLine(sql: string, max = 160): string {
  const flat = sql.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

function lockText(l: TableLock): string {
  const effect = l.blocksReads ? 'blocks reads and writes' : l.blocksWrites ? 'blocks writes' : 'reads and writes go on';
  return `${l.mode} on "${l.table}" (${effect})`;
}

/** `lock ... · rewrites ...` for one statement. */
export function statementFacts(s: AnalyzedStatement): string {
  const locks = s.locks.length ? s.locks.map(lockText).join(', ') : 'no table lock';
  return `${locks}${s.rewrites.length ? ` · rewrites ${s.rewrites.map((t) => `"${t}"`).join(', ')}` : ''}`;
}

/** `kiln db lint`: the findings by migration and statement, the fix of each rule once, a summary. */
export function lintLines(report: LintReport): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  let statements = 0;
  for (const m of report.migrations) {
    statements += m.statements.length;
    const flagged = m.statements.filter((s) => s.findings.length);
    out.push(`${m.name}: ${m.statements.length} statement(s), ${flagged.length ? `${flagged.length} with findings` : 'no findings'}`);
    for (const s of flagged) {
      out.push(`  ${oneLine(s.sql)}`);
      out.push(`    ${statementFacts(s)}`);
      for (const f of s.findings) {
        out.push(`    ${f.allowed ? 'allowed' : f.severity} ${f.rule}: ${f.message}`);
        seen.add(f.rule);
      }
    }
  }
  for (const rule of seen) out.push(`fix for ${rule}: ${RULES[rule as RuleId].fix} (docs/lint.md#${rule})`);
  const { error, warning, info } = report.counts;
  if (!report.migrations.length) out.push('Nothing to lint: no pending migrations.');
  else out.push(`${report.migrations.length} migration(s), ${statements} statement(s): ${error} error(s), ${warning} warning(s), ${info} info.`);
  return out;
}

/** `kiln db upgrade --plan`: every statement with its lock and rewrite. */
export function planLines(report: LintReport): string[] {
  const out: string[] = [];
  for (const m of report.migrations) {
    out.push(`${m.name}`);
    m.statements.forEach((s, i) => {
      out.push(`  ${i + 1}. ${oneLine(s.sql)}`);
      out.push(`     ${s.kind} · ${statementFacts(s)}`);
    });
    if (!m.statements.length) out.push('  (no statements)');
  }
  if (!report.migrations.length) out.push('Nothing to upgrade: no pending migrations.');
  return out;
}
