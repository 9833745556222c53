import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * Where kiln keeps its caches (transformed TypeScript, V8 code cache): $KILN_CACHE_DIR, else
 * node_modules/.cache/kiln beside the nearest package.json above `start`, else the user's own
 * cache folder ($XDG_CACHE_HOME or ~/.cache).
 *
 * Their contents are code that kiln runs, so a cache is used only when nobody else can have
 * written it: every folder from the project (the package.json's folder) down to the cache must be
 * owned by the running user (or root) and not writable by others (unless sticky, like /tmp, for
 * the folders above the cache itself); the cache folders are created 0700 and their files 0600,
 * and each entry read must be a file of ours that nobody else can write. A cache that fails
 * this is ignored with one warning (the user's own cache folder is tried instead); the result is
 * the same, only slower. One stat per folder on the way.
 */

const uid = typeof process.getuid === 'function' ? process.getuid() : -1;
let warned = false;

function warn(message: string): void {
  if (warned) return;
  warned = true;
  process.stderr.write(`warning: ${message}\n`);
}

/** Why `st` (a folder on the way to a cache, or an entry) could hold another user's code, or null. */
function untrusted(st: fs.Stats, isCache: boolean): string | null {
  if (uid < 0) return null; // Windows: no owners to compare
  if (st.uid !== uid && st.uid !== 0) return `owned by another user (uid ${st.uid})`;
  const othersWrite = isCache ? st.mode & 0o022 : st.mode & 0o002 && !(st.mode & 0o1000);
  if (othersWrite) return `writable by other users (mode ${(st.mode & 0o7777).toString(8)})`;
  return null;
}

/**
 * Checks `dir` and the folders between `anchor` (included) and it; a folder that does not exist
 * yet is fine (kiln creates it, 0700). Returns why it cannot be trusted, or null.
 */
function checkChain(anchor: string, dir: string, cacheFrom: string): string | null {
  const rel = path.relative(anchor, dir);
  const parts = rel ? rel.split(path.sep) : [];
  let current = anchor;
  for (let i = -1; i < parts.length; i++) {
    if (i >= 0) current = path.join(current, parts[i]);
    let st: fs.Stats | undefined;
    try {
      st = fs.statSync(current, { throwIfNoEntry: false });
    } catch {
      return null; // cannot look: kiln cannot read or write there either
    }
    if (!st) return null;
    const why = untrusted(st, current.length >= cacheFrom.length);
    if (why) return `${current} is ${why}`;
  }
  return null;
}

function userCacheRoot(): { anchor: string; root: string } {
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return { anchor: base, root: path.join(base, 'kiln') };
}

function candidateRoot(start: string): { anchor: string; root: string } {
  if (process.env.KILN_CACHE_DIR) {
    const root = path.resolve(process.env.KILN_CACHE_DIR);
    return { anchor: root, root };
  }
  let dir = start;
  for (;;) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return { anchor: dir, root: path.join(dir, 'node_modules', '.cache', 'kiln') };
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return userCacheRoot();
}

/** A checked cache folder: `dir` is `root` or below it; `root` and below are created 0700. */
export interface CacheDir {
  readonly root: string;
  readonly dir: string;
}

/**
 * The cache folder `<root>/<sub>` for a project at `start`, or null when no trustworthy one
 * exists (then kiln runs without a cache).
 */
export function kilnCacheDir(start: string, sub = ''): CacheDir | null {
  const first = candidateRoot(start);
  const dir = path.join(first.root, sub);
  const why = checkChain(first.anchor, dir, first.root);
  if (!why) return { root: first.root, dir };
  const fallback = userCacheRoot();
  const fallbackDir = path.join(fallback.root, sub);
  const usable = fallback.root !== first.root && !checkChain(fallback.anchor, fallbackDir, fallback.root);
  warn(`not using the kiln cache ${first.root}: ${why}; another user could make kiln run their code${usable ? ` (using ${fallback.root} instead)` : ''}`);
  return usable ? { root: fallback.root, dir: fallbackDir } : null;
}

/** A cache entry's content, or undefined when missing or not trustworthy (then with a warning). */
export function readCacheEntry(file: string): Buffer | undefined {
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0));
  } catch {
    return undefined; // miss
  }
  try {
    const st = fs.fstatSync(fd);
    const why = untrusted(st, true);
    if (why) {
      warn(`ignoring the kiln cache entry ${file}: ${why}; another user could make kiln run their code`);
      return undefined;
    }
    // One fstat (readFileSync(fd) would stat again): entries are written whole, by rename.
    const buf = Buffer.allocUnsafe(st.size);
    let off = 0;
    while (off < st.size) {
      const n = fs.readSync(fd, buf, off, st.size - off, off);
      if (n === 0) break;
      off += n;
    }
    return off === st.size ? buf : undefined;
  } catch {
    return undefined;
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Writes a cache entry atomically (0600 in a 0700 folder). Failure only means no cache: a
 * read-only project still works.
 */
export function writeCacheEntry(cache: CacheDir, name: string, data: string | Uint8Array): void {
  const file = path.join(cache.dir, name);
  try {
    // The project's node_modules/.cache as usual; kiln's own folders 0700.
    fs.mkdirSync(path.dirname(cache.root), { recursive: true });
    fs.mkdirSync(cache.dir, { recursive: true, mode: 0o700 });
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, data, { mode: 0o600, flag: 'wx' });
    fs.renameSync(tmp, file);
  } catch {
    // no cache, same result
  }
}
