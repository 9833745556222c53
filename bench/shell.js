#!/usr/bin/env node
'use strict';
/**
 * `kiln shell` startup on the repository's worked example (SQLite, at head): `kiln shell -e 1`
 * (config, the 9 model files and the REPL; Knex not loaded), `kiln shell -e "await
 * Note.query().count()"` (plus Knex, the driver and one query), beside `node -e 1` alone.
 *
 *   node bench/shell.js
 */
const fs = require('node:fs');
const path = require('node:path');
const c = require('./lib/common');

const REPO = path.resolve(__dirname, '..');

function main() {
  c.ensureBuilt();
  const dir = c.freshDir('shell');
  for (const sub of ['models', 'migrations']) fs.cpSync(path.join(REPO, sub), path.join(dir, sub), { recursive: true });
  fs.copyFileSync(path.join(REPO, 'kiln.config.ts'), path.join(dir, 'kiln.config.ts'));
  const env = c.kilnEnv({ KILN_SHELL_HISTORY: '' });
  c.sh('node', c.kilnArgs('db', 'upgrade'), { cwd: dir, env });
  const specs = [
    { label: 'node -e 1', cmd: 'node', args: ['-e', '1'], cwd: dir, env },
    { label: 'kiln shell -e 1', cmd: 'node', args: c.kilnArgs('shell', '-e', '1'), cwd: dir, env },
    { label: 'kiln shell -e "await Note.query().count()"', cmd: 'node', args: c.kilnArgs('shell', '-e', 'await Note.query().count()'), cwd: dir, env },
  ];
  const [node, bare, query] = c.measureAll(specs);
  const cell = (r) => `${c.fmtS(r.median)} (${c.fmtMb(r.peakKb)})`;
  const rows = [
    ['`node -e 1`', cell(node), '1.00x'],
    ['`kiln shell -e 1`', cell(bare), c.fmtRatio(bare.median, node.median)],
    ['`kiln shell -e "await Note.query().count()"`', cell(query), c.fmtRatio(query.median, node.median)],
  ];
  c.report('shell', 'kiln shell startup on the worked example (SQLite, 9 model files)', c.table(['command', 'time (peak RSS)', 'vs node alone'], rows), [
    'cells: median wall time (peak RSS)',
    'reproduce: `node bench/shell.js`',
    `target: \`kiln shell -e 1\` well under 1 s: ${bare.median < 1 ? 'met' : 'NOT met'}`,
  ]);
  return { node, bare, query };
}

c.runMain(module, main);
module.exports = { main };
