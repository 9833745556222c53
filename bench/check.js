#!/usr/bin/env node
'use strict';
/**
 * `kiln db check` and `kiln db migrate` (nothing to generate) on an in-sync schema of N tables
 * (5 columns, an index and a foreign key each), against Alembic's compare_metadata on the same
 * SQLite database with the same tables as SQLAlchemy metadata (Debian's python3-alembic; the
 * whole process, as `alembic check` would run it). With KILN_TEST_PG_URL / KILN_TEST_MYSQL_URL
 * (admin URLs; `bash scripts/test-servers.sh -- node bench/check.js` starts throwaway servers),
 * kiln on PostgreSQL and MariaDB too, with the number of catalog queries of one introspection.
 *
 *   node bench/check.js            # 100 and 1000 tables
 *   node bench/check.js 100 1000 5000
 *
 * With --rich the tables hold issue 11's objects instead (bench/lib/project.js writeRichModels:
 * an enum, checks, a generated column, a partial index, comments), with no Alembic side:
 *
 *   bash scripts/test-servers.sh -- node bench/check.js --rich 100 1000
 *
 * With --views V the models declare V views too (view i reads table i; bench/lib/project.js
 * writeViews), also with no Alembic side (issue 12: db check on 1000 tables + 100 views):
 *
 *   bash scripts/test-servers.sh -- node bench/check.js --views 100 1000
 *
 * With --triggers T the models declare T triggers too (trigger i on table i, a BEFORE UPDATE
 * guard on qty with a body per dialect, half of them with a WHEN; bench/lib/project.js
 * writeTriggers). Issue 12's schema: 1000 tables, 100 views, 100 triggers:
 *
 *   bash scripts/test-servers.sh -- node bench/check.js --views 100 --triggers 100 1000
 *
 * Besides the introspection's catalog queries, every run counts the statements one whole
 * `kiln db check` sends, at the driver (bench/lib/count-statements.js, preloaded), and how many
 * of them the view and trigger probes account for.
 */
const fs = require('node:fs');
const path = require('node:path');
const c = require('./lib/common');
const p = require('./lib/project');

/** `--name N` in argv: N, or 0. */
const flagValue = (name) => {
  const at = process.argv.indexOf(name);
  return at > 1 ? Number(process.argv[at + 1]) : 0;
};
const VIEWS = flagValue('--views');
const TRIGGERS = flagValue('--triggers');
const FLAG_VALUE_AT = new Set(['--views', '--triggers'].map((f) => process.argv.indexOf(f) + 1).filter((i) => i > 0));
const SIZES = process.argv
  .slice(2)
  .filter((_, i) => !FLAG_VALUE_AT.has(i + 2))
  .map(Number)
  .filter(Boolean);
const RICH = process.argv.includes('--rich');
const FLAGS = `${RICH ? ' --rich' : ''}${VIEWS ? ` --views ${VIEWS}` : ''}${TRIGGERS ? ` --triggers ${TRIGGERS}` : ''}`;

/** A project with N model tables, brought in sync by kiln itself (migrate, then upgrade). */
function syncedProject(name, n, databaseUrl, rich = false, views = 0, triggers = 0) {
  const dir = c.freshDir(name);
  p.writeKilnConfig(dir);
  if (rich) p.writeRichModels(path.join(dir, 'models'), n);
  else p.writeModels(path.join(dir, 'models'), n);
  if (views) p.writeViews(path.join(dir, 'models'), Math.min(views, n));
  if (triggers) p.writeTriggers(path.join(dir, 'models'), Math.min(triggers, n));
  fs.mkdirSync(path.join(dir, 'migrations'));
  const env = c.kilnEnv(databaseUrl ? { DATABASE_URL: databaseUrl } : {});
  c.sh('node', c.kilnArgs('db', 'migrate', '-m', 'init'), { cwd: dir, env });
  c.sh('node', c.kilnArgs('db', 'upgrade'), { cwd: dir, env });
  c.sh('node', c.kilnArgs('db', 'check'), { cwd: dir, env });
  return { dir, env };
}

