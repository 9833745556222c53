import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { kilnCacheDir } from '../loader/cache-dir';

/**
 * Where the shell keeps a project's history: `KILN_SHELL_HISTORY` when set (empty: no history),
 * else one file per project root in kiln's cache folder (src/loader/cache-dir.ts, with the same
 * rules: no folder another user owns or can write). A history file is read back into the
 * shell, so it is used only when it is a regular file (not a link) of the running user that
 * nobody else can write; otherwise the shell runs without history, after one warning.
 * Returns the file, or null with the reason to warn about (null reason: history is off).
 */
export function historyFile(root: string, env: NodeJS.ProcessEnv = process.env): { file: string | null; warning: string | null } {
  const given = env.KILN_SHELL_HISTORY;
  if (given !== undefined && given.trim() === '') return { file: null, warning: null };
  let file: string;
  if (given !== undefined) {
    file = path.resolve(root, given);
  } else {
    const cache = kilnCacheDir(root, 'shell-history');
    if (!cache) return { file: null, warning: 'no trustworthy kiln cache folder: the shell keeps no history' };
    try {
      fs.mkdirSync(path.dirname(cache.root), { recursive: true });
      fs.mkdirSync(cache.dir, { recursive: true, mode: 0o700 });
    } catch (e) {
      return { file: null, warning: `cannot create ${cache.dir} (${(e as Error).message}): the shell keeps no history` };
    }
    file = path.join(cache.dir, `${crypto.createHash('sha1').update(path.resolve(root)).digest('hex').slice(0, 20)}.history`);
  }
  const why = untrustedFile(file);
  return why ? { file: null, warning: `not using the shell history ${file}: ${why}` } : { file, warning: null };
}

/** Why `file` must not be read back as history, or null (a missing file is fine: it is created 0600). */
function untrustedFile(file: string): string | null {
  let st: fs.Stats | undefined;
  try {
    st = fs.lstatSync(file, { throwIfNoEntry: false });
  } catch (e) {
    return (e as Error).message;
  }
  if (!st) return null;
  if (st.isSymbolicLink()) return 'it is a symbolic link';
  if (!st.isFile()) return 'it is not a regular file';
  const uid = typeof process.getuid === 'function' ? process.getuid() : -1;
  if (uid >= 0 && st.uid !== uid) return `it is owned by another user (uid ${st.uid})`;
  if (uid >= 0 && st.mode & 0o022) return `other users can write it (mode ${(st.mode & 0o777).toString(8)})`;
  return null;
}
