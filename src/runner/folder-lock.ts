import * as fs from 'node:fs';
import * as path from 'node:path';
import { KilnError } from '../errors';

export const FOLDER_LOCK = '.kiln-migrate.lock';

/**
 * Takes the migrations folder's generation lock: a hidden file created exclusively, holding the
 * owner's pid. A second `db migrate` waits for it (up to `timeoutMs`), so two runs at once never
 * write two copies of one migration: the second one re-reads the folder after the first is done.
 * A lock whose process is gone (killed) is taken over. Returns the release function.
 */
export async function lockMigrationsFolder(dir: string, timeoutMs: number): Promise<() => void> {
  const file = path.join(dir, FOLDER_LOCK);
  const start = Date.now();
  const deadline = start + timeoutMs;
  const shown = path.relative(process.cwd(), dir) || dir;
  let noticed = false;
  for (;;) {
    try {
      fs.writeFileSync(file, `${process.pid}\n`, { flag: 'wx' });
      return () => fs.rmSync(file, { force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new KilnError('DIRECTORY', `cannot lock ${path.relative(process.cwd(), dir) || dir} for writing: ${(e as Error).message}`, { cause: e });
      }
    }
    if (takeOverStale(file)) continue;
    // As for the database lock (./lock.ts): a wait of more than a second is said, once.
    if (!noticed && Date.now() - start >= 1000 && deadline - start > 1000) {
      noticed = true;
      process.stderr.write(`waiting for another 'kiln db migrate' writing to ${shown} (lock file ${FOLDER_LOCK})...\n`);
    }
    if (Date.now() >= deadline) {
      throw new KilnError('LOCKED', `another 'kiln db migrate' is writing to ${path.relative(process.cwd(), dir) || dir} (lock file ${FOLDER_LOCK}); waited ${Math.ceil(timeoutMs / 1000)} s`, {
        hint: `if no other kiln is running, delete ${path.join(path.relative(process.cwd(), dir) || dir, FOLDER_LOCK)}`,
      });
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Removes a lock whose process is gone; true when it did. Two waiters may both judge one stale
 * lock: the lock is first renamed aside (atomic: one waiter wins), and a waiter that finds it
 * moved a fresh lock instead (another waiter took the stale one over in between) puts it back.
 */
function takeOverStale(file: string): boolean {
  const stale = staleLock(file);
  if (stale === undefined) return false;
  const aside = `${file}.${process.pid}.stale`;
  try {
    fs.renameSync(file, aside);
  } catch {
    return false; // another waiter moved it first
  }
  if (fs.statSync(aside).ino !== stale) {
    try {
      fs.linkSync(aside, file); // not the lock judged stale: give it back
    } catch {
      // a third lock exists already; the one moved aside is lost to its owner, as it would be to a delete
    }
  }
  fs.rmSync(aside, { force: true });
  return true;
}

/** The inode of a lock whose pid names no running process (a lock being written, with no pid yet, is not gone). */
function staleLock(file: string): number | undefined {
  let pid: number;
  let ino: number;
  try {
    ino = fs.statSync(file).ino;
    pid = Number(fs.readFileSync(file, 'utf8').trim());
  } catch {
    return undefined;
  }
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  try {
    process.kill(pid, 0);
    return undefined;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH' ? ino : undefined;
  }
}
