#!/usr/bin/env node
'use strict';
/**
 * Online-safe migrations under load (issue 14): a table `item` of ONLINE_ROWS rows (default
 * 6,000,000) on the PostgreSQL and MariaDB/MySQL servers of KILN_TEST_PG_URL /
 * KILN_TEST_MYSQL_URL (loopback), a steady writer on its own connection (a forked process:
 * an INSERT or an UPDATE of a random row every ONLINE_WRITE_INTERVAL_MS, default 10 ms, for
 * the whole run), and one change of the models: an index on `item.title`, a foreign key
 * `item.author_code -> author.code`, a check `qty >= 0` and a NOT NULL column `status` with a
 * default. It is applied twice, with `kiln db upgrade`:
 *   - naive: the plain Knex migration (`kiln db migrate --no-online`: t.index, t.foreign, the
 *     check and the column in one transaction, as a Knex user writes it);
 *   - kiln: the online-safe migration `kiln db migrate` writes by default.
 * Between the two the naive migration is reverted (`kiln db downgrade`). For each: the
 * migration's duration, the writer's p50/p99/max latency over the writes started while the
 * migration ran, and its failed writes.
 *
 *   KILN_TEST_PG_URL=postgresql://... KILN_TEST_MYSQL_URL=mysql://... node bench/online.js
 *   ONLINE_ROWS=200000 node bench/online.js      # a quick run
 *   ONLINE_DIALECTS=postgres node bench/online.js
 *   ONLINE_CHECK=0 node bench/online.js           # the change without the check (MariaDB can only copy for it)
 */
const fs = require('node:fs');
const path = require('node:path');
const { fork, spawn } = require('node:child_process');
const c = require('./lib/common');

const ROWS = Number(process.env.ONLINE_ROWS ?? 6_000_000);
const DIALECTS = (process.env.ONLINE_DIALECTS ?? 'postgres,mysql').split(',');
const DB = 'kiln_bench_online';

const BEFORE = `import { model, Integer, String } from 'kiln';
export const Author = model('Author', { code: String(10).primaryKey(), name: String(50) });
export const Item = model('Item', { id: Integer().primaryKey(), author_code: String(10), title: String(50), qty: Integer() });
`;
const AFTER = `import { model, Integer, String } from 'kiln';
export const Author = model('Author', { code: String(10).primaryKey(), name: String(50) });
export const Item = model('Item', {
  id: Integer().primaryKey(),
  author_code: String(10).references('author.code'),
  title: String(50).index(),
  qty: Integer()${process.env.ONLINE_CHECK === '0' ? '' : ".check('qty >= 0')"},
  status: String(10).notNull().default('new'),
});
`;

const SERVERS = {
  postgres: {
    env: 'KILN_TEST_PG_URL',
    client: 'pg',
    label: 'PostgreSQL',
    fill: (n) => [
      "insert into author select 'a' || g, 'author ' || g from generate_series(1, 1000) g",
      `insert into item select g, 'a' || (1 + g % 1000), 'title ' || g, g % 100 from generate_series(1, ${n}) g`,
      'analyze item',
    ],
  },
  mysql: {
    env: 'KILN_TEST_MYSQL_URL',
    client: 'mysql2',
    label: 'MariaDB',
    fill: (n) => {
      const out = ["insert into author select concat('a', seq), concat('author ', seq) from seq_1_to_1000"];
      for (let from = 1; from <= n; from += 500_000) {
        const to = Math.min(n, from + 499_999);
        out.push(`insert into item select seq, concat('a', 1 + seq % 1000), concat('title ', seq), seq % 100 from seq_${from}_to_${to}`);
      }
      out.push('analyze table item');
      return out;
    },
  },
};

const withDatabase = (url, db) => url.replace(/\/[^/?]*(\?|$)/, `/${db}$1`);

/** Runs SQL statements on a connection of their own, in a child (the bench's main stays synchronous). */
function sql(client, url, statements) {
  const script = `const k=require('knex')({client:${JSON.stringify(client)},connection:process.env.URL});(async()=>{for(const s of JSON.parse(process.env.SQL))await k.raw(s);await k.destroy()})().catch(e=>{console.error(e.message);process.exit(1)})`;
  c.sh('node', ['-e', script], { cwd: c.ROOT, env: { ...process.env, URL: url, SQL: JSON.stringify(statements) } });
}

const pct = (sorted, p) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : NaN);

