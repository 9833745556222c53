import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { KilnError, messageOf } from './errors';

export interface AtomicWriteOptions {
  /** Refuse (and write nothing) when `file` already exists, instead of replacing it. */
  readonly exclusive?: boolean;
  /** For messages: paths are shown relative to it (default: the current folder). */
  readonly cwd?: string;
}

/**
 * Writes `file` whole or not at all: the content goes to a hidden temporary file in the same
 * folder (exclusive create), is flushed to disk, then takes the final name in one step (a hard
 * link when `exclusive`, so an existing file is never replaced; else a rename). On any failure
 * (full disk, file size limit, permissions) the temporary file is removed and the target is as
 * it was; the error is one KilnError line naming the file.
 */
export function writeFileAtomic(file: string, content: string, options: AtomicWriteOptions = {}): void {
  const dir = path.dirname(file);
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`);
  const shown = path.relative(options.cwd ?? process.cwd(), file) || file;
  let fd: number | undefined;
  try {
    fd = fs.openSync(tmp, 'wx', 0o644);
    fs.writeFileSync(fd, content);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = undefined;
    if (options.exclusive) placeExclusive(tmp, file);
    else fs.renameSync(tmp, file);
  } catch (e) {
    if (fd !== undefined) closeQuietly(fd);
    removeQuietly(tmp);
    if ((e as NodeJS.ErrnoException).code === 'EEXIST' && options.exclusive && fs.existsSync(file)) {
      throw new KilnError('DIRECTORY', `cannot write ${shown}: it already exists; nothing was written`, { cause: e });
    }
    throw new KilnError('DIRECTORY', `cannot write ${shown}: ${messageOf(e)}; nothing was written`, { cause: e });
  }
  syncFolder(dir);
}

/** Gives `tmp` the name `file` unless `file` exists (atomically where hard links work). */
function placeExclusive(tmp: string, file: string): void {
  try {
    fs.linkSync(tmp, file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS') throw e;
    // A file system without hard links: check, then rename (a narrow race instead of none).
    if (fs.existsSync(file)) throw Object.assign(new Error(`${file} already exists`), { code: 'EEXIST' });
    fs.renameSync(tmp, file);
    return;
  }
  removeQuietly(tmp);
}

/** Makes the new name durable; a folder that cannot be opened for it is not an error. */
function syncFolder(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // not supported here (some file systems refuse fsync on a folder)
  } finally {
    if (fd !== undefined) closeQuietly(fd);
  }
}

function closeQuietly(fd: number): void {
  try {
    fs.closeSync(fd);
  } catch {
    // already closed or never usable: nothing to release
  }
}

function removeQuietly(file: string): void {
  try {
    fs.unlinkSync(file);
  } catch {
    // already gone
  }
}
