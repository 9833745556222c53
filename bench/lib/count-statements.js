'use strict';
/**
 * Preloaded with `node --require` (NODE_OPTIONS) by bench/check.js: counts every SQL statement
 * the process sends, at the driver (sqlite3's Database methods, pg's Client#query, mysql2's
 * Connection#query / #execute; Knex and kiln's Knex-free SQLite path both end there), and at
 * exit writes them to $KILN_STATEMENTS_FILE, one line each (newlines folded).
 */
const fs = require('node:fs');
const path = require('node:path');

const out = process.env.KILN_STATEMENTS_FILE;
const root = process.env.KILN_STATEMENTS_ROOT;
if (out && root) {
  const seen = [];
  const text = (sql) => String(typeof sql === 'object' && sql !== null ? sql.text ?? sql.sql ?? '' : sql).replace(/\s+/g, ' ').trim();
  const wrap = (proto, method) => {
    const orig = proto && proto[method];
    if (typeof orig !== 'function' || orig.__kilnCounted) return;
    proto[method] = function counted(sql, ...rest) {
      seen.push(text(sql));
      return orig.call(this, sql, ...rest);
    };
    proto[method].__kilnCounted = true;
  };
  const load = (name) => {
    try {
      return require(require.resolve(name, { paths: [root] }));
    } catch {
      return undefined;
    }
  };
  const sqlite3 = load('sqlite3');
  // prepare() compiles a statement that all/run/get on the Statement then run once: counted once.
  if (sqlite3) for (const m of ['all', 'get', 'run', 'exec', 'each', 'prepare']) wrap(sqlite3.Database.prototype, m);
  const pg = load('pg');
  if (pg) wrap(pg.Client.prototype, 'query');
  const mysql2 = load('mysql2');
  if (mysql2) {
    const Connection = require(path.join(path.dirname(require.resolve('mysql2', { paths: [root] })), 'lib/base/connection.js'));
    wrap(Connection.prototype, 'query');
    wrap(Connection.prototype, 'execute');
  }
  process.on('exit', () => fs.writeFileSync(out, seen.map((s) => `${s}\n`).join('')));
}
