import * as path from 'node:path';
import type { Knex } from 'knex';
import { KilnError, messageOf } from '../errors';
import { requireTs } from '../loader/require-ts';
import type { MigrationFile } from './files';

export interface MigrationModule {
  up(knex: Knex): Promise<unknown> | unknown;
  down?(knex: Knex): Promise<unknown> | unknown;
  config?: { transaction?: boolean };
}

export function displayPath(file: string): string {
  return path.relative(process.cwd(), file) || file;
}

/** Loads a migration (TypeScript through the cached transform) and checks its shape. */
export function loadMigration(file: MigrationFile): MigrationModule {
  let mod: unknown;
  try {
    mod = requireTs(file.path);
  } catch (e) {
    throw new KilnError('MIGRATION_FILE', `cannot load migration ${displayPath(file.path)}: ${messageOf(e)}`, { cause: e });
  }
  const m = ((mod as { default?: unknown })?.default && typeof (mod as { up?: unknown }).up !== 'function'
    ? (mod as { default: unknown }).default
    : mod) as Partial<MigrationModule>;
  if (!m || typeof m.up !== 'function') {
    throw new KilnError('MIGRATION_FILE', `migration ${displayPath(file.path)} does not export an up(knex) function`);
  }
  if (m.down !== undefined && typeof m.down !== 'function') {
    throw new KilnError('MIGRATION_FILE', `migration ${displayPath(file.path)}: down must be a function`);
  }
  if (m.config !== undefined && (typeof m.config !== 'object' || m.config === null)) {
    throw new KilnError('MIGRATION_FILE', `migration ${displayPath(file.path)}: config must be an object such as { transaction: false }`);
  }
  return m as MigrationModule;
}
