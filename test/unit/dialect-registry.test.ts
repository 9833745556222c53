/**
 * The dialect registry (src/dialect/registry.ts): every dialect is there, and an incomplete one
 * does not compile (the `@ts-expect-error` lines are checked by tsc in `npm run lint`: were the
 * object accepted, the directive itself would be the error).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Dialect } from '../../src/dialect/dialect';
import { DIALECTS, dialectOf } from '../../src/dialect/registry';
import type { DialectRuntime } from '../../src/dialect/runtime';
import type { DialectName } from '../../src/dialect/types';

const NAMES: readonly DialectName[] = ['sqlite', 'postgres', 'mysql'];

test('the registry has each dialect, under its own name', () => {
  expect(Object.keys(DIALECTS).sort()).toEqual([...NAMES].sort());
  for (const name of NAMES) {
    expect(dialectOf(name).name).toBe(name);
    expect(typeof dialectOf(name).runtime.acquireLock).toBe('function');
    expect(typeof dialectOf(name).runtime.releaseLock).toBe('function');
    expect(typeof dialectOf(name).runtime.transactionalDdl).toBe('boolean');
  }
});

test('an incomplete dialect is refused by the compiler', () => {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  const { acquireLock, ...withoutLock } = DIALECTS.postgres.runtime;
  // @ts-expect-error a dialect without runtime.acquireLock is refused
  const incomplete: Dialect = { name: 'postgres', runtime: withoutLock, generation: DIALECTS.postgres.generation };
  // @ts-expect-error a runtime without acquireLock is refused
  const runtime: DialectRuntime = withoutLock;
  // @ts-expect-error a dialect without a runtime is refused
  const noRuntime: Dialect = { name: 'mysql', generation: DIALECTS.mysql.generation };
  // @ts-expect-error a registry without one of the dialects is refused
  const partial: Readonly<Record<DialectName, Dialect>> = { sqlite: DIALECTS.sqlite, postgres: DIALECTS.postgres };
  // The objects exist at run time (only the types refuse them): the checks above are the compiler's.
  expect([incomplete, runtime, noRuntime, partial].every((o) => typeof o === 'object')).toBe(true);
});

/** The runner, kiln/guard, kiln/migrate and the fast path ask the dialect object, never the name. */
test("the runner's files do not branch on the dialect's name", () => {
  const root = path.join(__dirname, '..', '..', 'src');
  const files = [
    ...fs.readdirSync(path.join(root, 'runner')).map((f) => path.join('runner', f)),
    path.join('public', 'guard.ts'),
    path.join('public', 'migrate.ts'),
    path.join('cli', 'fast.ts'),
  ];
  const branch = /(dialect|name) (===|!==) '(sqlite|postgres|mysql)'|=== '(sqlite|postgres|mysql)'|!== '(sqlite|postgres|mysql)'|case '(sqlite|postgres|mysql)'|\.dialect\b[^;\n]*=== '(sqlite3|postgresql|mysql2?)'/;
  const found = files.flatMap((f) =>
    fs
      .readFileSync(path.join(root, f), 'utf8')
      .split('\n')
      .flatMap((line, i) => (branch.test(line) ? [`${f}:${i + 1}: ${line.trim()}`] : [])),
  );
  expect(found).toEqual([]);
});