/** One migration under the writer: returns the row of the table. */
async function underLoad(server, url, dir, env, variant, firstId) {
  const writer = fork(path.join(__dirname, 'lib', 'online-writer.js'), [server.client, url, String(ROWS), String(firstId)], { cwd: c.ROOT, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const message = () => new Promise((resolve) => writer.once('message', resolve));
  await message(); // ready
  await new Promise((r) => setTimeout(r, 2000));
  writer.send('start');
  const started = process.hrtime.bigint();
  const r = await new Promise((resolve) => {
    const child = spawn('node', c.kilnArgs('db', 'upgrade'), { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('close', (code) => resolve({ code, out }));
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  writer.send('stop');
  await new Promise((res) => setTimeout(res, 1000));
  const stats = message();
  writer.send('end');
  const { latencies, failures } = await stats;
  if (r.code !== 0) throw new Error(`${variant}: kiln db upgrade failed (exit ${r.code}):\n${r.out}`);
  const sorted = [...latencies].sort((a, b) => a - b);
  if (failures.length) c.log(`${variant}: ${failures.length} failed write(s), first: ${failures[0]}`);
  return [server.label, variant, ROWS.toLocaleString('en-US'), seconds.toFixed(2), String(sorted.length + failures.length), String(pct(sorted, 50)), String(pct(sorted, 99)), String(sorted[sorted.length - 1] ?? NaN), String(failures.length)];
}

async function runDialect(name) {
  const server = SERVERS[name];
  const base = process.env[server.env];
  if (!base) {
    c.skip(server.label, `${server.env} is not set`);
    return [];
  }
  sql(server.client, base, [`drop database if exists ${DB}`, `create database ${DB}`]);
  const url = withDatabase(base, DB);
  const dir = c.freshDir(`online-${name}`);
  const env = c.kilnEnv({ DATABASE_URL: url, CI: 'true' });
  fs.writeFileSync(path.join(dir, 'kiln.config.ts'), "export default { models: 'models', migrations: 'migrations' };\n");
  fs.mkdirSync(path.join(dir, 'models'));
  fs.mkdirSync(path.join(dir, 'migrations'));
  fs.writeFileSync(path.join(dir, 'models', 'm.ts'), BEFORE);
  c.sh('node', c.kilnArgs('db', 'migrate', '-m', 'init'), { cwd: dir, env });
  c.sh('node', c.kilnArgs('db', 'upgrade'), { cwd: dir, env });
  c.log(`${server.label}: filling ${ROWS.toLocaleString('en-US')} rows`);
  const t0 = Date.now();
  sql(server.client, url, server.fill(ROWS));
  c.log(`${server.label}: filled in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  fs.writeFileSync(path.join(dir, 'models', 'm.ts'), AFTER);
  const rows = [];
  for (const [n, variant] of ['naive', 'kiln'].entries()) {
    const flags = variant === 'naive' ? ['--no-online'] : [];
    const gen = c.sh('node', c.kilnArgs('db', 'migrate', '-m', variant, '--no-lint', ...flags), { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    c.log(`${server.label} ${variant}: generated\n${gen.trim()}`);
    c.log(`${server.label} ${variant}: applying under the writer`);
    rows.push(await underLoad(server, url, dir, env, variant === 'naive' ? 'naive Knex migration (one transaction)' : "kiln's online-safe migration", ROWS + 1 + n * 10_000_000));
    c.log(rows[rows.length - 1].join(' | '));
    c.sh('node', c.kilnArgs('db', 'downgrade'), { cwd: dir, env });
    const file = fs.readdirSync(path.join(dir, 'migrations')).find((f) => f.endsWith(`_${variant}.ts`));
    fs.copyFileSync(path.join(dir, 'migrations', file), path.join(dir, `${variant}.ts.txt`));
    fs.rmSync(path.join(dir, 'migrations', file));
  }
  sql(server.client, base, [`drop database if exists ${DB}`]);
  return rows;
}

async function main() {
  c.ensureBuilt();
  const rows = [];
  for (const name of DIALECTS) rows.push(...(await runDialect(name)));
  const headers = ['database', 'migration', 'rows', 'migration s', 'writes', 'writer p50 ms', 'writer p99 ms', 'writer max ms', 'failed writes'];
  const out = c.table(headers, rows);
  console.log(out);
  console.log(`\n${c.machine()}; change: index, foreign key, ${process.env.ONLINE_CHECK === '0' ? '' : 'check, '}NOT NULL column with a default; writer: one INSERT or UPDATE every ${process.env.ONLINE_WRITE_INTERVAL_MS ?? 10} ms; latencies over the writes started while the migration ran`);
}

if (require.main === module) {
  main().catch((e) => {
    console.error(e.stack || e);
    process.exit(1);
  });
}
