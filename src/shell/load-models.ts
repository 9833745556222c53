import * as fs from 'node:fs';
import * as path from 'node:path';
import { KilnError, messageOf } from '../errors';
import { requireTs } from '../loader/require-ts';
import { compileModels } from '../model/compile';
import { isDefinition, type Definition } from '../model/definition';
import { collectDefinitions, listModelFiles } from '../model/load';
import type { Schema } from '../schema/types';

/**
 * The project's model definitions (every model and table, in load order) and the schema they
 * compile to. No models folder is no models: the shell still opens with `knex`.
 */
export function loadShellModels(pathOrDir: string): { definitions: Definition[]; schema: Schema } {
  const root = path.resolve(pathOrDir);
  const stat = fs.statSync(root, { throwIfNoEntry: false });
  if (!stat) return { definitions: [], schema: compileModels([]) };
  const files = stat.isDirectory() ? listModelFiles(root) : [root];
  const found: unknown[] = [];
  for (const file of files) {
    try {
      collectDefinitions(requireTs(file), found);
    } catch (e) {
      throw new KilnError('MODEL', `cannot load model file ${path.relative(process.cwd(), file) || file}: ${messageOf(e)}`, { cause: e });
    }
  }
  const definitions = [...new Set(found.filter(isDefinition))];
  return { definitions, schema: compileModels(definitions) };
}