function alembicScript(dir, n) {
  fs.writeFileSync(path.join(dir, 'sa_models.py'), p.sqlalchemyModels(n));
  fs.writeFileSync(
    path.join(dir, 'alembic_check.py'),
    `import os, sys
from sqlalchemy import create_engine
from alembic.migration import MigrationContext
from alembic.autogenerate import compare_metadata
from sa_models import metadata

engine = create_engine('sqlite:///' + os.path.join(os.path.dirname(os.path.abspath(__file__)), 'data.db'))
with engine.connect() as conn:
    # kiln's and Knex's bookkeeping tables are not in the models (kiln leaves them out too)
    skip = {'knex_migrations', 'knex_migrations_lock', 'kiln_migrations_checksums', 'sqlite_sequence'}
    ctx = MigrationContext.configure(conn, opts={'include_name': lambda name, type_, parent: not (type_ == 'table' and name in skip)})
    diff = compare_metadata(ctx, metadata)
print(len(diff))
for d in diff[:5]:
    print(d, file=sys.stderr)
`,
  );
}

/**
 * Catalog queries of one introspection of the database: counted by src/introspect's onQuery and,
 * independently, by the Knex instance's 'query' event (every statement it sends).
 */
function catalogQueries(dir, env) {
  const script = `
const { loadConfig } = require(${JSON.stringify(path.join(c.ROOT, 'dist/config/load'))});
const { parseDatabaseUrl } = require(${JSON.stringify(path.join(c.ROOT, 'dist/config/url'))});
const { knexConfigFor } = require(${JSON.stringify(path.join(c.ROOT, 'dist/config/knex-config'))});
const { introspect } = require(${JSON.stringify(path.join(c.ROOT, 'dist/introspect'))});
(async () => {
  const config = await loadConfig();
  const url = parseDatabaseUrl(config.databaseUrl, config.root);
  const knex = require('knex')(knexConfigFor(url));
  let n = 0;
  let events = 0;
  knex.on('query', () => events++);
  const t0 = performance.now();
  const schema = await introspect(knex, url.dialect, { schema: config.schema, onQuery: () => n++ });
  const ms = performance.now() - t0;
  await knex.destroy();
  if (events !== n) throw new Error('onQuery counted ' + n + ' queries, the knex query event ' + events);
  console.log(JSON.stringify({ queries: n, tables: schema.tables.length, ms }));
})().catch((e) => { console.error(e); process.exit(1); });`;
  return JSON.parse(c.sh('node', ['-e', script], { cwd: dir, env: { ...env, NODE_PATH: path.join(c.ROOT, 'node_modules') } }).trim());
}

/**
 * Every statement one whole `kiln db check` sends (bench/lib/count-statements.js, preloaded with
 * --require), with the share of the probes (statements naming a kiln_probe_ object, and the
 * transaction/savepoint statements around them).
 */
function checkStatements(dir, env) {
  const file = path.join(dir, 'statements.txt');
  const preload = path.join(__dirname, 'lib', 'count-statements.js');
  c.sh('node', c.kilnArgs('db', 'check'), {
    cwd: dir,
    env: { ...env, NODE_OPTIONS: `${env.NODE_OPTIONS ?? ''} --require ${preload}`.trim(), KILN_STATEMENTS_FILE: file, KILN_STATEMENTS_ROOT: c.ROOT },
  });
  const lines = fs.readFileSync(file, 'utf8').split('\n').filter(Boolean);
  const txn = lines.filter((l) => /^(begin|start transaction|commit|rollback|savepoint|release)\b/i.test(l)).length;
  const probe = lines.filter((l) => !/^(begin|start transaction|commit|rollback|savepoint|release)\b/i.test(l) && /kiln_probe/i.test(l)).length;
  return { total: lines.length, probe, txn, other: lines.length - probe - txn };
}

