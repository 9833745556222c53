import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Module from 'node:module';
import { kilnCacheDir, readCacheEntry, writeCacheEntry, type CacheDir } from './cache-dir';

/**
 * Loads a TypeScript (or JavaScript) file without ts-node and without type-checking: the
 * source is stripped of types by sucrase (loaded only on a cache miss), and the result is
 * cached on disk keyed by the source's hash, so a second run compiles nothing.
 *
 * Cache: $KILN_CACHE_DIR, else node_modules/.cache/kiln next to the nearest package.json of
 * the file, else the user's own cache folder; never one another user could write (cache-dir.ts).
 */

const TS_EXTENSIONS = new Set(['.ts', '.mts', '.cts', '.tsx']);

/**
 * Node's own module system, even where `require('node:module')` gives another one's stand-in
 * (jest hands test code a mock of it): the hook below and the fallback in requireTs use this.
 */
const realModule: typeof Module =
  (process as unknown as { getBuiltinModule?: (id: string) => unknown }).getBuiltinModule?.('node:module') as typeof Module | undefined ?? Module;

let hookInstalled = false;

/** Requires `file` (absolute), transforming TypeScript on the fly. Returns module.exports. */
export function requireTs(file: string): unknown {
  installHook();
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a path known only at run time
    return require(file);
  } catch (e) {
    // Inside another module system (a jest test calling kiln's API), `require` is that system's,
    // which may not read TypeScript: the file is then loaded by Node's own, with the hook above.
    const foreign = require.cache !== (realModule as unknown as { _cache: unknown })._cache;
    if (!foreign || (e as { name?: unknown } | null)?.name !== 'SyntaxError') throw e;
    return realModule.createRequire(file)(file);
  }
}

/**
 * Loads a file for a look at what it exports, then forgets it: a later load in this process
 * (the programmatic API's check after a pull that replaced the file) reads the file as it is then.
 */
export function peekTs(file: string): unknown {
  const resolved = path.resolve(file);
  try {
    return requireTs(resolved);
  } finally {
    delete require.cache[resolved];
    delete (realModule as unknown as { _cache: Record<string, unknown> })._cache[resolved];
  }
}

/** Makes `require('./x.ts')` (and extension-less requires of .ts files) work everywhere. */
export function installHook(): void {
  if (hookInstalled) return;
  hookInstalled = true;
  resolveKilnToSelf();
  const exts = (realModule as unknown as { _extensions: Record<string, (m: NodeModule, f: string) => void> })._extensions;
  for (const ext of TS_EXTENSIONS) {
    exts[ext] = (mod: NodeModule, filename: string) => {
      const code = transformCached(filename, fs.readFileSync(filename, 'utf8'));
      (mod as unknown as { _compile(code: string, filename: string): void })._compile(code, filename);
    };
  }
}

let cacheDir: CacheDir | null | undefined;

function cacheFor(file: string): CacheDir | null {
  if (cacheDir === undefined) cacheDir = kilnCacheDir(path.dirname(file));
  return cacheDir;
}

const TRANSFORM_VERSION = '1';

export function transformCached(filename: string, source: string): string {
  const hash = crypto.createHash('sha1').update(TRANSFORM_VERSION).update('\0').update(filename).update('\0').update(source).digest('hex');
  const cache = cacheFor(filename);
  const name = `${hash}.js`;
  const cached = cache ? readCacheEntry(path.join(cache.dir, name)) : undefined;
  if (cached) return cached.toString('utf8');
  const code = transform(filename, source);
  // A read-only project still works, just without the cache.
  if (cache) writeCacheEntry(cache, name, code);
  return code;
}

function transform(filename: string, source: string): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const sucrase = require('sucrase') as typeof import('sucrase');
  const { code } = sucrase.transform(source, {
    transforms: ['typescript', 'imports'],
    filePath: filename,
    production: true,
    disableESTransforms: true,
  });
  return code;
}

/**
 * Model files, config files and migrations import 'kiln' (and 'kiln/sqlite'). When the project
 * does not have kiln in its own node_modules (a global install, npx), those imports resolve to
 * the running kiln instead of failing.
 */
function resolveKilnToSelf(): void {
  const M = realModule as unknown as { _resolveFilename(request: string, parent: unknown, ...rest: unknown[]): string };
  const original = M._resolveFilename;
  const selfRoot = path.resolve(__dirname, '..', '..');
  M._resolveFilename = function (request: string, parent: unknown, ...rest: unknown[]): string {
    try {
      return original.call(this, request, parent, ...rest);
    } catch (e) {
      if (request === 'kiln' || request.startsWith('kiln/')) {
        return original.call(this, request, { id: selfRoot, filename: path.join(selfRoot, 'index.js'), paths: [path.join(selfRoot, 'node_modules')] }, ...rest);
      }
      throw e;
    }
  };
}
