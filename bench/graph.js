#!/usr/bin/env node
'use strict';
/**
 * `kiln db graph` on BENCH_GRAPH_TABLES (default 1000) model tables, each with a foreign key
 * (bench/lib/project.js writeModels): Mermaid, DOT and SVG (Graphviz's dot layout in
 * WebAssembly), and `kiln db report` of the same schema created in SQLite by `kiln initdb`.
 *
 *   node bench/graph.js
 */
const fs = require('node:fs');
const path = require('node:path');
const c = require('./lib/common');
const p = require('./lib/project');

const N = Number(process.env.BENCH_GRAPH_TABLES ?? 1000);

function main() {
  c.ensureBuilt();
  const dir = c.freshDir('graph');
  p.writeKilnConfig(dir);
  p.writeModels(path.join(dir, 'models'), N);
  fs.mkdirSync(path.join(dir, 'migrations'));
  const env = c.kilnEnv();
  c.sh('node', c.kilnArgs('initdb'), { cwd: dir, env });
  const specs = [
    { label: 'db graph (mermaid)', args: ['db', 'graph'] },
    { label: 'db graph --format dot', args: ['db', 'graph', '--format', 'dot'] },
    { label: 'db graph --format svg', args: ['db', 'graph', '--out', 'schema.svg'] },
    { label: 'db graph --from-db --format svg', args: ['db', 'graph', '--from-db', '--out', 'db.svg'] },
    { label: 'db report', args: ['db', 'report', '--out', 'report.html'] },
  ].map((s) => ({ label: s.label, cmd: 'node', args: c.kilnArgs(...s.args), cwd: dir, env, runs: Math.min(3, Number(process.env.BENCH_RUNS ?? 3)) }));
  const measured = c.measureAll(specs);
  c.report(
    'graph',
    `db graph and db report on ${N} tables (${N - 1} foreign keys), SQLite`,
    c.table(['command', 'wall time (peak RSS)'], measured.map((r) => [`\`kiln ${r.label}\``, `${c.fmtS(r.median)} (${c.fmtMb(r.peakKb)})`])),
    [`reproduce: \`node bench/graph.js\` (BENCH_GRAPH_TABLES=${N})`, 'cells: median wall time of 3 runs after the warm-up (peak RSS)'],
  );
}

c.runMain(module, main);
module.exports = { main };
