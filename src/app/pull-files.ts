/**
 * Verifying pulled model files (they are written by ./write-staged.ts, on a second thread:
 * ./pull-writer.ts).
 * Verification evaluates the generated sources in memory (their shape is fixed by
 * src/pull/render.ts: one `import { ... } from 'kiln'` line, one `export const`), compiles them
 * with the folder's other model files, and compares the result with the database.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { requireTs } from '../loader/require-ts';
import type { Via } from '../pull/relationships';
import { compileModels } from '../model/compile';
import { collectDefinitions, listModelFiles } from '../model/load';
import type { Schema } from '../schema/types';
import { isDefinition } from '../model/definition';

export interface StagedFile {
  readonly file: string;
  readonly source: string;
  readonly exportName: string;
}

/** A relationship a model of the folder declares, as written: on table `table`, named `attr`. */
export interface DeclaredRelationship {
  readonly table: string;
  readonly attr: string;
  /** The target model's name. */
  readonly target: string;
  readonly backPopulates?: string;
  /** Its `foreignKeys` option. */
  readonly via?: Via;
}

/**
 * `'game.home_id'` -> game's home_id; `['home_id']` -> home_id of a table not said; undefined
 * when not a string or a list of strings, or when they name different tables.
 */
function viaOf(foreignKeys: unknown): Via | undefined {
  const list: unknown[] = Array.isArray(foreignKeys) ? foreignKeys : foreignKeys === undefined ? [] : [foreignKeys];
  if (!list.length || !list.every((x): x is string => typeof x === 'string')) return undefined;
  const dot = (x: string) => x.lastIndexOf('.');
  const tables = new Set(list.map((x) => (dot(x) < 0 ? undefined : x.slice(0, dot(x)))));
  if (tables.size !== 1) return undefined;
  const [table] = tables;
  return { ...(table === undefined ? {} : { table }), columns: list.map((x) => x.slice(dot(x) + 1)) };
}

/** The relationships the folder's model files declare (none when a file does not load). */
export function declaredRelationships(folder: string): DeclaredRelationship[] {
  const definitions: unknown[] = [];
  try {
    for (const file of listModelFiles(folder)) collectDefinitions(requireTs(file), definitions);
  } catch {
    return [];
  }
  return definitions.filter(isDefinition).flatMap((d) =>
    Object.entries(d.relationships ?? {}).map(([attr, r]) => ({
      table: d.tableName,
      attr,
      target: r.target,
      ...(typeof r.options.backPopulates === 'string' ? { backPopulates: r.options.backPopulates } : {}),
      ...(viaOf(r.options.foreignKeys) ? { via: viaOf(r.options.foreignKeys) } : {}),
    })),
  );
}

/**
 * The models the folder will declare once the files are written: the generated sources
 * evaluated in memory, plus every other model file of the folder loaded as `db check` loads it.
 */
export function compilePulled(folder: string, files: readonly StagedFile[], api: object): Schema {
  const ours = new Set(files.map((f) => path.resolve(f.file)));
  const definitions: unknown[] = [];
  if (fs.existsSync(folder)) {
    for (const file of listModelFiles(folder)) if (!ours.has(path.resolve(file))) collectDefinitions(requireTs(file), definitions);
  }
  definitions.push(...evaluateAll(files, api));
  return compileModels(definitions);
}

/** All sources as one function (one compile, not one per file): each file's body in its own scope. */
function evaluateAll(files: readonly StagedFile[], api: object): unknown[] {
  const bodies = files.map((f) => {
    const body = returnExport(f.source.replace(/^import \{ ([^}]*) \} from 'kiln';$/m, 'const { $1 } = kiln;'), f.exportName);
    return `(() => {\n${body}\n})(),`;
  });
  return new Function('kiln', `'use strict';\nreturn [\n${bodies.join('\n')}\n];`)(api) as unknown[];
}

/** The source with its line `export const <name> = ` made `return ` (a string search, not a RegExp compiled per file). */
function returnExport(source: string, exportName: string): string {
  const line = `export const ${exportName} = `;
  const at = source.startsWith(line) ? 0 : source.indexOf(`\n${line}`) + 1;
  if (at === 0 && !source.startsWith(line)) return source;
  return `${source.slice(0, at)}return ${source.slice(at + line.length)}`;
}
