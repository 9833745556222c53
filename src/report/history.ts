import { escapeHtml as h } from '../graph/escape';
import type { ReportData } from './data';

const LABELS = { applied: 'applied', pending: 'pending', edited: 'edited since applied', missing: 'file missing' } as const;

/** The migration history, oldest first: applied (with date), pending, edited since applied, missing. */
export function historySection(history: ReportData['history']): string {
  if (!history.length) return '<p>No migrations yet.</p>';
  const rows = history.map(
    (m) => `<tr class="migration ${m.state}" data-state="${m.state}"><td><code>${h(m.id)}</code></td><td>${h(m.message)}</td><td><span class="badge ${m.state}">${LABELS[m.state]}</span></td><td>${m.appliedAt ? `<time datetime="${h(m.appliedAt)}">${h(m.appliedAt.replace('T', ' ').replace(/\.\d+Z$/, ' UTC'))}</time>` : ''}</td></tr>`,
  );
  return `<table class="history"><thead><tr><th>revision</th><th>message</th><th>state</th><th>applied at</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

/** The `db check` result: in sync, the differences, or why it could not run. */
export function checkSection(check: ReportData['check']): string {
  if (!check.ok) return `<p class="badge missing">check could not run</p><pre>${h(check.error)}</pre>`;
  const badge = check.inSync ? '<p class="badge applied" data-check="in-sync">models and database agree</p>' : '<p class="badge edited" data-check="drift">models and database differ</p>';
  return `${badge}<pre>${check.lines.map(h).join('\n')}</pre>`;
}
