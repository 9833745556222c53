#!/usr/bin/env node
'use strict';
/**
 * Apply N TypeScript migrations to a fresh SQLite database: `kiln db upgrade` vs the Knex CLI
 * (`migrate:latest`) with tsx (`node --require tsx/cjs`, and `node --import tsx`) and with ts-node
 * (`--require ts-node/register`, type-checking as installed), same migrations folder. Warm caches (tsx's and
 * kiln's transform caches are filled by the warm-up run); kiln is also measured with empty caches
 * (transform and V8 code cache, KILN_CACHE_DIR) on every run.
 *
 *   node bench/apply.js            # 100 and 1000 migrations
 *   node bench/apply.js 100        # only 100
 *   BENCH_TS_NODE_MAX=1000 node bench/apply.js   # ts-node at 1000 too (slow: ~1 min a run)
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const c = require('./lib/common');
const p = require('./lib/project');

const SIZES = process.argv.slice(2).map(Number).filter(Boolean);
const TS_NODE_MAX = Number(process.env.BENCH_TS_NODE_MAX ?? 100);

function main() {
  c.ensureBuilt();
  const tools = c.ensureNpmTools();
  if (!tools) c.skip('knex + tsx, knex + ts-node', 'could not install tsx/ts-node/typescript into bench/.work');
  const rows = [];
  const all = {};
  for (const n of SIZES.length ? SIZES : [100, 1000]) {
    const dir = c.freshDir(`apply-${n}`);
    p.writeKilnConfig(dir);
    p.writeKnexfile(dir);
    p.writeMigrations(path.join(dir, 'migrations'), n);
    const db = path.join(dir, 'data.db');
    const fresh = () => {
      for (const f of [db, `${db}-journal`, `${db}-wal`, `${db}-shm`]) fs.rmSync(f, { force: true });
    };
    const checkApplied = (r) => {
      const count = c.sh('node', ['-e', `const s=require('sqlite3');const d=new s.Database(${JSON.stringify(db)});d.get('select count(*) n from knex_migrations',(e,r)=>{if(e)throw e;console.log(r.n)})`], { cwd: c.ROOT }).trim();
      if (Number(count) !== n) throw new Error(`expected ${n} applied migrations, found ${count}\n${r.stdout}\n${r.stderr}`);
    };
    const opts = { cwd: dir, before: fresh, after: checkApplied };
    const knexEnv = { ...process.env, KNEX_PATH: path.join(c.ROOT, 'node_modules', 'knex') };
    const knexArgs = [c.KNEX_CLI, '--knexfile', path.join(dir, 'knexfile.js'), 'migrate:latest'];
    const r = { n };
    const cold = path.join(os.tmpdir(), `kiln-bench-cold-${process.pid}`);
    const specs = [];
    if (tools) {
      const tsx = require.resolve('tsx/cjs', { paths: [tools] });
      specs.push({ key: 'tsx', label: `knex + tsx (--require tsx/cjs), ${n}`, cmd: 'node', args: ['--require', tsx, ...knexArgs], ...opts, env: knexEnv });
      const tsxLoader = require('node:url').pathToFileURL(path.join(path.dirname(require.resolve('tsx/package.json', { paths: [tools] })), 'dist', 'loader.mjs')).href;
      specs.push({ key: 'tsxImport', label: `knex + tsx (--import tsx), ${n}`, cmd: 'node', args: ['--import', tsxLoader, ...knexArgs], ...opts, env: knexEnv });
      if (n <= TS_NODE_MAX) {
        const tsnode = require.resolve('ts-node/register', { paths: [tools] });
        specs.push({ key: 'tsnode', label: `knex + ts-node, ${n}`, cmd: 'node', args: ['--require', tsnode, ...knexArgs], ...opts, env: knexEnv });
      }
    }
    specs.push({ key: 'kiln', label: `kiln db upgrade, ${n}`, cmd: 'node', args: c.kilnArgs('db', 'upgrade'), ...opts, env: c.kilnEnv() });
    specs.push({
      key: 'kilnCold',
      label: `kiln db upgrade, ${n}, empty transform cache`,
      cmd: 'node',
      args: c.kilnArgs('db', 'upgrade'),
      ...opts,
      env: c.kilnEnv({ KILN_CACHE_DIR: cold }),
      before: () => {
        fresh();
        fs.rmSync(cold, { recursive: true, force: true });
      },
    });
    c.measureAll(specs).forEach((m, i) => (r[specs[i].key] = m));
    fs.rmSync(cold, { recursive: true, force: true });
    all[n] = r;
    const cell = (m) => (m ? `${c.fmtS(m.median)} (${c.fmtMb(m.peakKb)})` : 'not run');
    const vs = (anchor) => (anchor ? `${c.fmtRatio(r.kiln.median, anchor.median)}${n === 100 ? (r.kiln.median / anchor.median <= 0.5 ? ' met' : ' NOT met') : ''}` : 'n/a');
    rows.push([String(n), cell(r.tsx), cell(r.tsxImport), cell(r.tsnode), cell(r.kiln), cell(r.kilnCold), vs(r.tsx), vs(r.tsxImport), r.tsnode ? c.fmtRatio(r.kiln.median, r.tsnode.median) : 'n/a']);
  }
  c.report(
    'apply',
    'Apply N TypeScript migrations to a fresh SQLite database',
    c.table(
      ['migrations', 'knex CLI + tsx (--require tsx/cjs)', 'knex CLI + tsx (--import tsx)', 'knex CLI + ts-node', 'kiln db upgrade', 'kiln, empty caches', 'kiln / knex+tsx/cjs (target <= 0.5x at 100)', 'kiln / knex+--import tsx', 'kiln / knex+ts-node'],
      rows,
    ),
    [
      'cells: median wall time (peak RSS); every run starts from a deleted database file; each migration creates a table with an index',
      'reproduce: `node bench/apply.js` (or `node bench/apply.js 100`)',
      `ts-node runs up to ${TS_NODE_MAX} migrations (BENCH_TS_NODE_MAX)`,
    ],
  );
  return all;
}

c.runMain(module, main);
module.exports = { main };
