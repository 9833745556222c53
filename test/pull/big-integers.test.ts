/**
 * Integer defaults past 2^53 keep every digit: read as JavaScript numbers, 9007199254740993
 * became ...992 and 9223372036854775807 became 9223372036854776000 (no bigint holds it), so the
 * pulled models said another value than the database, `db check` agreed with them, and a
 * database made from the models had the wrong default or none at all. On every dialect: a
 * hand-made table -> pull -> check clean -> initdb on a second database -> the same defaults.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { introspect } from '../../src/introspect';
import { kiln, makeProject, rmProject } from '../helpers/cli';
import { freshDatabase } from '../helpers/databases';
import { testDialects } from '../helpers/dialects';

jest.setTimeout(120000);

const DEFAULTS = { past53: '9007199254740993', max: '9223372036854775807', min: '-9223372036854775808', small: '42' };

describe.each(testDialects().map((d) => [d.name, d] as const))('big integer defaults on %s', (name, dialect) => {
  test('pull keeps every digit; a database made from the models has the same defaults', async () => {
    const db = await freshDatabase(dialect);
    const second = await freshDatabase(dialect);
    const dir = makeProject({ 'kiln.config.ts': "export default { models: 'models', migrations: 'migrations' };\n" });
    fs.mkdirSync(path.join(dir, 'migrations'));
    const q = (id: string) => (name === 'mysql' ? `\`${id}\`` : `"${id}"`);
    try {
      const knex = db.connect();
      const cols = Object.entries(DEFAULTS).map(([c, v]) => `${q(c)} BIGINT NOT NULL DEFAULT ${v}`);
      await knex.raw(`CREATE TABLE ${q('big')} (${q('id')} BIGINT PRIMARY KEY, ${cols.join(', ')})`);
      const pulled = await kiln(['db', 'pull'], { cwd: dir, env: { DATABASE_URL: db.url } });
      expect(pulled.stderr).toBe('');
      expect(pulled.code).toBe(0);
      const model = fs.readFileSync(path.join(dir, 'models', 'big.ts'), 'utf8');
      for (const v of [DEFAULTS.past53, DEFAULTS.max, DEFAULTS.min]) expect(model).toContain(`.defaultRaw('${v}')`);
      expect(model).toContain('.default(42)');
      const check = await kiln(['db', 'check'], { cwd: dir, env: { DATABASE_URL: db.url } });
      expect(check.stdout).toContain('No new upgrade operations detected');

      const made = await kiln(['initdb'], { cwd: dir, env: { DATABASE_URL: second.url } });
      expect(made.code).toBe(0);
      const [a, b] = [await introspect(knex, dialect.name), await introspect(second.connect(), dialect.name)];
      const defaults = (s: typeof a) => Object.fromEntries(s.tables.find((t) => t.name === 'big')!.columns.map((c) => [c.name, c.default]));
      expect(defaults(b)).toEqual(defaults(a));
      expect(defaults(a).past53).toEqual({ kind: 'expression', sql: DEFAULTS.past53 });
      expect(defaults(a).small).toEqual({ kind: 'literal', value: 42 });
    } finally {
      await db.cleanup();
      await second.cleanup();
      rmProject(dir);
    }
  });
});
