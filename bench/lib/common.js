'use strict';
/**
 * Shared helpers of the benchmarks: where things are, installing the anchors (npm tools into
 * bench/.work, Debian's Flask-Migrate/Alembic with apt), timing commands (median of N runs
 * after a warm-up, peak RSS through /usr/bin/time) and printing markdown tables.
 *
 * Environment:
 *   BENCH_RUNS=N      runs per command (default 5, never less than 5 unless BENCH_QUICK=1)
 *   BENCH_WARMUP=N    warm-up runs (default 1)
 *   BENCH_NO_INSTALL=1  never install anything (missing anchors are skipped, loudly)
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync, execFileSync } = require('node:child_process');

const ROOT = path.resolve(__dirname, '..', '..');
const WORK = path.join(ROOT, 'bench', '.work');
const RESULTS = path.join(WORK, 'results');
const KILN = path.join(ROOT, 'bin', 'run.js');
const KNEX_CLI = path.join(ROOT, 'node_modules', 'knex', 'bin', 'cli.js');
const PYTHON = '/usr/bin/python3';
const TIME = fs.existsSync('/usr/bin/time') ? '/usr/bin/time' : null;

const RUNS = Math.max(process.env.BENCH_QUICK ? 1 : 5, Number(process.env.BENCH_RUNS ?? 5));
const WARMUP = Number(process.env.BENCH_WARMUP ?? 1);

function log(msg) {
  process.stderr.write(`[bench] ${msg}\n`);
}

function skip(what, why) {
  process.stderr.write(`\n[bench] SKIPPED: ${what}: ${why}\n\n`);
}

/** kiln must be built (dist/ and the manifest) before it is measured. */
function ensureBuilt() {
  if (!fs.existsSync(path.join(ROOT, 'dist', 'main.js')) || !fs.existsSync(path.join(ROOT, 'oclif.manifest.json'))) {
    log('building kiln (npm run build)');
    execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
  }
  if (!fs.existsSync(KNEX_CLI)) throw new Error(`knex is not installed in ${ROOT}/node_modules: run npm ci first`);
}

/** npm tools compared against, installed once into bench/.work/node_modules. Returns the folder. */
function ensureNpmTools() {
  const want = { tsx: '4', 'ts-node': '10', typescript: '5' };
  const have = Object.keys(want).every((p) => fs.existsSync(path.join(WORK, 'node_modules', p, 'package.json')));
  if (have) return WORK;
  if (process.env.BENCH_NO_INSTALL) return null;
  fs.mkdirSync(WORK, { recursive: true });
  const pkg = path.join(WORK, 'package.json');
  if (!fs.existsSync(pkg)) fs.writeFileSync(pkg, JSON.stringify({ name: 'kiln-bench-tools', private: true }, null, 2));
  log(`installing ${Object.entries(want).map(([n, v]) => `${n}@${v}`).join(' ')} into ${path.relative(ROOT, WORK)}`);
  const r = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...Object.entries(want).map(([n, v]) => `${n}@${v}`)], {
    cwd: WORK,
    stdio: 'inherit',
  });
  return r.status === 0 ? WORK : null;
}

function pythonHas(modules) {
  if (!fs.existsSync(PYTHON)) return false;
  const r = spawnSync(PYTHON, ['-c', modules.map((m) => `import ${m}`).join('; ')], { env: pyEnv(), stdio: 'ignore' });
  return r.status === 0;
}

