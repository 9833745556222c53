import * as crypto from 'node:crypto';
import * as path from 'node:path';
import { kilnCacheDir, readCacheEntry, writeCacheEntry, type CacheDir } from './cache-dir';
import Module from 'node:module';
import * as vm from 'node:vm';

/**
 * A V8 code cache for the JavaScript kiln loads: its own dist/ and node_modules (Knex, lodash,
 * the drivers, oclif), and the project's big TypeScript files (models) once transformed. Node 20
 * compiles every module from source on every start (Node 22's
 * module.enableCompileCache does not exist here); with the cache V8 deserializes the bytecode of
 * the top level and of every function the previous run compiled. bench/apply.js: about 100 ms
 * of a 0.6 s `kiln db upgrade` of 100 migrations.
 *
 * The cache is keyed by the file's name and content and by V8's version; V8 itself rejects data
 * made with other flags (then the file is compiled as usual and its entry rewritten). Entries are
 * written once, at exit, atomically; a read-only folder only means no cache. Files it cannot
 * handle exactly as Node does go to Node's own compile: a dynamic import() (needs Node's
 * import callback), a #! line, and everything when source maps are enabled.
 *
 * Folder: <cache root>/v8-<version> (see cache-dir.ts): node_modules/.cache/kiln/v8-* next to
 * the nearest package.json of the current folder, else the user's own cache folder; never a
 * folder or entry another user could have written (cache-dir.ts checks owners and modes).
 * KILN_NO_CODE_CACHE=1 turns it off.
 */

type CompileFn = (this: NodeModule, content: string, filename: string) => unknown;

interface InternalModule {
  _compile: CompileFn;
}

interface ModuleStatics {
  _resolveFilename(request: string, parent: NodeModule, isMain: boolean, options?: unknown): string;
  _resolveLookupPaths(request: string, parent: NodeModule): string[] | null;
  _extensions: unknown;
  _cache: unknown;
  wrap(content: string): string;
}

/** Models, migrations and config files, compiled from the cached TypeScript transform (src/loader/require-ts.ts). */
const TS_FILE = /\.[cm]?tsx?$/;
/**
 * Only big ones (a models file of hundreds of tables): a migration's top level is a few
 * statements, so another file read and hash per migration would cost more than it saves
 * (bench/scaling.js, 1000 migrations).
 */
const BIG_TS = 16 * 1024;

let installed = false;

export function installCodeCache(): void {
  if (installed || process.env.KILN_NO_CODE_CACHE || (process as { sourceMapsEnabled?: boolean }).sourceMapsEnabled) return;
  if (process.execArgv.some((a) => a.startsWith('--inspect') || a.startsWith('--enable-source-maps'))) return;
  installed = true;
  const statics = Module as unknown as ModuleStatics;
  const proto = Module.prototype as unknown as InternalModule;
  const original = proto._compile;
  const selfDist = path.resolve(__dirname, '..') + path.sep;
  const cache = kilnCacheDir(process.cwd(), `v8-${process.versions.v8}-${process.arch}`);
  if (!cache) return;
  const pending: { name: string; script: vm.Script }[] = [];

  proto._compile = function (this: NodeModule, content: string, filename: string): unknown {
    if (
      typeof content !== 'string' ||
      !(filename.startsWith(selfDist) || filename.includes(`${path.sep}node_modules${path.sep}`) || (TS_FILE.test(filename) && content.length > BIG_TS)) ||
      content.startsWith('#!') ||
      content.includes('import(')
    ) {
      return original.call(this, content, filename);
    }
    const key = crypto.createHash('sha1').update(filename).update('\0').update(content).digest('hex');
    const name = `${key}.bin`;
    const cachedData = readCacheEntry(path.join(cache.dir, name));
    const script = new vm.Script(statics.wrap(content), { filename, cachedData });
    if (!cachedData || script.cachedDataRejected) pending.push({ name, script });
    const fn = script.runInThisContext({ displayErrors: true }) as (...args: unknown[]) => unknown;
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the module, inside the named `require` function below
    const mod = this;
    const req = function require(id: string): unknown {
      return mod.require(id);
    } as NodeJS.Require;
    const resolve = ((request: string, options?: unknown) => statics._resolveFilename(request, mod, false, options)) as NodeJS.RequireResolve;
    resolve.paths = (request: string) => statics._resolveLookupPaths(request, mod);
    req.resolve = resolve;
    req.main = require.main;
    req.extensions = statics._extensions as NodeJS.Require['extensions'];
    req.cache = statics._cache as NodeJS.Require['cache'];
    return fn.call(mod.exports, mod.exports, req, mod, filename, path.dirname(filename));
  };

  process.once('exit', () => {
    for (const { name, script } of pending) writeCacheEntry(cache as CacheDir, name, script.createCachedData());
  });
}
