import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Which of some packages a child process loaded: `env` preloads (NODE_OPTIONS --require) a
 * script that writes, at exit, the loaded module files under `node_modules/<package>/` into
 * `dir/loaded.json`; `read()` returns them per package.
 *
 *   const probe = loadedProbe(dir, ['knex', 'pg']);
 *   await kiln([...], { cwd: dir, env: { ...probe.env } });
 *   expect(probe.read().knex).toEqual([]);
 */
export function loadedProbe(dir: string, packages: readonly string[]): { env: Record<string, string>; read(): Record<string, string[]> } {
  const script = path.join(dir, 'loaded-probe.js');
  const out = path.join(dir, 'loaded.json');
  fs.writeFileSync(
    script,
    `process.on('exit', () => {
  const out = {};
  for (const p of ${JSON.stringify(packages)}) out[p] = Object.keys(require.cache).filter((f) => f.split(/[\\\\/]/).join('/').includes('/node_modules/' + p + '/'));
  require('fs').writeFileSync(${JSON.stringify(out)}, JSON.stringify(out));
});
`,
  );
  return {
    env: { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require ${JSON.stringify(script)}`.trim() },
    read() {
      const r = JSON.parse(fs.readFileSync(out, 'utf8')) as Record<string, string[]>;
      fs.rmSync(out);
      return r;
    },
  };
}
