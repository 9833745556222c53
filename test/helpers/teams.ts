/**
 * Helpers for the team tests (issue 15): model edits on the example project, the Knex CLI over
 * a project, and a database's catalog as kiln reads it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Knex } from 'knex';
import { compare } from '../../src/diff';
import { describeOp } from '../../src/ops/describe';
import { introspect } from '../../src/introspect';
import { knexConfigFor } from '../../src/config/knex-config';
import { parseDatabaseUrl } from '../../src/config/url';
import type { DialectName } from '../../src/dialect/types';
import { REPO, run, writeFile, type RunResult } from './cli';

const KNEX_CLI = path.join(REPO, 'node_modules/knex/bin/cli.js');
const SUCRASE_TS = require.resolve('sucrase/register/ts', { paths: [REPO] });

/** teacher.son (with an index), as the tutorial adds it. */
export function addTeacherSon(dir: string): void {
  const model = path.join(dir, 'models/student-teacher.ts');
  fs.writeFileSync(model, fs.readFileSync(model, 'utf8').replace('office: String(20),', 'office: String(20),\n    son: String(20).index(),'));
}

/** note.title, in another model file than addTeacherSon (so a git merge of the two is clean). */
export function addNoteTitle(dir: string): void {
  const model = path.join(dir, 'models/note.ts');
  fs.writeFileSync(model, fs.readFileSync(model, 'utf8').replace('  body: Text(),', '  body: Text(),\n  title: Text(),'));
}

/** node_modules/knex and node_modules/kiln, as in a project that installs both. */
export function linkKiln(dir: string): void {
  fs.mkdirSync(path.join(dir, 'node_modules'), { recursive: true });
  fs.symlinkSync(REPO, path.join(dir, 'node_modules/kiln'), 'dir');
  fs.symlinkSync(path.join(REPO, 'node_modules/knex'), path.join(dir, 'node_modules/knex'), 'dir');
}

/** A knexfile.js on `url`, as a Knex user would write it. */
export function writeKnexfile(dir: string, url: string): void {
  const parsed = parseDatabaseUrl(url);
  const migrations = { directory: './migrations', tableName: 'knex_migrations' };
  const config = parsed.dialect === 'sqlite' ? { client: 'sqlite3', useNullAsDefault: true, connection: { filename: parsed.filename } } : knexConfigFor(parsed);
  writeFile(dir, 'knexfile.js', `module.exports = ${JSON.stringify({ ...config, migrations }, null, 2)};\n`);
}

/** `node -r sucrase/register/ts node_modules/knex/bin/cli.js ...` in the project. */
export function knexCli(dir: string, ...args: string[]): Promise<RunResult> {
  return run(process.execPath, ['-r', SUCRASE_TS, KNEX_CLI, '--knexfile', path.join(dir, 'knexfile.js'), ...args], { cwd: dir });
}

export function ok(r: RunResult): RunResult {
  if (r.code !== 0) throw new Error(`exit ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
  return r;
}

/** The differences between two databases' catalogs as kiln reads them ([] when the same). */
export async function catalogDifference(a: Knex, b: Knex, dialect: DialectName): Promise<string[]> {
  const ignoreTables = ['knex_migrations', 'knex_migrations_lock', 'kiln_migrations_checksums'];
  const [sa, sb] = await Promise.all([introspect(a, dialect, { ignoreTables }), introspect(b, dialect, { ignoreTables })]);
  expectTables(sa.tables.length);
  return (await compare(sa, sb)).map(describeOp);
}

function expectTables(n: number): void {
  if (n === 0) throw new Error('catalog comparison of an empty database proves nothing');
}
