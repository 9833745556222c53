/**
 * The migration lock belongs to one database: two databases on one server migrate at the same
 * time. (MySQL/MariaDB's GET_LOCK names are server-wide; kiln's name hashes the database in.)
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { freshDatabase } from '../helpers/databases';
import { testDialects } from '../helpers/dialects';
import { handMigration, kiln, makeProject, rmProject, writeFile } from '../helpers/cli';

describe.each(testDialects().map((d) => [d.name, d] as const))('lock scope on %s', (name, dialect) => {
  if (name === 'sqlite') {
    test('one file, one lock (nothing to share)', () => expect(dialect.adminUrl).toBeUndefined());
    return;
  }
  test('a run holding the lock on one database does not make another database wait', async () => {
    const [a, b] = [await freshDatabase(dialect), await freshDatabase(dialect)];
    const dirA = makeProject({ 'kiln.config.ts': 'export default {};\n' });
    const dirB = makeProject({ 'kiln.config.ts': 'export default {};\n' });
    try {
      const slow = "  await knex.schema.createTable('slow', (t) => { t.increments('id'); });\n  require('node:fs').writeFileSync('inside', '');\n  await new Promise((r) => setTimeout(r, 6000));";
      writeFile(dirA, 'migrations/20260101000000_slow.ts', handMigration('slow', slow, "  await knex.schema.dropTable('slow');"));
      writeFile(dirB, 'migrations/20260101000000_quick.ts', handMigration('quick', "  await knex.schema.createTable('quick', (t) => { t.increments('id'); });", "  await knex.schema.dropTable('quick');"));
      const holder = kiln(['db', 'upgrade'], { cwd: dirA, env: { DATABASE_URL: a.url } });
      const deadline = Date.now() + 30000;
      while (!fs.existsSync(path.join(dirA, 'inside')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      const other = await kiln(['db', 'upgrade'], { cwd: dirB, env: { DATABASE_URL: b.url, KILN_LOCK_TIMEOUT: '1' } });
      expect(fs.existsSync(path.join(dirA, 'inside'))).toBe(true);
      expect({ code: other.code, stderr: other.stderr }).toEqual({ code: 0, stderr: '' });
      expect((await holder).code).toBe(0);
    } finally {
      await a.cleanup();
      await b.cleanup();
      rmProject(dirA);
      rmProject(dirB);
    }
  }, 60000);
});
