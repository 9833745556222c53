#!/usr/bin/env node
'use strict';
/**
 * `kiln db current` and a no-op `kiln db upgrade` against `flask db current`/`flask db upgrade`
 * (a tiny Flask app with Flask-Migrate, Debian's python3-flask-migrate) and the Knex CLI
 * (`node node_modules/knex/bin/cli.js migrate:currentVersion`/`migrate:latest` with a knexfile),
 * all on one SQLite database, at head of BENCH_STARTUP_MIGRATIONS (default 10) migrations each.
 *
 *   node bench/startup.js
 */
const fs = require('node:fs');
const path = require('node:path');
const c = require('./lib/common');
const p = require('./lib/project');

const N = Number(process.env.BENCH_STARTUP_MIGRATIONS ?? 10);

function flaskApp(dir) {
  fs.writeFileSync(
    path.join(dir, 'app.py'),
    `import os
from flask import Flask
from flask_sqlalchemy import SQLAlchemy
from flask_migrate import Migrate

app = Flask(__name__)
app.config['SQLALCHEMY_DATABASE_URI'] = 'sqlite:///' + os.path.join(os.path.dirname(os.path.abspath(__file__)), 'data.db')
app.config['SQLALCHEMY_TRACK_MODIFICATIONS'] = False
db = SQLAlchemy(app)
migrate = Migrate(app, db, directory='flask_migrations')
`,
  );
}

function flaskRevisions(dir, count) {
  const versions = path.join(dir, 'flask_migrations', 'versions');
  for (let i = 1; i <= count; i++) {
    const t = `f${p.pad(i)}`;
    fs.writeFileSync(
      path.join(versions, `r${p.pad(i)}_create_${t}.py`),
      `"""create ${t}"""
from alembic import op
import sqlalchemy as sa

revision = 'r${p.pad(i)}'
down_revision = ${i === 1 ? 'None' : `'r${p.pad(i - 1)}'`}
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('${t}', sa.Column('id', sa.Integer, primary_key=True), sa.Column('name', sa.String(100), nullable=False), sa.Column('body', sa.Text), sa.Column('qty', sa.Integer, nullable=False, server_default='0'))
    op.create_index('ix_${t}_name', '${t}', ['name'])


def downgrade():
    op.drop_table('${t}')
`,
    );
  }
}

/** Modules of the drawing code (db graph / db report) a command loads, via bench/lib/loaded-modules.js. */
const DRAWING = /[\\/](dist[\\/](graph|report)[\\/]|dist[\\/]app[\\/](graph|report)\.js|@viz-js[\\/])/;

function loadedDrawing(dir, env, args) {
  const file = path.join(dir, 'loaded-modules.txt');
  const hook = path.join(__dirname, 'lib', 'loaded-modules.js');
  c.sh('node', ['--require', hook, ...c.kilnArgs(...args)], { cwd: dir, env: { ...env, KILN_LOADED_MODULES_FILE: file } });
  return fs.readFileSync(file, 'utf8').split('\n').filter((m) => DRAWING.test(m));
}

/** `db current` and `db upgrade` load none of the drawing code; `db graph --format svg` does (the check can fail). */
function drawingCodeCheck(dir, env) {
  const parts = [['db', 'current'], ['db', 'upgrade']].map((args) => `\`kiln ${args.join(' ')}\` ${loadedDrawing(dir, env, args).length} modules`);
  const svg = loadedDrawing(dir, env, ['db', 'graph', '--from-db', '--format', 'svg', '--out', path.join(dir, 'schema.svg')]).length;
  return `${parts.join(', ')}; for comparison \`kiln db graph --from-db --format svg\` ${svg} modules`;
}

function main() {
  c.ensureBuilt();
  const haveFlask = c.ensureApt(['python3-flask-migrate'], ['flask_migrate', 'flask_sqlalchemy']);
  const dir = c.freshDir('startup');
  p.writeKilnConfig(dir);
  p.writeKnexfile(dir);
  p.writeMigrations(path.join(dir, 'migrations'), N);
  const kilnEnv = c.kilnEnv();
  c.sh('node', c.kilnArgs('db', 'upgrade'), { cwd: dir, env: kilnEnv });
  const flaskEnv = c.pyEnv({ FLASK_APP: 'app.py' });
  if (haveFlask) {
    flaskApp(dir);
    c.sh(c.PYTHON, ['-m', 'flask', 'db', 'init'], { cwd: dir, env: flaskEnv });
    flaskRevisions(dir, N);
    c.sh(c.PYTHON, ['-m', 'flask', 'db', 'upgrade'], { cwd: dir, env: flaskEnv });
  }
  const knexEnv = { ...process.env, KNEX_PATH: path.dirname(path.dirname(c.KNEX_CLI)) };
  const knex = (cmd) => [c.KNEX_CLI, '--knexfile', path.join(dir, 'knexfile.js'), cmd];

  const rows = [];
  const results = {};
  for (const [what, kilnCmd, flaskCmd, knexCmd] of [
    ['current', ['db', 'current'], ['db', 'current'], 'migrate:currentVersion'],
    ['no-op upgrade', ['db', 'upgrade'], ['db', 'upgrade'], 'migrate:latest'],
  ]) {
    const specs = [
      ...(haveFlask ? [{ label: `flask ${flaskCmd.join(' ')}`, cmd: c.PYTHON, args: ['-m', 'flask', ...flaskCmd], cwd: dir, env: flaskEnv }] : []),
      { label: `knex ${knexCmd}`, cmd: 'node', args: knex(knexCmd), cwd: dir, env: knexEnv },
      { label: `kiln ${kilnCmd.join(' ')}`, cmd: 'node', args: c.kilnArgs(...kilnCmd), cwd: dir, env: kilnEnv },
    ];
    const measured = c.measureAll(specs);
    const flask = haveFlask ? measured[0] : null;
    const [kx, kiln] = measured.slice(-2);
    results[what] = { flask, knex: kx, kiln };
    const cell = (r) => (r ? `${c.fmtS(r.median)} (${c.fmtMb(r.peakKb)})` : 'skipped');
    const ok = (r, limit) => (r ? `${c.fmtRatio(kiln.median, r.median)} ${kiln.median / r.median <= limit ? 'met' : 'NOT met'} (<= ${limit}x)` : 'n/a');
    rows.push([`\`kiln db ${kilnCmd[1]}\` / \`flask db ${flaskCmd[1]}\` / \`knex ${knexCmd}\``, cell(flask), cell(kx), cell(kiln), ok(flask, 0.5), ok(kx, 1.1)]);
  }
  const drawing = drawingCodeCheck(dir, kilnEnv);
  c.report(
    'startup',
    `db current and no-op db upgrade on SQLite (${N} migrations applied)`,
    c.table(['command', 'flask db (Flask-Migrate)', 'knex CLI', 'kiln', 'kiln / flask', 'kiln / knex CLI'], rows),
    [
      'cells: median wall time (peak RSS)',
      `reproduce: \`node bench/startup.js\` (BENCH_STARTUP_MIGRATIONS=${N})`,
      haveFlask ? `flask: ${c.PYTHON} -m flask (Debian python3-flask-migrate)` : 'flask: SKIPPED (python3-flask-migrate not available)',
      `drawing code (src/graph, src/report, @viz-js/viz) loaded: ${drawing}`,
    ],
  );
  return results;
}

c.runMain(module, main);
module.exports = { main, drawingCodeCheck };
