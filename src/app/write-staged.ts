/**
 * Writing pulled model files so that a failure leaves the folder as it was. Lean on purpose
 * (node's fs and path only): it is also the whole program of the writer thread
 * (./pull-writer-worker.ts), which starts while the main thread still verifies the models.
 * (No fsync per file: a thousand of them cost seconds, and a pull can be run again.)
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface FileToWrite {
  readonly file: string;
  readonly source: string;
}

/** Thrown by {@link writeStaged} when `cancelled()` said stop (after undoing what it wrote). */
export class WriteCancelled extends Error {
  constructor() {
    super('the writing was cancelled');
  }
}

/**
 * Writes every file; returns what puts the folder back as it was. A new file is created in
 * place (exclusively: one that appears meanwhile is not replaced); a file replaced (`--force`)
 * goes through a temporary name and a rename, so it is never seen half written. On a failure,
 * or when `cancelled()` turns true between two files, what was written is undone and the error
 * (or {@link WriteCancelled}) is thrown.
 */
export function writeStaged(folder: string, files: readonly FileToWrite[], replaced: ReadonlySet<string>, cancelled: () => boolean = () => false): () => void {
  const tag = `${process.pid}.${crypto.randomBytes(4).toString('hex')}`;
  let temp: string | null = null;
  const placed: { file: string; content: string | null }[] = [];
  // The folders this call made (mkdir's own answer, not an earlier existence check: another
  // process may make the same folder meanwhile). Undo removes them only when empty, so files
  // another process wrote there stay.
  const madeFolders: string[] = [];
  const makeFolder = (dir: string) => {
    const first = fs.mkdirSync(dir, { recursive: true });
    if (first === undefined) return;
    for (let d = dir; ; d = path.dirname(d)) {
      madeFolders.push(d);
      if (d === first || path.dirname(d) === d) break;
    }
  };
  let current: string | null = null;
  const undo = () => {
    if (temp !== null) fs.rmSync(temp, { force: true });
    for (const p of placed.reverse()) {
      if (p.content === null) fs.rmSync(p.file, { force: true });
      else fs.writeFileSync(p.file, p.content);
    }
    placed.length = 0;
    for (const d of madeFolders.sort((a, b) => b.length - a.length)) removeIfEmpty(d);
    madeFolders.length = 0;
  };
  try {
    makeFolder(folder);
    for (const f of files) {
      if (cancelled()) throw new WriteCancelled();
      current = f.file;
      // A file in a subfolder of the models folder (views/): the subfolder is made once, and removed by undo if it was new.
      const dir = path.dirname(f.file);
      if (dir !== folder && !fs.existsSync(dir)) makeFolder(dir);
      if (!replaced.has(f.file)) {
        // Created first, then written: a write that fails half-way (a full disk) leaves a file that undo removes.
        const fd = fs.openSync(f.file, 'wx', 0o644);
        placed.push({ file: f.file, content: null });
        try {
          fs.writeFileSync(fd, f.source);
        } finally {
          fs.closeSync(fd);
        }
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
    throw namingFile(e, folder, current);
  }
  return undo;
}

/** Removes a folder that holds nothing (any more); one with files in it stays. */
export function removeIfEmpty(dir: string): void {
  try {
    fs.rmdirSync(dir);
  } catch {
    // not empty (another's files), or gone
  }
}

/** The error, its message naming the file when the driver's does not (EFBIG: `file too large, write`). */
function namingFile(e: unknown, folder: string, file: string | null): unknown {
  if (!(e instanceof Error) || e instanceof WriteCancelled || file === null || e.message.includes(path.basename(file))) return e;
  const named = new Error(`${path.relative(folder, file)}: ${e.message}`, { cause: e });
  (named as NodeJS.ErrnoException).code = (e as NodeJS.ErrnoException).code;
  return named;
}
