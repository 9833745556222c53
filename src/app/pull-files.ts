/**
 * Writing and verifying pulled model files. On any write failure the files written are
 * removed and replaced ones put back, so the folder ends as it was. (No fsync per file: a
 * thousand of them cost seconds, and a pull can be run again.)
 * Verification evaluates the generated sources in memory (their shape is fixed by
 * src/pull/render.ts: one `import { ... } from 'kiln'` line, one `export const`), compiles them
 * with the folder's other model files, and compares the result with the database.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { KilnError, messageOf } from '../errors';
import { requireTs } from '../loader/require-ts';
import { compileModels } from '../model/compile';
import { collectDefinitions, listModelFiles } from '../model/load';
import type { Schema } from '../schema/types';

export interface StagedFile {
  readonly file: string;
  readonly source: string;
  readonly exportName: string;
}

/**
 * Writes every file; returns what puts the folder back as it was. A new file is created in
 * place (exclusively: one that appears meanwhile is not replaced); a file replaced (`--force`)
 * goes through a temporary name and a rename, so it is never seen half written.
 */
export function writeStaged(folder: string, files: readonly StagedFile[], replaced: ReadonlySet<string>): () => void {
  const createdFolder = !fs.existsSync(folder);
  const tag = `${process.pid}.${crypto.randomBytes(4).toString('hex')}`;
  let temp: string | null = null;
  const placed: { file: string; content: string | null }[] = [];
  const madeFolders: string[] = [];
  const undo = () => {
    if (temp !== null) fs.rmSync(temp, { force: true });
    for (const p of placed.reverse()) {
      if (p.content === null) fs.rmSync(p.file, { force: true });
      else fs.writeFileSync(p.file, p.content);
    }
    for (const d of madeFolders.reverse()) fs.rmSync(d, { recursive: true, force: true });
    if (createdFolder) fs.rmSync(folder, { recursive: true, force: true });
  };
  try {
    fs.mkdirSync(folder, { recursive: true });
    for (const f of files) {
      // A file in a subfolder of the models folder (views/): the subfolder is made once, and removed by undo if it was new.
      const dir = path.dirname(f.file);
      if (dir !== folder && !fs.existsSync(dir)) {
        fs.mkdirSync(dir, { recursive: true });
        madeFolders.push(dir);
      }
      if (!replaced.has(f.file)) {
        fs.writeFileSync(f.file, f.source, { flag: 'wx', mode: 0o644 });
        placed.push({ file: f.file, content: null });
        continue;
      }
      temp = path.join(path.dirname(f.file), `.${path.basename(f.file)}.${tag}.tmp`);
      fs.writeFileSync(temp, f.source, { flag: 'wx', mode: 0o644 });
      placed.push({ file: f.file, content: fs.readFileSync(f.file, 'utf8') });
      fs.renameSync(temp, f.file);
      temp = null;
    }
  } catch (e) {
    undo();
    throw new KilnError('DIRECTORY', `cannot write the model files in ${shown(folder)}: ${messageOf(e)}; nothing was written`, { cause: e });
  }
  return undo;
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

function shown(file: string): string {
  return path.relative(process.cwd(), file) || file;
}
