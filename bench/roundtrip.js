#!/usr/bin/env node
'use strict';
/**
 * `kiln db check --roundtrip` (every migration up one at a time, down to base, up again on a
 * scratch database, the schema introspected and compared at every step): its time on the
 * example project and on 100 generated migrations, next to a plain `kiln db upgrade` of the same
 * folder on a fresh database (the anchor: what one CI run already spends applying them).
 * SQLite always; PostgreSQL and MariaDB when KILN_TEST_PG_URL / KILN_TEST_MYSQL_URL are set
 * (the scratch database is created and dropped through that server).
 *
 *   node bench/roundtrip.js
 *   bash scripts/test-servers.sh -- node bench/roundtrip.js     # + PostgreSQL and MariaDB rows
 */
const fs = require('node:fs');
const path = require('node:path');
const c = require('./lib/common');
const p = require('./lib/project');

function exampleProject() {
  const dir = c.freshDir('roundtrip-example');
  for (const sub of ['models', 'migrations']) fs.cpSync(path.join(c.ROOT, sub), path.join(dir, sub), { recursive: true });
  fs.copyFileSync(path.join(c.ROOT, 'kiln.config.ts'), path.join(dir, 'kiln.config.ts'));
  return dir;
}

function generatedProject(n) {
  const dir = c.freshDir(`roundtrip-${n}`);
  p.writeKilnConfig(dir);
  fs.mkdirSync(path.join(dir, 'models'));
  p.writeMigrations(path.join(dir, 'migrations'), n);
  return dir;
}

function main() {
  c.ensureBuilt();
  const servers = [['SQLite', undefined], ['PostgreSQL', process.env.KILN_TEST_PG_URL], ['MariaDB', process.env.KILN_TEST_MYSQL_URL]].filter(([, url], i) => i === 0 || url);
  if (servers.length === 1) c.skip('PostgreSQL / MariaDB rows', 'KILN_TEST_PG_URL / KILN_TEST_MYSQL_URL not set (run under bash scripts/test-servers.sh -- node bench/roundtrip.js)');
  const projects = [['example project (1 migration, 17 tables)', exampleProject(), 1], ['100 generated migrations', generatedProject(100), 100]];
  const rows = [];
  for (const [dbLabel, url] of servers) {
    for (const [label, dir, n] of projects) {
      const db = path.join(dir, 'data.db');
      const env = c.kilnEnv(url ? { DATABASE_URL: url } : {});
      const [trip] = c.measureAll([
        {
          label: `${dbLabel}: db check --roundtrip, ${label}`,
          cmd: 'node',
          args: c.kilnArgs('db', 'check', '--roundtrip'),
          cwd: dir,
          env,
          after: (r) => {
            if (!r.stdout.includes('Roundtrip passed')) throw new Error(`roundtrip did not pass:\n${r.stdout}\n${r.stderr}`);
          },
        },
      ]);
      // The anchor, SQLite only (a fresh file each run): the upgrade CI runs anyway.
      const upgrade = url
        ? null
        : c.measureAll([{ label: `SQLite: db upgrade, ${label}`, cmd: 'node', args: c.kilnArgs('db', 'upgrade'), cwd: dir, env, before: () => fs.rmSync(db, { force: true }) }])[0];
      rows.push([dbLabel, label, String(3 * n), c.fmtS(trip.median), upgrade ? c.fmtS(upgrade.median) : 'n/a', upgrade ? c.fmtRatio(trip.median, upgrade.median) : 'n/a', c.fmtMb(trip.peakKb)]);
    }
  }
  c.report(
    'roundtrip',
    '`kiln db check --roundtrip`',
    c.table(['database', 'project', 'steps', 'roundtrip', 'plain db upgrade (fresh SQLite)', 'ratio', 'peak RSS'], rows),
    ['steps: every migration up, down, up again; the schema is introspected after each step and compared with the first pass', 'on a server the time includes creating and dropping the scratch database'],
  );
}

c.runMain(module, main);
