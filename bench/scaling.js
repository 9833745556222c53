#!/usr/bin/env node
'use strict';
/**
 * How kiln's cost grows: `db check` and `db migrate` (nothing to generate) on in-sync schemas of
 * N tables, `db upgrade` applying N TypeScript migrations to a fresh SQLite database, and a
 * no-op `db upgrade` at head of N migrations; N = 10, 100, 1000, 5000 (or the arguments).
 *
 *   node bench/scaling.js
 *   node bench/scaling.js 10 100 1000
 */
const fs = require('node:fs');
const path = require('node:path');
const c = require('./lib/common');
const p = require('./lib/project');
const { syncedProject } = require('./check');

const SIZES = process.argv.slice(2).map(Number).filter(Boolean);

function main() {
  c.ensureBuilt();
  const rows = [];
  const sizes = SIZES.length ? SIZES : [10, 100, 1000, 5000];
  for (const n of sizes) {
    c.log(`scaling: ${n} tables / migrations (setting up)`);
    const schema = syncedProject(`scaling-schema-${n}`, n);
    const hist = c.freshDir(`scaling-history-${n}`);
    p.writeKilnConfig(hist);
    p.writeMigrations(path.join(hist, 'migrations'), n);
    const db = path.join(hist, 'data.db');
    const fresh = () => fs.rmSync(db, { force: true });
    const env = c.kilnEnv();
    const [check, migrate, upgrade, noop] = c.measureAll([
      { label: `db check, ${n} tables`, cmd: 'node', args: c.kilnArgs('db', 'check'), cwd: schema.dir, env },
      { label: `db migrate, ${n} tables`, cmd: 'node', args: c.kilnArgs('db', 'migrate', '-m', 'nothing'), cwd: schema.dir, env },
      { label: `db upgrade, ${n} migrations`, cmd: 'node', args: c.kilnArgs('db', 'upgrade'), cwd: hist, env, before: fresh },
      {
        label: `no-op db upgrade, ${n} migrations`,
        cmd: 'node',
        args: c.kilnArgs('db', 'upgrade'),
        cwd: hist,
        env,
        // after the last `db upgrade` run the database is at head
        before: () => {
          if (!fs.existsSync(db)) c.sh('node', c.kilnArgs('db', 'upgrade'), { cwd: hist, env });
        },
        after: (r) => {
          if (!/Nothing to upgrade/.test(r.stdout)) throw new Error(`not a no-op:\n${r.stdout.slice(0, 500)}`);
        },
      },
    ]);
    rows.push({ n, check, migrate, upgrade, noop });
  }
  const cell = (r, prev, nPrev, n) => {
    const per = prev ? ` (x${(r.median / prev.median).toFixed(1)} for x${n / nPrev})` : '';
    return `${c.fmtS(r.median)}${per}`;
  };
  const table = rows.map((r, i) => {
    const prev = rows[i - 1];
    return [
      String(r.n),
      cell(r.check, prev?.check, prev?.n, r.n),
      cell(r.migrate, prev?.migrate, prev?.n, r.n),
      cell(r.upgrade, prev?.upgrade, prev?.n, r.n),
      `${(((r.upgrade.median - rows[0].upgrade.median) / Math.max(1, r.n - rows[0].n)) * 1000).toFixed(2)} ms`,
      cell(r.noop, prev?.noop, prev?.n, r.n),
      c.fmtMb(Math.max(r.check.peakKb, r.migrate.peakKb, r.upgrade.peakKb)),
    ];
  });
  c.report(
    'scaling',
    'Scaling with the number of tables / migrations (SQLite)',
    c.table(['N', 'db check (N tables)', 'db migrate (N tables, no change)', 'db upgrade (apply N migrations)', 'upgrade: marginal cost per migration', 'no-op db upgrade (N applied)', 'peak RSS'], table),
    [
      'cells: median wall time; (xA for xB): growth of the time when N grows B times (linear is xB once the fixed start-up cost is small)',
      'tables: 5 columns, an index and a foreign key each; migrations: one table with an index each',
      'reproduce: `node bench/scaling.js` (or `node bench/scaling.js 10 100 1000`)',
    ],
  );
}

c.runMain(module, main);
module.exports = { main };
