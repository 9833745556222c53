/**
 * Shared pieces of the reliability suite: a migration set, database inspection (stale locks,
 * temp tables, double-applied migrations) and the summary table the suite prints at its end.
 */
import * as fs from 'node:fs';
import type { Knex } from 'knex';
import type { DialectName } from '../../src/dialect/types';
import { introspect } from '../../src/introspect';
import type { RunResult } from '../helpers/cli';

/** One row of the summary table. */
export interface ReliabilityStats {
  suite: string;
  dialect: string;
  trials: number;
  failures: number;
  rowsLost: number;
  locksLeft: number;
  tempTablesLeft: number;
  doubleApplied: number;
}

export function emptyStats(suite: string, dialect: string): ReliabilityStats {
  return { suite, dialect, trials: 0, failures: 0, rowsLost: 0, locksLeft: 0, tempTablesLeft: 0, doubleApplied: 0 };
}

const COLUMNS: [keyof ReliabilityStats, string][] = [
  ['suite', 'suite'],
  ['dialect', 'dialect'],
  ['trials', 'trials'],
  ['failures', 'failures'],
  ['rowsLost', 'rows lost'],
  ['locksLeft', 'locks left'],
  ['tempTablesLeft', 'temp tables left'],
  ['doubleApplied', 'double-applied'],
];

export function formatStats(rows: readonly ReliabilityStats[]): string {
  const all = [...rows];
  if (rows.length > 1) {
    const total = emptyStats('TOTAL', '');
    for (const r of rows) for (const [k] of COLUMNS.slice(2)) (total[k] as number) += r[k] as number;
    all.push(total);
  }
  const cells = [COLUMNS.map(([, h]) => h), ...all.map((r) => COLUMNS.map(([k]) => String(r[k])))];
  const widths = COLUMNS.map((_, i) => Math.max(...cells.map((c) => c[i].length)));
  const line = (c: string[]) => `| ${c.map((x, i) => (i < 2 ? x.padEnd(widths[i]) : x.padStart(widths[i]))).join(' | ')} |`;
  const sep = `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`;
  return [line(cells[0]), sep, ...cells.slice(1).map(line)].join('\n');
}

/**
 * Records a suite's rows: printed by this test file's afterAll, and appended to the file the
 * summary reporter (test/setup/summary-reporter.js) reads to print one table at the end of the run.
 */
export function reportStats(rows: readonly ReliabilityStats[]): void {
  if (!rows.length) return;
  process.stdout.write(`\n[kiln reliability]\n${formatStats(rows)}\n`);
  const file = process.env.KILN_RELIABILITY_STATS;
  if (file) fs.appendFileSync(file, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
}

/** Seeded PRNG (mulberry32). */
export { mulberry32 as prng } from '../helpers/prng';

export async function tableNames(knex: Knex, dialect: DialectName): Promise<string[]> {
  if (dialect === 'sqlite') {
    return ((await knex.raw("select name from sqlite_master where type = 'table' and name not like 'sqlite_%'")) as { name: string }[]).map((r) => r.name);
  }
  if (dialect === 'postgres') {
    const r = await knex.raw("select table_name as name from information_schema.tables where table_schema = current_schema()");
    return (r.rows as { name: string }[]).map((x) => x.name);
  }
  const [rows] = (await knex.raw('select table_name as name from information_schema.tables where table_schema = database()')) as unknown as [{ name: string }[]];
  return rows.map((x) => x.name);
}

export interface DbState {
  applied: string[];
  duplicates: number;
  /** 1 when knex_migrations_lock says is_locked = 1. */
  locked: number;
  tempTables: string[];
  schema: string;
}

/** What a crash or a concurrent run may have left behind. */
export async function inspectDb(knex: Knex, dialect: DialectName): Promise<DbState> {
  const tables = await tableNames(knex, dialect);
  let applied: string[] = [];
  if (tables.includes('knex_migrations')) applied = (await knex('knex_migrations').select('name').orderBy('id')).map((r: { name: string }) => r.name);
  let locked = 0;
  if (tables.includes('knex_migrations_lock')) {
    locked = (await knex('knex_migrations_lock').select('is_locked')).filter((r: { is_locked: unknown }) => Number(r.is_locked) === 1).length;
  }
  return {
    applied,
    duplicates: applied.length - new Set(applied).size,
    locked,
    tempTables: tables.filter((t) => /^_kiln_tmp_|_knex_temp_alter|^_alembic_tmp/i.test(t)),
    schema: await schemaText(knex, dialect),
  };
}

const IGNORED = ['knex_migrations', 'knex_migrations_lock', 'kiln_migrations_checksums'];

export async function schemaText(knex: Knex, dialect: DialectName): Promise<string> {
  return JSON.stringify(await introspect(knex, dialect, { ignoreTables: IGNORED }));
}

/** A readable dump of a CLI result for assertion messages. */
export function show(r: RunResult): string {
  return `exit ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`;
}

/**
 * Ten ordinary migrations (tables, columns, an index, rows, a foreign key) that run on every
 * dialect. Returns the files written and what the database holds at head.
 */
export function writeTenMigrations(write: (rel: string, content: string) => void, handMigration: (m: string, up: string, down: string) => string): { names: string[]; tables: string[] } {
  const steps: [string, string, string][] = [
    ['create team', "  await knex.schema.createTable('team', (t) => { t.increments('id'); t.string('name', 50).notNullable(); });", "  await knex.schema.dropTable('team');"],
    ['add team rows', "  await knex('team').insert(Array.from({ length: 20 }, (_, i) => ({ name: 'team ' + i })));", "  await knex('team').del();"],
    ['create player', "  await knex.schema.createTable('player', (t) => { t.increments('id'); t.integer('team_id').unsigned().references('id').inTable('team').onDelete('CASCADE'); t.string('nick', 40); });", "  await knex.schema.dropTable('player');"],
    ['add player rows', "  await knex('player').insert(Array.from({ length: 40 }, (_, i) => ({ team_id: (i % 20) + 1, nick: 'p' + i })));", "  await knex('player').del();"],
    ['add team city', "  await knex.schema.alterTable('team', (t) => { t.string('city', 40); });", "  await knex.schema.alterTable('team', (t) => { t.dropColumn('city'); });"],
    ['index player nick', "  await knex.schema.alterTable('player', (t) => { t.index(['nick'], 'player_nick_idx'); });", "  await knex.schema.alterTable('player', (t) => { t.dropIndex(['nick'], 'player_nick_idx'); });"],
    ['create game', "  await knex.schema.createTable('game', (t) => { t.increments('id'); t.string('title', 80); });", "  await knex.schema.dropTable('game');"],
    ['add game score', "  await knex.schema.alterTable('game', (t) => { t.integer('score').defaultTo(0); });", "  await knex.schema.alterTable('game', (t) => { t.dropColumn('score'); });"],
    ['add game rows', "  await knex('game').insert([{ title: 'a' }, { title: 'b' }, { title: 'c' }]);", "  await knex('game').del();"],
    ['create venue', "  await knex.schema.createTable('venue', (t) => { t.increments('id'); t.string('name', 60); t.unique(['name'], { indexName: 'venue_name_uq' }); });", "  await knex.schema.dropTable('venue');"],
  ];
  const names: string[] = [];
  steps.forEach(([msg, up, down], i) => {
    const name = `202601${String(i + 1).padStart(2, '0')}000000_${msg.replace(/ /g, '_')}.ts`;
    write(`migrations/${name}`, handMigration(msg, up, down));
    names.push(name);
  });
  return { names, tables: ['team', 'player', 'game', 'venue'] };
}
