/**
 * `db upgrade --sql` and the value guard (issue "Trust", items 2 and 4): the guard of a
 * migration is part of the printed script, checked when the script runs (not against the rows
 * the database had when the script was printed), and a table created earlier in the same
 * script does not make the printing fail.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { freshDatabase } from '../helpers/databases';
import { testDialects } from '../helpers/dialects';
import { kiln, makeProject, rmProject, run, writeFile } from '../helpers/cli';

const servers = testDialects().filter((d) => d.name === 'postgres');
const HEAD = "import { table, Integer, String } from 'kiln';\n";

(servers.length ? describe.each(servers.map((d) => [d.name, d] as const)) : describe.skip.each([['postgres', null]]))(
  'offline guard on %s',
  (_name, dialect) => {
    test('the printed script carries the guard: it refuses rows that would change when run, and prints from base', async () => {
      const dir = makeProject({ 'kiln.config.ts': "export default { models: 'models' };\n", 'migrations/.keep': '' });
      const db = await freshDatabase(dialect!);
      const env = { DATABASE_URL: db.url };
      try {
        writeFile(dir, 'models/m.ts', HEAD + "export const T = table('post', { id: Integer().primaryKey(), title: String(200) });\n");
        expect((await kiln(['db', 'migrate', '-m', 'one'], { cwd: dir, env })).code).toBe(0);
        expect((await kiln(['db', 'upgrade'], { cwd: dir, env })).code).toBe(0);
        writeFile(dir, 'models/m.ts', HEAD + "export const T = table('post', { id: Integer().primaryKey(), title: String(20) });\n");
        expect((await kiln(['db', 'migrate', '-m', 'two'], { cwd: dir, env })).code).toBe(0);

        // From base: 'post' is created earlier in the same script.
        expect((await kiln(['db', 'downgrade', 'base'], { cwd: dir, env })).code).toBe(0);
        const fromBase = await kiln(['db', 'upgrade', '--sql'], { cwd: dir, env });
        expect(fromBase.stderr).toBe('');
        expect(fromBase.code).toBe(0);

        // At 'one' with no long title when printed; a long one arrives before the script runs.
        expect((await kiln(['db', 'upgrade', '+1'], { cwd: dir, env })).code).toBe(0);
        const printed = await kiln(['db', 'upgrade', '--sql'], { cwd: dir, env });
        expect(printed.code).toBe(0);
        const knex = db.connect();
        await knex('post').insert({ title: 'x'.repeat(30) });
        const file = path.join(dir, 'up.sql');
        fs.writeFileSync(file, printed.stdout);
        const r = await run('psql', [db.url, '-v', 'ON_ERROR_STOP=1', '-q', '-f', file], { cwd: dir });
        expect(r.code).not.toBe(0);
        expect(r.stderr).toMatch(/changing 'post\.title' from string\(200\) to string\(20\) would change the stored value of 1 row\(s\)/);
        expect((await knex('post').select('title'))[0].title).toBe('x'.repeat(30));
      } finally {
        await db.cleanup();
        rmProject(dir);
      }
    });
  },
);

const mysql = testDialects().filter((d) => d.name === 'mysql');
(mysql.length ? describe.each(mysql.map((d) => [d.name, d] as const)) : describe.skip.each([['mysql', null]]))('offline guard on %s', (_name, dialect) => {
  test('a script cannot carry the guard there: --sql refuses it, unless the migration opts in', async () => {
    const dir = makeProject({ 'kiln.config.ts': "export default { models: 'models' };\n", 'migrations/.keep': '' });
    const db = await freshDatabase(dialect!);
    const env = { DATABASE_URL: db.url };
    try {
      writeFile(dir, 'models/m.ts', HEAD + "export const T = table('post', { id: Integer().primaryKey(), title: String(200) });\n");
      expect((await kiln(['db', 'migrate', '-m', 'one'], { cwd: dir, env })).code).toBe(0);
      expect((await kiln(['db', 'upgrade'], { cwd: dir, env })).code).toBe(0);
      writeFile(dir, 'models/m.ts', HEAD + "export const T = table('post', { id: Integer().primaryKey(), title: String(20) });\n");
      expect((await kiln(['db', 'migrate', '-m', 'two'], { cwd: dir, env })).code).toBe(0);
      const refused = await kiln(['db', 'upgrade', '--sql'], { cwd: dir, env });
      expect(refused.code).not.toBe(0);
      expect(refused.stderr).toMatch(/^error: migration migrations\/\d{14}_two\.ts failed: offline SQL cannot check the stored values of 'post\.title'/m);
      const file = path.join(dir, 'migrations', fs.readdirSync(path.join(dir, 'migrations')).find((f) => f.endsWith('_two.ts'))!);
      fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/allowValueChanges: false/g, 'allowValueChanges: true'));
      const allowed = await kiln(['db', 'upgrade', '--sql'], { cwd: dir, env });
      expect(allowed.code).toBe(0);
      expect(allowed.stdout).toContain('UPDATE `post` SET `title` = LEFT(`title`, 20) WHERE char_length(`title`) > 20;');
    } finally {
      await db.cleanup();
      rmProject(dir);
    }
  });
});
