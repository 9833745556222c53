import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseDatabaseUrl } from '../../src/config/url';
import { DIALECTS } from '../../src/dialect/registry';

const SRC = path.resolve(__dirname, '../../src');
const NAME_BRANCH = /(dialect|name) (===|!==) '(sqlite|postgres|mysql)'|=== '(sqlite|postgres|mysql)'|!== '(sqlite|postgres|mysql)'|case '(sqlite|postgres|mysql)'/;

function files(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []));
}

describe('dialect objects', () => {
  // Generation, introspection, rendering and connection settings ask the dialect object
  // (src/dialect/<name>/); they never branch on the dialect's name.
  test.each(['render', 'config', 'diff', 'introspect', 'autogenerate.ts'])('no branch on a dialect name in src/%s', (where) => {
    const full = path.join(SRC, where);
    const found = (fs.statSync(full).isDirectory() ? files(full) : [full]).flatMap((f) =>
      fs.readFileSync(f, 'utf8').split('\n').flatMap((line, i) => (NAME_BRANCH.test(line) ? [`${path.relative(SRC, f)}:${i + 1}: ${line.trim()}`] : [])),
    );
    expect(found).toEqual([]);
  });

  test("each dialect's URL schemes name it", () => {
    for (const d of Object.values(DIALECTS)) {
      for (const scheme of d.connection.urlSchemes) {
        const url = d.connection.urlForm === 'file' ? `${scheme}://` : `${scheme}://u@h/db`;
        expect(parseDatabaseUrl(url).dialect).toBe(d.name);
      }
    }
  });

  test('a scheme that is a property of every object (constructor://) is an unsupported database', () => {
    expect(() => parseDatabaseUrl('constructor://u@h/db')).toThrow("unsupported database 'constructor' in URL 'constructor://u@h/db': kiln supports sqlite, postgresql and mysql/mariadb");
  });
});
