import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * Where kiln keeps its caches (transformed TypeScript, V8 code cache): $KILN_CACHE_DIR, else
 * node_modules/.cache/kiln beside the nearest package.json above `start`, else the user's own
 * cache folder ($XDG_CACHE_HOME or ~/.cache). Never a folder shared with other users: its
 * contents are code that kiln runs.
 */
export function kilnCacheRoot(start: string): string {
  if (process.env.KILN_CACHE_DIR) return process.env.KILN_CACHE_DIR;
  let dir = start;
  for (;;) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return path.join(dir, 'node_modules', '.cache', 'kiln');
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'kiln');
}
