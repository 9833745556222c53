/**
 * Security: hostile text in identifiers, defaults and migration messages travels model ->
 * migration file -> database -> introspection unchanged and runs nothing (no file written by
 * a `${...}`, no statement injected: a canary table survives); no shell is ever spawned.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { introspect } from '../../src/introspect';
import { freshDatabase, type FreshDatabase } from '../helpers/databases';
import { testDialects } from '../helpers/dialects';
import { REPO, kiln, makeProject, rmProject, writeFile } from '../helpers/cli';
import { emptyStats, reportStats, show, tableNames, type ReliabilityStats } from './helpers';

const stats: ReliabilityStats[] = [];
afterAll(() => reportStats(stats));

// Each would do something visible if it were ever evaluated or spliced: write PWNED, drop the canary.
const PWN = "${require('fs').writeFileSync('PWNED', 'x')}";
const TABLE = `t'q"b\`s\\\${x}; drop table canary é`;
// (Control characters in names are refused at model load: test/unit/model-errors.test.ts.)
const COLUMN = `c'"\`\\\${x} */ nl é`;
const DEFAULT = `it's "q" \`b\` \\ ${PWN} '); DROP TABLE canary; -- \n é ü 字`;
const MESSAGE = `evil */ ${PWN} \` ' " \\ é`;

function modelSource(): string {
  // JSON.stringify gives valid, exact TypeScript string literals.
  return `import { table, Integer, String } from 'kiln';
export const Nasty = table(${JSON.stringify(TABLE)}, {
  id: Integer().primaryKey(),
  ${JSON.stringify(COLUMN)}: String(200).default(${JSON.stringify(DEFAULT)}),
  plain: String(40).default(${JSON.stringify("'); DROP TABLE canary; --")}),
});
`;
}

describe.each(testDialects().map((d) => [d.name, d] as const))('hostile text on %s', (name, dialect) => {
  let dir: string;
  let db: FreshDatabase;
  let env: Record<string, string>;

  beforeEach(async () => {
    dir = makeProject({ 'kiln.config.ts': 'export default {};\n', 'models/nasty.ts': modelSource(), 'migrations/.keep': '' });
    db = await freshDatabase(dialect);
    env = { DATABASE_URL: db.url };
  });
  afterEach(async () => {
    await db.cleanup();
    rmProject(dir);
  });

  test('identifiers, defaults and messages round-trip and run nothing', async () => {
    const s = emptyStats('hostile text', name);
    stats.push(s);
    s.trials = 1;
    try {
      const knex = db.connect();
      // First the canary (with a row), then the hostile table in a second migration.
      const nasty = fs.readFileSync(path.join(dir, 'models/nasty.ts'), 'utf8');
      fs.unlinkSync(path.join(dir, 'models/nasty.ts'));
      writeFile(dir, 'models/canary.ts', "import { table, Integer } from 'kiln';\nexport const Canary = table('canary', { x: Integer().primaryKey() });\n");
      let r = await kiln(['db', 'migrate', '-m', 'canary'], { cwd: dir, env });
      expect(r.code === 0 ? '' : show(r)).toBe('');
      r = await kiln(['db', 'upgrade'], { cwd: dir, env });
      expect(r.code === 0 ? '' : show(r)).toBe('');
      await knex('canary').insert({ x: 1 });
      writeFile(dir, 'models/nasty.ts', nasty);
      r = await kiln(['db', 'migrate', '-m', MESSAGE], { cwd: dir, env });
      expect(r.code === 0 ? '' : show(r)).toBe('');
      const files = fs.readdirSync(path.join(dir, 'migrations')).filter((f) => f.endsWith('.ts'));
      expect(files).toHaveLength(2);
      r = await kiln(['db', 'upgrade'], { cwd: dir, env });
      expect(r.code === 0 ? '' : show(r)).toBe('');
      expect(r.stdout).toContain(MESSAGE.split('\n')[0]);
      const schema = await introspect(knex, name, { ignoreTables: ['knex_migrations', 'knex_migrations_lock', 'kiln_migrations_checksums', 'canary'] });
      const t = schema.tables.find((x) => x.name === TABLE);
      expect(t).toBeDefined();
      const col = t!.columns.find((c) => c.name === COLUMN);
      expect(col).toBeDefined();
      expect(col!.default).toEqual({ kind: 'literal', value: DEFAULT });
      expect(t!.columns.find((c) => c.name === 'plain')!.default).toEqual({ kind: 'literal', value: "'); DROP TABLE canary; --" });
      // The default is the value rows get.
      await knex(TABLE).insert({ id: 1 });
      expect((await knex(TABLE).first())[COLUMN]).toBe(DEFAULT);
      expect(await tableNames(knex, name)).toContain('canary');
      expect(Number((await knex('canary').count({ n: '*' }))[0].n)).toBe(1);
      // The message is printed back exactly by history; nothing was evaluated anywhere.
      r = await kiln(['db', 'history'], { cwd: dir, env });
      expect(r.stdout).toContain(MESSAGE.split('\n')[0]);
      r = await kiln(['db', 'check'], { cwd: dir, env });
      expect(r.code === 0 ? '' : show(r)).toBe('');
      r = await kiln(['db', 'downgrade', '-1'], { cwd: dir, env });
      expect(r.code === 0 ? '' : show(r)).toBe('');
      expect(await tableNames(knex, name)).not.toContain(TABLE);
      expect(fs.existsSync(path.join(dir, 'PWNED'))).toBe(false);
      expect(fs.existsSync(path.join(REPO, 'PWNED'))).toBe(false);
    } catch (e) {
      s.failures++;
      throw e;
    }
  }, 120000);
});

test('kiln never spawns a process (no child_process in src/)', () => {
  const hits: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.ts$/.test(e.name) && /child_process|\bexecSync\b|\bspawnSync\b|\bexecFile\b/.test(fs.readFileSync(p, 'utf8'))) hits.push(path.relative(REPO, p));
    }
  };
  walk(path.join(REPO, 'src'));
  expect(hits).toEqual([]);
});