function main() {
  c.ensureBuilt();
  const haveAlembic = !RICH && !VIEWS && !TRIGGERS && c.ensureApt(['python3-alembic'], ['alembic', 'sqlalchemy']);
  const kind = `${RICH ? 'rich-' : ''}${VIEWS ? `views${VIEWS}-` : ''}${TRIGGERS ? `triggers${TRIGGERS}-` : ''}`;
  const rows = [];
  const serverRows = [];
  const sizes = SIZES.length ? SIZES : [100, 1000];
  for (const n of sizes) {
    const { dir, env } = syncedProject(`check-${kind}${n}`, n, undefined, RICH, VIEWS, TRIGGERS);
    const specs = [];
    if (haveAlembic) {
      alembicScript(dir, n);
      specs.push({
        label: `alembic compare_metadata, ${n}`,
        cmd: c.PYTHON,
        args: ['alembic_check.py'],
        cwd: dir,
        env: c.pyEnv(),
        after: (r) => {
          specs.alembicDiffs = Number(r.stdout.trim());
        },
      });
    }
    specs.push({ label: `kiln db check, ${n}`, cmd: 'node', args: c.kilnArgs('db', 'check'), cwd: dir, env });
    specs.push({
      label: `kiln db migrate, ${n}`,
      cmd: 'node',
      args: c.kilnArgs('db', 'migrate', '-m', 'nothing'),
      cwd: dir,
      env,
      after: (r) => {
        if (!/No changes in schema detected/.test(r.stdout)) throw new Error(`db migrate found changes:\n${r.stdout}`);
      },
    });
    const m = c.measureAll(specs);
    const [alembic, check, migrate] = haveAlembic ? m : [null, ...m];
    const q = catalogQueries(dir, env);
    const cell = (r) => (r ? `${c.fmtS(r.median)} (${r.cpuMedian != null ? `cpu ${c.fmtS(r.cpuMedian)}, ` : ''}${c.fmtMb(r.peakKb)})` : 'skipped');
    const stm = (x) => `${x.total} (probes ${x.probe}, begin/savepoint/rollback ${x.txn}, other ${x.other})`;
    const st = checkStatements(dir, env);
    rows.push([
      String(n),
      alembic ? `${cell(alembic)}, ${specs.alembicDiffs} diff(s)` : 'skipped',
      cell(check),
      cell(migrate),
      alembic ? c.fmtRatio(check.median, alembic.median) : 'n/a',
      n === 1000 ? `${check.median < 0.5 ? 'met' : 'NOT met'} (< 0.5 s)` : '',
      `${q.queries} (${q.ms.toFixed(0)} ms)`,
      stm(st),
    ]);
    for (const [dialect, admin] of [
      ['PostgreSQL', process.env.KILN_TEST_PG_URL],
      ['MariaDB', process.env.KILN_TEST_MYSQL_URL],
    ]) {
      if (!admin) continue;
      const url = freshServerDatabase(admin, `kiln_bench_check_${kind.replace(/-/g, '_')}${n}`);
      const s = syncedProject(`check-${kind}${dialect.toLowerCase()}-${n}`, n, url, RICH, VIEWS, TRIGGERS);
      const [sc, sm] = c.measureAll([
        { label: `kiln db check, ${dialect}, ${n}`, cmd: 'node', args: c.kilnArgs('db', 'check'), cwd: s.dir, env: s.env },
        { label: `kiln db migrate, ${dialect}, ${n}`, cmd: 'node', args: c.kilnArgs('db', 'migrate', '-m', 'nothing'), cwd: s.dir, env: s.env },
      ]);
      const sq = catalogQueries(s.dir, s.env);
      serverRows.push([dialect, String(n), cell(sc), cell(sm), `${sq.queries} (${sq.ms.toFixed(0)} ms)`, stm(checkStatements(s.dir, s.env))]);
    }
  }
  const notes = [
    ...(RICH ? ['tables: issue 11 objects each (bench/lib/project.js writeRichModels): an enum (PostgreSQL: one named type per table), a numeric column with a CHECK, a table CHECK, a stored generated column, a partial index (not on MariaDB), comments on the table and a column, an index and a foreign key'] : []),
    'cells: median wall time of the whole command (peak RSS); the schema was created by `kiln db migrate` + `kiln db upgrade` from the models, so it is in sync',
    'catalog queries: SQL statements one introspection sends (src/introspect onQuery), and its time in-process',
    'db check statements: every statement one whole `kiln db check` sends, counted at the driver (bench/lib/count-statements.js); probes: those naming a kiln_probe_ object (besides BEGIN / SAVEPOINT / RELEASE / ROLLBACK, counted apart)',
    ...(VIEWS ? [`views: ${VIEWS} (view i: \`select id, name, qty from table i where qty > 0\`, bench/lib/project.js writeViews)`] : []),
    ...(TRIGGERS ? [`triggers: ${TRIGGERS} (trigger i: BEFORE UPDATE on table i, a qty guard with a body per dialect, the odd ones with WHEN NEW.qty < 0 on SQLite and PostgreSQL; bench/lib/project.js writeTriggers)`] : []),
    `reproduce: \`node bench/check.js${FLAGS} ${sizes.join(' ')}\` (SQLite), \`bash scripts/test-servers.sh -- node bench/check.js${FLAGS} ${sizes.join(' ')}\` (also PostgreSQL and MariaDB)`,
  ];
  const tag = `check${RICH ? '-rich' : ''}${VIEWS ? '-views' : ''}${TRIGGERS ? '-triggers' : ''}`;
  c.report(tag, RICH ? 'db check / db migrate on an in-sync schema of issue 11 objects (SQLite)' : 'db check / db migrate on an in-sync schema (SQLite) vs Alembic compare_metadata', c.table(['tables', 'alembic compare_metadata', 'kiln db check', 'kiln db migrate', 'check / alembic', 'target', 'catalog queries', 'db check statements'], rows), notes);
  if (serverRows.length) {
    c.report(`${tag}-servers`, `db check / db migrate on PostgreSQL and MariaDB${RICH ? ' (issue 11 objects)' : ''}`, c.table(['database', 'tables', 'kiln db check', 'kiln db migrate', 'catalog queries', 'db check statements'], serverRows), notes.slice(1));
  } else {
    c.skip('PostgreSQL / MariaDB rows', 'KILN_TEST_PG_URL / KILN_TEST_MYSQL_URL not set (run under bash scripts/test-servers.sh -- node bench/check.js)');
  }
}

/** Drops and creates database `name` through the admin URL; returns the URL of the new database. */
function freshServerDatabase(adminUrl, name) {
  const u = new URL(adminUrl);
  const isPg = /^postgres/.test(u.protocol);
  const script = `
const knex = require('knex')(${isPg ? "{ client: 'pg', connection: process.env.ADMIN }" : "{ client: 'mysql2', connection: process.env.ADMIN.replace(/^mysql[^:]*:/, 'mysql:') }"});
(async () => {
  await knex.raw(${JSON.stringify(isPg ? `DROP DATABASE IF EXISTS ${name}` : `DROP DATABASE IF EXISTS \`${name}\``)});
  await knex.raw(${JSON.stringify(isPg ? `CREATE DATABASE ${name}` : `CREATE DATABASE \`${name}\``)});
  await knex.destroy();
})().catch((e) => { console.error(e); process.exit(1); });`;
  c.sh('node', ['-e', script], { cwd: c.ROOT, env: { ...process.env, ADMIN: adminUrl } });
  u.pathname = `/${name}`;
  return u.toString();
}

c.runMain(module, main);
module.exports = { main, syncedProject };
