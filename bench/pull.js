#!/usr/bin/env node
'use strict';
/**
 * `kiln db pull` of N tables (a serial key, a few columns, a foreign key and an index each:
 * bench/lib/project.js writeModels, created by kiln itself) on SQLite, and with
 * KILN_TEST_PG_URL / KILN_TEST_MYSQL_URL (admin URLs; `bash scripts/test-servers.sh -- node
 * bench/pull.js` starts throwaway servers) on PostgreSQL and MariaDB; with the number of catalog
 * queries of the introspection, and a check that `kiln db check` with the pulled models is clean.
 * drizzle-kit's `pull` on the same PostgreSQL database runs when bench/anchors has it installed
 * (`npm --prefix bench/anchors install`; it is not a kiln dependency; see drizzlePull()).
 *
 *   node bench/pull.js            # 100 and 1000 tables
 *   node bench/pull.js 100 1000 5000
 */
const fs = require('node:fs');
const path = require('node:path');
const c = require('./lib/common');
const { syncedProject } = require('./check');

// drizzle-kit runs up to this size (BENCH_DRIZZLE_MAX); above 100 tables it runs once, without
// a warm-up (its 1000-table pull takes about 100 s here, nearly all of it waiting on per-table queries).
const DRIZZLE_MAX = Number(process.env.BENCH_DRIZZLE_MAX ?? 1000);
const SIZES = process.argv.slice(2).map(Number).filter(Boolean);
// The anchor lives outside kiln's dependencies: `npm --prefix bench/anchors install` (or KILN_BENCH_DRIZZLE_KIT=path).
const DRIZZLE = [process.env.KILN_BENCH_DRIZZLE_KIT, path.join(c.ROOT, 'bench', 'anchors', 'node_modules', '.bin', 'drizzle-kit'), path.join(c.ROOT, 'node_modules', '.bin', 'drizzle-kit')].find(
  (p) => p && fs.existsSync(p),
) ?? path.join(c.ROOT, 'bench', 'anchors', 'node_modules', '.bin', 'drizzle-kit');

/** Drops and creates database `name` through the admin URL; returns the URL of the new database. */
function freshServerDatabase(adminUrl, name) {
  const isPg = /^postgres/.test(new URL(adminUrl).protocol);
  const script = `
const knex = require('knex')(${isPg ? "{ client: 'pg', connection: process.env.ADMIN }" : "{ client: 'mysql2', connection: process.env.ADMIN.replace(/^mysql[^:]*:/, 'mysql:') }"});
(async () => {
  await knex.raw(${JSON.stringify(isPg ? `DROP DATABASE IF EXISTS ${name}` : `DROP DATABASE IF EXISTS \`${name}\``)});
  await knex.raw(${JSON.stringify(isPg ? `CREATE DATABASE ${name}` : `CREATE DATABASE \`${name}\``)});
  await knex.destroy();
})().catch((e) => { console.error(e); process.exit(1); });`;
  c.sh('node', ['-e', script], { cwd: c.ROOT, env: { ...process.env, ADMIN: adminUrl } });
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  return u.toString();
}

/**
 * The database kiln just created (1000 tables) is still being written back to disk by the
 * server (PostgreSQL's checkpointer, the kernel's dirty pages) when the timing starts, and on
 * this machine that write-back made file creation 10x to 30x slower for the pull that followed
 * (1000 model files: 40 ms on a quiet disk, over 1 s right after the create). Each side is
 * therefore measured on a settled disk: a PostgreSQL CHECKPOINT once, a `sync` before every run
 * (drizzle-kit's too), and no deletion of many files before a run (see quietDisk()).
 */
function settle(url) {
  if (url && /^postgres/.test(new URL(url).protocol)) {
    c.sh('node', ['-e', "const k=require('knex')({client:'pg',connection:process.env.URL});k.raw('CHECKPOINT').then(()=>k.destroy()).catch((e)=>{console.error(e);process.exit(1)})"], { cwd: c.ROOT, env: { ...process.env, URL: url } });
  }
  flushDisk();
}

function flushDisk() {
  c.sh('sync', [], { cwd: c.ROOT });
}

/**
 * Deleting files is what slows this machine's disk most: after `rm -rf` of 1000 to 6000 small
 * files (ext4 mounted with `discard`), creating files stays 10x to 16x slower for 3 to 12 s
 * (100 files: 35-45 ms instead of 2.5 ms, measured in a loop after the delete), so a run that
 * starts right after deleting the previous run's 1000 model files measures that, not kiln. Each
 * run therefore pulls into a new folder; the folders are deleted after the series, and the next
 * series waits until creating 100 probe files takes less than PROBE_QUIET_MS again (at most 60 s;
 * the probes stay until the bench's end, so probing does not delay itself).
 */
const PROBE_QUIET_MS = 10;
const probes = path.join(c.ROOT, 'bench', '.work', 'disk-probes');
let probeCount = 0;
function quietDisk() {
  fs.mkdirSync(probes, { recursive: true });
  const deadline = Date.now() + 60_000;
  for (;;) {
    flushDisk();
    const dir = path.join(probes, String(probeCount++));
    fs.mkdirSync(dir);
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < 100; i++) fs.writeFileSync(path.join(dir, `f${i}.ts`), 'x'.repeat(400));
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (ms < PROBE_QUIET_MS) return;
    if (Date.now() > deadline) {
      c.log(`disk still slow after 60 s (100 files: ${ms.toFixed(0)} ms): measuring anyway`);
      return;
    }
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1000);
  }
}
process.on('exit', () => fs.rmSync(probes, { recursive: true, force: true }));

/** Catalog queries of one introspection (what `db pull` reads), counted with onQuery. */
function catalogQueries(dir, env) {
  const dist = (m) => JSON.stringify(path.join(c.ROOT, 'dist', m));
  const script = `
