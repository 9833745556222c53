import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Knex } from 'knex';
import { KilnError, isKilnError, messageOf } from '../errors';
import { requireTs } from '../loader/require-ts';
import { commitTransaction } from './commit';
import { isMigrationFileName } from './files';
import { displayPath } from './load-migration';

/**
 * `kiln db seed`: runs the seed files (Knex's format: `export async function seed(knex)`) in
 * name order, all in one transaction, so a seed that breaks a rule leaves the data as it was.
 */
export async function runSeeds(knex: Knex, dir: string, only: string | undefined, out: (l: string) => void): Promise<string[]> {
  if (!fs.existsSync(dir)) throw new KilnError('DIRECTORY', `seeds folder not found: ${displayPath(dir)}`);
  let files = fs.readdirSync(dir).filter(isMigrationFileName).sort();
  if (only) {
    const match = files.filter((f) => f === only || f.replace(/\.[cm]?[jt]s$/, '') === only);
    if (match.length === 0) throw new KilnError('SEED', `no seed file '${only}' in ${displayPath(dir)}`);
    files = match;
  }
  if (files.length === 0) {
    out(`No seed files in ${displayPath(dir)}.`);
    return [];
  }
  const seeds = files.map((f) => [f, load(path.join(dir, f))] as const);
  const trx = await knex.transaction();
  try {
    for (const [name, seed] of seeds) await runSeed(trx, path.join(dir, name), seed);
  } catch (e) {
    await trx.rollback().catch(() => undefined);
    throw e;
  }
  const names = files.map((f) => displayPath(path.join(dir, f)));
  await commitTransaction(knex, trx, `seed${names.length > 1 ? 's' : ''} ${names.join(', ')}`, undefined, 'SEED');
  // Reported once committed: a later failure rolls every seed back, so nothing ran.
  for (const name of files) out(`Ran seed ${name}`);
  return files;
}

async function runSeed(trx: Knex.Transaction, file: string, seed: (knex: Knex) => Promise<unknown>): Promise<void> {
  try {
    await seed(trx);
  } catch (e) {
    if (isKilnError(e)) throw e;
    const shown = displayPath(file);
    if (isIntegrityError(e)) {
      throw new KilnError('INTEGRITY', `seed ${shown} failed: integrity error: ${cleanDbMessage(e)}; no seed data was changed`, { cause: e });
    }
    throw new KilnError('SEED', `seed ${shown} failed: ${cleanDbMessage(e)}; no seed data was changed`, { cause: e });
  }
}

function load(file: string): (knex: Knex) => Promise<unknown> {
  let mod: { seed?: unknown; default?: { seed?: unknown } };
  try {
    mod = requireTs(file) as typeof mod;
  } catch (e) {
    throw new KilnError('SEED', `cannot load seed ${displayPath(file)}: ${messageOf(e)}`, { cause: e });
  }
  const seed = mod.seed ?? mod.default?.seed ?? mod.default;
  if (typeof seed !== 'function') throw new KilnError('SEED', `seed ${displayPath(file)} does not export a seed(knex) function`);
  return seed as (knex: Knex) => Promise<unknown>;
}

/** A driver error without the SQL Knex prefixes to it. */
export function cleanDbMessage(e: unknown): string {
  return messageOf(e).replace(/^.* - (?=[A-Z_]+:|ER_|error:|duplicate|insert or update|null value)/i, '');
}

/**
 * A broken database rule (unique, foreign key, not null, check): SQLite's SQLITE_CONSTRAINT*,
 * PostgreSQL's class 23 SQLSTATE, MySQL/MariaDB's duplicate-entry, row-referenced and null errors.
 */
export function isIntegrityError(e: unknown): boolean {
  const err = e as { code?: unknown; errno?: unknown } | null;
  const code = typeof err?.code === 'string' ? err.code : '';
  if (code.startsWith('SQLITE_CONSTRAINT')) return true;
  if (/^23[0-9A-Z]{3}$/.test(code)) return true;
  return ['ER_DUP_ENTRY', 'ER_NO_REFERENCED_ROW', 'ER_NO_REFERENCED_ROW_2', 'ER_ROW_IS_REFERENCED', 'ER_ROW_IS_REFERENCED_2', 'ER_BAD_NULL_ERROR', 'ER_CHECK_CONSTRAINT_VIOLATED'].includes(code);
}
