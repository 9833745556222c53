#!/usr/bin/env node
'use strict';
/**
 * A SQLite table rebuild of BENCH_REBUILD_ROWS (default 1,000,000) rows: `kiln db upgrade` of
 * the migration `kiln db migrate` generates for a column change SQLite cannot make in place
 * (`qty` becomes NOT NULL: kiln/sqlite's rebuildTable), against a bare rebuild in one
 * transaction (CREATE TABLE new; INSERT INTO new SELECT * FROM old; DROP old; RENAME) run by
 * a node script with the same driver. Every run starts from a copy of the same database; after
 * each run the rows are counted (none may be lost).
 *
 *   node bench/rebuild.js
 */
const fs = require('node:fs');
const path = require('node:path');
const c = require('./lib/common');

const ROWS = Number(process.env.BENCH_REBUILD_ROWS ?? 1_000_000);

const model = (qty) => `import { model, Integer, String, Text } from 'kiln';

export const Big = model('Big', {
  id: Integer().primaryKey(),
  name: String(100).notNull(),
  qty: ${qty},
  note: Text(),
}, { tableName: 'big' });
`;

function sqlite(db, sql) {
  const script = `const s=require('sqlite3');const d=new s.Database(${JSON.stringify(db)});d.exec(process.env.SQL,(e)=>{if(e){console.error(e.message);process.exit(1)}d.close()})`;
  c.sh('node', ['-e', script], { cwd: c.ROOT, env: { ...process.env, SQL: sql } });
}

function count(db) {
  const script = `const s=require('sqlite3');const d=new s.Database(${JSON.stringify(db)});d.get("select count(*) n, sum(qty is null) nulls, (select sql from sqlite_master where name='big') ddl from big",(e,r)=>{if(e)throw e;console.log(JSON.stringify(r))})`;
  return JSON.parse(c.sh('node', ['-e', script], { cwd: c.ROOT }));
}

function main() {
  c.ensureBuilt();
  const dir = c.freshDir('rebuild');
  const env = c.kilnEnv();
  fs.writeFileSync(path.join(dir, 'kiln.config.ts'), "export default { database: 'sqlite:///data.db', models: 'models', migrations: 'migrations' };\n");
  fs.mkdirSync(path.join(dir, 'models'));
  fs.mkdirSync(path.join(dir, 'migrations'));
  fs.writeFileSync(path.join(dir, 'models', 'big.ts'), model('Integer()'));
  c.sh('node', c.kilnArgs('db', 'migrate', '-m', 'create big'), { cwd: dir, env });
  c.sh('node', c.kilnArgs('db', 'upgrade'), { cwd: dir, env });
  const db = path.join(dir, 'data.db');
  c.log(`filling ${ROWS} rows`);
  sqlite(
    db,
    `BEGIN; WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${ROWS})
     INSERT INTO big (id, name, qty, note) SELECT i, 'name ' || i, i % 1000, 'a note about row ' || i FROM n; COMMIT;`,
  );
  const pristine = path.join(dir, 'pristine.db');
  fs.copyFileSync(db, pristine);
  fs.writeFileSync(path.join(dir, 'models', 'big.ts'), model('Integer().notNull()'));
  c.sh('node', c.kilnArgs('db', 'migrate', '-m', 'qty not null'), { cwd: dir, env });
  const generated = fs.readdirSync(path.join(dir, 'migrations')).sort().pop();
  if (!/rebuildTable/.test(fs.readFileSync(path.join(dir, 'migrations', generated), 'utf8'))) throw new Error(`${generated} does not rebuild`);

  const bare = path.join(dir, 'bare.js');
  fs.writeFileSync(
    bare,
    `const s = require(${JSON.stringify(require.resolve('sqlite3', { paths: [c.ROOT] }))});
const d = new s.Database(${JSON.stringify(db)});
d.exec(\`BEGIN;
CREATE TABLE big_new (id integer not null primary key autoincrement, name varchar(100) not null, qty integer not null, note text);
INSERT INTO big_new SELECT * FROM big;
DROP TABLE big;
ALTER TABLE big_new RENAME TO big;
COMMIT;\`, (e) => { if (e) { console.error(e.message); process.exit(1); } d.close(); });
`,
  );
  const restore = () => {
    for (const f of [db, `${db}-journal`]) fs.rmSync(f, { force: true });
    fs.copyFileSync(pristine, db);
  };
  const verify = () => {
    const r = count(db);
    if (r.n !== ROWS || r.nulls !== 0 || !/[`"]?qty[`"]?\s+integer not null/i.test(r.ddl)) throw new Error(`after the rebuild: ${JSON.stringify(r)}`);
  };
  const [anchor, kiln] = c.measureAll([
    { label: `bare INSERT INTO new SELECT * FROM old, ${ROWS} rows`, cmd: 'node', args: [bare], cwd: dir, before: restore, after: verify },
    { label: `kiln db upgrade (rebuildTable), ${ROWS} rows`, cmd: 'node', args: c.kilnArgs('db', 'upgrade'), cwd: dir, env, before: restore, after: verify },
  ]);
  const ratio = kiln.median / anchor.median;
  c.report(
    'rebuild',
    `SQLite table rebuild of ${ROWS.toLocaleString('en')} rows (column qty becomes NOT NULL)`,
    c.table(
      ['bare rebuild in one transaction (node + sqlite3)', 'kiln db upgrade (generated migration, rebuildTable)', 'kiln / bare', 'target (<= 1.5x, no row lost)'],
      [[`${c.fmtS(anchor.median)} (${c.fmtMb(anchor.peakKb)})`, `${c.fmtS(kiln.median)} (${c.fmtMb(kiln.peakKb)})`, c.fmtRatio(kiln.median, anchor.median), `${ratio <= 1.5 ? 'met' : 'NOT met'}; rows checked after every run`]],
    ),
    ['cells: median wall time of the whole process (peak RSS); each run starts from a copy of the same database file', 'reproduce: `node bench/rebuild.js` (BENCH_REBUILD_ROWS to change the size)'],
  );
}

c.runMain(module, main);
module.exports = { main };