let aptUpdated = false;
/** Debian packages (Flask-Migrate, Alembic). Returns true when the python modules import. */
function ensureApt(packages, modules) {
  if (pythonHas(modules)) return true;
  if (process.env.BENCH_NO_INSTALL) return false;
  const apt = spawnSync('sh', ['-c', 'command -v apt-get'], { encoding: 'utf8' }).stdout.trim();
  if (!apt) {
    skip(packages.join(' '), 'apt-get is not available on this machine');
    return false;
  }
  const sudo = process.getuid && process.getuid() === 0 ? [] : ['sudo', '-n'];
  const run = (args) => spawnSync(sudo[0] ?? args[0], sudo.length ? [...sudo.slice(1), ...args] : args.slice(1), { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  if (!aptUpdated) {
    log('apt-get update');
    run(['apt-get', 'update', '-qq']);
    aptUpdated = true;
  }
  log(`apt-get install ${packages.join(' ')}`);
  run(['apt-get', 'install', '-y', '-qq', ...packages]);
  if (!pythonHas(modules)) {
    skip(packages.join(' '), `installing failed (python modules ${modules.join(', ')} do not import with ${PYTHON})`);
    return false;
  }
  return true;
}

/** Debian's python, with nothing from a user site or a pyenv leaking in. */
function pyEnv(extra = {}) {
  const env = { ...process.env, PYTHONNOUSERSITE: '1', ...extra };
  delete env.PYTHONPATH;
  delete env.PYTHONHOME;
  return env;
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

/**
 * Runs `cmd args` warmup + runs times; `before()` runs (untimed) before each run.
 * Returns { median, min, max, peakKb, runs } in seconds / KiB. Throws when a run fails.
 */
function measure(label, cmd, args, options = {}) {
  return measureAll([{ label, cmd, args, ...options }])[0];
}

/**
 * Measures several commands round-robin (run 1 of each, then run 2 of each, ...), so that a
 * change of machine load during the bench hits every side alike and same-run ratios stay fair.
 * Each spec: { label, cmd, args, argsFor(i) (the arguments of run i, when they differ), cwd, env, before(i),
 * after(result, i), okStatus, runs, warmup }.
 */
function measureAll(specs) {
  const tmp = path.join(os.tmpdir(), `kiln-bench-time-${process.pid}`);
  const state = specs.map(() => ({ times: [], peaks: [], cpus: [] }));
  const rounds = Math.max(...specs.map((s) => (s.warmup ?? WARMUP) + (s.runs ?? RUNS)));
  for (let i = 0; i < rounds; i++) {
    specs.forEach((o, k) => {
      const warmup = o.warmup ?? WARMUP;
      if (i >= warmup + (o.runs ?? RUNS)) return;
      if (o.before) o.before(i);
      const args = o.argsFor ? o.argsFor(i) : o.args;
      const argv = TIME ? [TIME, ['-f', '%M %U %S', '-o', tmp, o.cmd, ...args]] : [o.cmd, args];
      const t0 = process.hrtime.bigint();
      const r = spawnSync(argv[0], argv[1], { cwd: o.cwd, env: o.env ?? process.env, encoding: 'utf8', maxBuffer: 1 << 28 });
      const dt = Number(process.hrtime.bigint() - t0) / 1e9;
      const ok = o.okStatus ? o.okStatus.includes(r.status) : r.status === 0;
      if (!ok) {
        throw new Error(`${o.label}: '${o.cmd} ${args.join(' ')}' exited ${r.status}\n${(r.stdout || '').slice(-2000)}\n${(r.stderr || '').slice(-2000)}`);
      }
      if (o.after) o.after(r, i);
      if (i < warmup) return;
      state[k].times.push(dt);
      if (TIME) {
        const [kb, user, sys] = fs.readFileSync(tmp, 'utf8').trim().split('\n').pop().split(' ').map(Number);
        if (Number.isFinite(kb)) state[k].peaks.push(kb);
        // CPU time (user + sys) of the process: what a loaded machine changes least.
        if (Number.isFinite(user) && Number.isFinite(sys)) state[k].cpus.push(user + sys);
      }
    });
  }
  fs.rmSync(tmp, { force: true });
  return specs.map((o, k) => {
    const { times, peaks, cpus } = state[k];
    const result = { label: o.label, median: median(times), min: Math.min(...times), max: Math.max(...times), peakKb: peaks.length ? Math.max(...peaks) : null, cpuMedian: cpus.length ? median(cpus) : null, runs: times.length };
    log(`${o.label}: median ${fmtS(result.median)} (min ${fmtS(result.min)}, max ${fmtS(result.max)}, n=${result.runs})${result.peakKb ? `, peak ${fmtMb(result.peakKb)}` : ''}${result.cpuMedian != null ? `, cpu median ${fmtS(result.cpuMedian)}` : ''}`);
    return result;
  });
}

const fmtS = (s) => (s == null ? 'n/a' : s < 10 ? `${s.toFixed(3)} s` : `${s.toFixed(1)} s`);
const fmtMb = (kb) => (kb == null ? 'n/a' : `${(kb / 1024).toFixed(0)} MB`);
const fmtRatio = (a, b) => (a == null || b == null ? 'n/a' : `${(a / b).toFixed(2)}x`);

/** A markdown table; rows are arrays of cells. */
function table(headers, rows) {
  const lines = [`| ${headers.join(' | ')} |`, `|${headers.map(() => '---').join('|')}|`];
  for (const r of rows) lines.push(`| ${r.join(' | ')} |`);
  return lines.join('\n');
}

/** Prints a titled table to stdout and saves it as bench/.work/results/<name>.md. */
function report(name, title, body, notes = []) {
  const text = [`### ${title}`, '', body, '', ...notes.map((n) => `- ${n}`), ''].join('\n');
  process.stdout.write(`\n${text}\n`);
  fs.mkdirSync(RESULTS, { recursive: true });
  fs.writeFileSync(path.join(RESULTS, `${name}.md`), `${text}\n_${new Date().toISOString()}; ${machine()}; median of ${RUNS} runs after ${WARMUP} warm-up_\n`);
}

function machine() {
  return `${os.cpus().length} cores (${os.cpus()[0]?.model?.trim() ?? '?'}), ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}, ${os.platform()} ${os.release()}`;
}

/** A fresh, empty folder under bench/.work. */
function freshDir(name) {
  const dir = path.join(WORK, name);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/** Runs a command that must succeed (setup, untimed). */
function sh(cmd, args, options = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 28, ...options });
  if (r.status !== 0) throw new Error(`'${cmd} ${args.join(' ')}' exited ${r.status}\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/** kiln as a user runs it: `node bin/run.js ...` (the `kiln` bin). */
function kilnArgs(...args) {
  return [KILN, ...args];
}

/** Env for kiln runs: no inherited DATABASE_URL. */
function kilnEnv(extra = {}) {
  const env = { ...process.env, ...extra };
  if (!('DATABASE_URL' in extra)) delete env.DATABASE_URL;
  return env;
}

/** Runs a bench's main() when the file is the entry point; a failure prints its stack and exits 1. */
function runMain(mod, main) {
  if (require.main !== mod) return;
  try {
    main();
  } catch (e) {
    console.error(e.stack || e);
    process.exit(1);
  }
}

module.exports = {
  runMain,
  ROOT,
  WORK,
  KILN,
  KNEX_CLI,
  PYTHON,
  RUNS,
  WARMUP,
  log,
  skip,
  ensureBuilt,
  ensureNpmTools,
  ensureApt,
  pyEnv,
  median,
  measure,
  measureAll,
  fmtS,
  fmtMb,
  fmtRatio,
  table,
  report,
  machine,
  freshDir,
  sh,
  kilnArgs,
  kilnEnv,
};
