import Module from 'node:module';
import * as path from 'node:path';
import type { Knex } from 'knex';
import type { DialectName } from '../dialect/types';
import { installHook, transformCached } from '../loader/require-ts';
import type { Operation } from '../ops/types';
import { renderMigration } from '../render';

/**
 * Runs operations directly (initdb's create_all/drop_all) through the very code a generated
 * migration would contain: the ops are rendered, compiled and run, so there is one mapping
 * from ops to Knex calls, not two.
 */
export async function executeOps(knex: Knex, dialect: DialectName, ops: readonly Operation[], root: string): Promise<void> {
  if (ops.length === 0) return;
  const source = renderMigration({
    message: 'initdb',
    revision: 'initdb',
    createdAt: new Date(),
    dialect,
    up: [...ops],
    down: [],
  });
  installHook();
  const filename = path.join(root, '__kiln_initdb__.ts');
  const code = transformCached(filename, source);
  const mod = new Module(filename) as Module & { _compile(code: string, filename: string): void };
  mod.filename = filename;
  mod.paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(root);
  mod._compile(code, filename);
  await (mod.exports as { up(k: Knex): Promise<void> }).up(knex);
}
