/**
 * A table whose name holds terminal escapes (retitle the window, clear the screen, move the
 * cursor up, carriage return, a right-to-left override), created directly in the database,
 * never reaches the terminal raw: `db check` and `db migrate` show it escaped, the "drops
 * table" warning stays visible, and the generated migration keeps it inside one comment line
 * and one string literal.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { freshDatabase, type FreshDatabase } from '../helpers/databases';
import { testDialects } from '../helpers/dialects';
import { kiln, makeProject, rmProject } from '../helpers/cli';
import { show, tableNames } from './helpers';

const EVIL = 't\x1b]0;x\x07\x1b[2J\x1b[A\rz\u202e\ny';
const SHOWN = 't\\x1b]0;x\\x07\\x1b[2J\\x1b[A\\rz\\u202e\\ny';
/** Anything a terminal would act on, but the newline that ends each line. */
// eslint-disable-next-line no-control-regex -- control characters are exactly what is looked for
const RAW_CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]/;

describe.each(testDialects().map((d) => [d.name, d] as const))('terminal escapes in names on %s', (name, dialect) => {
  let dir: string;
  let db: FreshDatabase;
  let env: Record<string, string>;

  beforeEach(async () => {
    dir = makeProject({
      'kiln.config.ts': 'export default {};\n',
      'models/app.ts': "import { table, Integer } from 'kiln';\nexport const Keep = table('keep', { id: Integer().primaryKey() });\n",
      'migrations/.keep': '',
    });
    db = await freshDatabase(dialect);
    env = { DATABASE_URL: db.url };
  });
  afterEach(async () => {
    await db.cleanup();
    rmProject(dir);
  });

  test('check and migrate show the name escaped; the generated file is safe', async () => {
    const knex = db.connect();
    await knex.schema.createTable(EVIL, (t) => t.integer('id'));
    expect(await tableNames(knex, name)).toContain(EVIL);

    let r = await kiln(['db', 'check'], { cwd: dir, env });
    expect(r.code).toBe(1);
    expect(r.stdout + r.stderr).not.toMatch(RAW_CONTROL);
    expect(r.stdout).toContain(`removed table '${SHOWN}'`);

    r = await kiln(['db', 'migrate', '-m', 'drop it'], { cwd: dir, env });
    expect(r.code === 0 ? '' : show(r)).toBe('');
    expect(r.stdout + r.stderr).not.toMatch(RAW_CONTROL);
    const lines = r.stdout.split('\n');
    expect(lines).toContain(`Detected removed table '${SHOWN}'`);
    expect(lines.some((l) => l.includes(`drops table '${SHOWN}' and all its rows`))).toBe(true);

    const file = fs.readdirSync(path.join(dir, 'migrations')).find((f) => f.endsWith('.ts'))!;
    const source = fs.readFileSync(path.join(dir, 'migrations', file), 'utf8');
    expect(source).not.toMatch(RAW_CONTROL);
    // The warning comment is one line, the name in it escaped; code never starts inside it.
    const comment = source.split('\n').find((l) => l.includes('// kiln: drops table'));
    expect(comment).toBeDefined();
    expect(comment).toContain('\\u001b]0;x\\u0007');

    r = await kiln(['db', 'upgrade'], { cwd: dir, env });
    expect(r.code === 0 ? '' : show(r)).toBe('');
    expect(r.stdout + r.stderr).not.toMatch(RAW_CONTROL);
    expect(await tableNames(knex, name)).not.toContain(EVIL);
    r = await kiln(['db', 'check'], { cwd: dir, env });
    expect(r.code === 0 ? '' : show(r)).toBe('');
    // The down migration restores the name exactly.
    r = await kiln(['db', 'downgrade'], { cwd: dir, env });
    expect(r.code === 0 ? '' : show(r)).toBe('');
    expect(await tableNames(knex, name)).toContain(EVIL);
  }, 120000);
});