const { loadConfig } = require(${dist('config/load')});
const { parseDatabaseUrl } = require(${dist('config/url')});
const { knexConfigFor } = require(${dist('config/knex-config')});
const { introspect } = require(${dist('introspect')});
(async () => {
  const config = await loadConfig();
  const url = parseDatabaseUrl(config.databaseUrl, config.root);
  const knex = require('knex')(knexConfigFor(url));
  let n = 0;
  const schema = await introspect(knex, url.dialect, { schema: config.schema, onQuery: () => n++ });
  await knex.destroy();
  console.log(JSON.stringify({ queries: n, tables: schema.tables.length }));
})().catch((e) => { console.error(e); process.exit(1); });`;
  return JSON.parse(c.sh('node', ['-e', script], { cwd: dir, env: { ...env, NODE_PATH: path.join(c.ROOT, 'node_modules') } }).trim());
}

/**
 * The anchor: drizzle-kit's `pull` on the same PostgreSQL database, when drizzle-kit is installed
 * in node_modules (it is not a dependency of kiln). Returns the measurement, or null after
 * printing "drizzle-kit: not installed".
 */
function drizzlePull(dir, url, n) {
  if (n > DRIZZLE_MAX) return 'not run';
  if (!fs.existsSync(DRIZZLE)) {
    console.log('drizzle-kit: not installed');
    return null;
  }
  const out = path.join(dir, 'drizzle');
  return c.measure(`drizzle-kit pull, PostgreSQL, ${n}`, DRIZZLE, ['pull', '--dialect', 'postgresql', '--url', url, '--out', out], {
    cwd: dir,
    ...(n > 100 ? { runs: 1, warmup: 0 } : {}),
    before: () => {
      fs.rmSync(out, { recursive: true, force: true });
      flushDisk();
    },
  });
}

/** Times `kiln db pull` into a new folder per run, then checks once that `db check` with the last one's models is clean. */
function benchPull(label, n, databaseUrl) {
  const { dir, env } = syncedProject(`pull-${label.toLowerCase()}-${n}`, n, databaseUrl);
  fs.writeFileSync(path.join(dir, 'kiln.pulled.config.ts'), "export default { models: 'pulled', migrations: 'migrations' };\n");
  const pullEnv = databaseUrl ? env : { ...env, DATABASE_URL: 'sqlite:///data.db' };
  const runs = path.join(dir, 'pulled-runs');
  const pulled = path.join(dir, 'pulled');
  fs.rmSync(runs, { recursive: true, force: true });
  fs.rmSync(pulled, { recursive: true, force: true });
  settle(databaseUrl);
  quietDisk();
  let last = null;
  const r = c.measure(`kiln db pull, ${label}, ${n}`, 'node', c.kilnArgs('db', 'pull', '--out', path.join('pulled-runs', 'RUN')), {
    cwd: dir,
    env: pullEnv,
    argsFor: (i) => c.kilnArgs('db', 'pull', '--out', path.join('pulled-runs', String(i))),
    before: () => flushDisk(),
    after: (_r, i) => {
      last = path.join(runs, String(i));
    },
  });
  fs.renameSync(last, pulled);
  const files = fs.readdirSync(pulled).length;
  const check = c.sh('node', c.kilnArgs('db', 'check', '--config', 'kiln.pulled.config.ts'), { cwd: dir, env: pullEnv });
  if (!/No new upgrade operations detected/.test(check)) throw new Error(`db check with the pulled models is not clean:\n${check}`);
  fs.rmSync(runs, { recursive: true, force: true });
  return { r, files, q: catalogQueries(dir, env), dir };
}

function main() {
  c.ensureBuilt();
  const rows = [];
  const sizes = SIZES.length ? SIZES : [100, 1000];
  const cell = (r) => `${c.fmtS(r.median)} (${r.runs > 1 ? '' : 'one run, '}${r.cpuMedian != null ? `cpu ${c.fmtS(r.cpuMedian)}, ` : ''}${c.fmtMb(r.peakKb)})`;
  for (const n of sizes) {
    const targets = [['SQLite', null]];
    if (process.env.KILN_TEST_PG_URL) targets.push(['PostgreSQL', freshServerDatabase(process.env.KILN_TEST_PG_URL, `kiln_bench_pull_${n}`)]);
    if (process.env.KILN_TEST_MYSQL_URL) targets.push(['MariaDB', freshServerDatabase(process.env.KILN_TEST_MYSQL_URL, `kiln_bench_pull_${n}`)]);
    for (const [label, url] of targets) {
      const { r, files, q, dir } = benchPull(label, n, url);
      quietDisk();
      const drizzle = label === 'PostgreSQL' ? drizzlePull(dir, url, n) : null;
      const target = n >= 1000 ? `${r.median < 1 ? 'met' : 'NOT met'} (< 1 s)` : '';
      rows.push([label, String(n), cell(r), `${files} files, db check clean`, String(q.queries), label === 'PostgreSQL' ? (drizzle === 'not run' ? `not run (> ${DRIZZLE_MAX} tables)` : drizzle ? `${cell(drizzle)}; kiln ${(drizzle.median / r.median).toFixed(1)}x faster` : 'not installed') : 'n/a', target]);
    }
  }
  if (!process.env.KILN_TEST_PG_URL) c.skip('PostgreSQL rows (and drizzle-kit)', 'KILN_TEST_PG_URL not set (run under bash scripts/test-servers.sh -- node bench/pull.js)');
  if (!process.env.KILN_TEST_MYSQL_URL) c.skip('MariaDB rows', 'KILN_TEST_MYSQL_URL not set');
  c.report(
    'pull',
    'db pull of N tables (serial key, a few columns, a foreign key and an index each)',
    c.table(['database', 'tables', 'kiln db pull', 'result', 'catalog queries', 'drizzle-kit pull', 'target'], rows),
    [
      'cells: median wall time of the whole command (median CPU time, user + sys; peak RSS): introspect, render one model file per table, compile them in memory against the database, write them',
      'catalog queries: SQL statements of the introspection (src/introspect onQuery); the same for 100 and 1000 tables',
      'drizzle-kit: runs when node_modules/.bin/drizzle-kit exists (not a kiln dependency)',
      'reproduce: `node bench/pull.js` (SQLite), `bash scripts/test-servers.sh -- node bench/pull.js` (also PostgreSQL and MariaDB)',
    ],
  );
}

c.runMain(module, main);
module.exports = { main, drizzlePull };
