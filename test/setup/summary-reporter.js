'use strict';
// Prints the plain closing line 'N passed, N failed, N skipped' and repeats which dialects
// were skipped, so a skipped server can never hide in a green run.
//
// It also prints the reliability suite's table (test/reliability/helpers.ts reportStats appends
// one JSON line per row to the file named by KILN_RELIABILITY_STATS, set here before any test
// runs so in-band and worker processes both inherit it).
const fs = require('fs');
const os = require('os');
const path = require('path');

const RELIABILITY_COLUMNS = [
  ['suite', 'suite'],
  ['dialect', 'dialect'],
  ['trials', 'trials'],
  ['failures', 'failures'],
  ['rowsLost', 'rows lost'],
  ['locksLeft', 'locks left'],
  ['tempTablesLeft', 'temp tables left'],
  ['doubleApplied', 'double-applied'],
];

function reliabilityTable(rows) {
  const total = { suite: 'TOTAL', dialect: '' };
  for (const [k] of RELIABILITY_COLUMNS.slice(2)) total[k] = rows.reduce((n, r) => n + Number(r[k] || 0), 0);
  const cells = [RELIABILITY_COLUMNS.map(([, h]) => h), ...[...rows, total].map((r) => RELIABILITY_COLUMNS.map(([k]) => String(r[k])))];
  const widths = RELIABILITY_COLUMNS.map((_, i) => Math.max(...cells.map((c) => c[i].length)));
  const line = (c) => `| ${c.map((x, i) => (i < 2 ? x.padEnd(widths[i]) : x.padStart(widths[i]))).join(' | ')} |`;
  return [line(cells[0]), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...cells.slice(1).map(line)].join('\n');
}

class SummaryReporter {
  constructor() {
    this.statsFile = path.join(os.tmpdir(), `kiln-reliability-${process.pid}-${Date.now()}.jsonl`);
    process.env.KILN_RELIABILITY_STATS = this.statsFile;
  }

  onRunComplete(_contexts, results) {
    if (fs.existsSync(this.statsFile)) {
      const rows = fs.readFileSync(this.statsFile, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
      fs.rmSync(this.statsFile, { force: true });
      if (rows.length) process.stdout.write(`\n[kiln reliability summary]\n${reliabilityTable(rows)}\n`);
    }
    const skippedDialects = [];
    if (!process.env.KILN_TEST_PG_URL) skippedDialects.push('postgres');
    if (!process.env.KILN_TEST_MYSQL_URL) skippedDialects.push('mysql');
    if (skippedDialects.length) process.stdout.write(`\n[kiln tests] NOT RUN on: ${skippedDialects.join(', ')} (no server)\n`);
    const skipped = results.numPendingTests + results.numTodoTests;
    process.stdout.write(`\ntests: ${results.numPassedTests} passed, ${results.numFailedTests} failed, ${skipped} skipped\n`);
  }
}
module.exports = SummaryReporter;
