/**
 * Writing and verifying pulled model files. Writes are staged: every file goes to a hidden
 * temporary name in the models folder first, then each takes its name (a rename); on any
 * failure the temporaries are removed and replaced files are put back, so the folder ends as it
 * was. (No fsync per file: a thousand of them cost seconds, and a pull can be run again.)
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

/** Writes every file; returns what puts the folder back as it was. */
export function writeStaged(folder: string, files: readonly StagedFile[]): () => void {
  const createdFolder = !fs.existsSync(folder);
  const tag = `${process.pid}.${crypto.randomBytes(4).toString('hex')}`;
  const temps: string[] = [];
  const placed: { file: string; content: string | null }[] = [];
  const undo = () => {
    for (const t of temps) fs.rmSync(t, { force: true });
    for (const p of placed.reverse()) {
      if (p.content === null) fs.rmSync(p.file, { force: true });
      else fs.writeFileSync(p.file, p.content);
    }
    if (createdFolder) fs.rmSync(folder, { recursive: true, force: true });
  };
  try {
    fs.mkdirSync(folder, { recursive: true });
    for (const f of files) {
      const tmp = path.join(path.dirname(f.file), `.${path.basename(f.file)}.${tag}.tmp`);
      temps.push(tmp);
      fs.writeFileSync(tmp, f.source, { flag: 'wx', mode: 0o644 });
    }
    files.forEach((f, i) => {
      placed.push({ file: f.file, content: fs.existsSync(f.file) ? fs.readFileSync(f.file, 'utf8') : null });
      fs.renameSync(temps[i], f.file);
    });
    temps.length = 0;
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
  for (const f of files) definitions.push(evaluate(f, api));
  return compileModels(definitions);
}

function evaluate(f: StagedFile, api: object): unknown {
  const body = f.source
    .replace(/^import \{ ([^}]*) \} from 'kiln';$/m, 'const { $1 } = kiln;')
    .replace(new RegExp(`^export const ${f.exportName} = `, 'm'), 'return ');
  return new Function('kiln', `'use strict';\n${body}`)(api);
}

function shown(file: string): string {
  return path.relative(process.cwd(), file) || file;
}
