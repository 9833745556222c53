/**
 * MySQL/MariaDB's TEXT and BLOB families. Hand-written schemas (WordPress's LONGTEXT posts,
 * MEDIUMBLOB images) were read as Text() / LargeBinary(): `db pull` wrote those, `db check` was
 * clean, and a database made from the models (initdb, a baseline) had TEXT/BLOB columns of
 * 64 KB, in silence. Now `Text({ size })` / `LargeBinary({ size })` say TINY/MEDIUM/LONG; a
 * change to a smaller size is a narrowing the value guard counts (in bytes) and refuses; a
 * larger one is not. PostgreSQL and SQLite have one size: models saying one work there.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Knex } from 'knex';
import { expectInitdb, expectNoDrift, withAdoption } from '../helpers/adoption';
import { expectUserError, kiln, ok, writeFile } from '../helpers/cli';
import { testDialects } from '../helpers/dialects';

jest.setTimeout(240000);

const SCHEMA = `CREATE TABLE post (
  id INT AUTO_INCREMENT PRIMARY KEY,
  title TINYTEXT NOT NULL,
  summary TEXT,
  body MEDIUMTEXT,
  raw LONGTEXT DEFAULT 'none',
  thumb TINYBLOB,
  img BLOB,
  video MEDIUMBLOB,
  archive LONGBLOB,
  fixed BINARY(4)
)`;

const PULLED = [
  "title: Text({ size: 'tiny' }).notNull(),",
  'summary: Text(),',
  "body: Text({ size: 'medium' }),",
  "raw: Text({ size: 'long' }).default('none'),",
  "thumb: LargeBinary({ size: 'tiny' }),",
  'img: LargeBinary(),',
  "video: LargeBinary({ size: 'medium' }),",
  "archive: LargeBinary({ size: 'long' }),",
  'fixed: Binary(4),',
];

/** The server's own catalog of the table: COLUMN_TYPE, nullability, default per column. */
async function catalog(knex: Knex): Promise<Record<string, string>> {
  const [rows] = await knex.raw(
    "SELECT COLUMN_NAME AS c, COLUMN_TYPE AS type, IS_NULLABLE AS n, COLUMN_DEFAULT AS d FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'post' ORDER BY COLUMN_NAME",
  );
  const out: Record<string, string> = {};
  for (const r of rows as Record<string, unknown>[]) out[String(r.c)] = [String(r.type).replace(/^int\(\d+\)/, 'int'), r.n, r.d === null ? 'NULL' : String(r.d).replace(/^'(.*)'$/, '$1')].join(' | ');
  return out;
}


const mysql = testDialects().filter((d) => d.name === 'mysql');

describe.each(mysql)('TEXT/BLOB sizes written by hand on $name', (dialect) => {
  test('pull says the sizes; check is clean; initdb and a baseline make the same columns', async () => {
    await withAdoption(dialect, 3, {}, async ({ dir, dbs: [db, second, third], model }) => {
      const knex = db.connect();
      await knex.raw(SCHEMA);
      // 70,000 bytes: more than a TEXT holds.
      await knex('post').insert({ title: 'a', body: 'x'.repeat(70000) });
      const original = await catalog(knex);
      expect(original.body).toBe('mediumtext | YES | NULL');
      expect(original.archive).toBe('longblob | YES | NULL');

      ok(await kiln(['db', 'pull'], { cwd: dir, env: { DATABASE_URL: db.url } }));
      const source = model('post.ts');
      for (const line of PULLED) expect(source).toContain(line);
      await expectNoDrift(dir, db.url);

      await expectInitdb(dir, second.url);
      expect(await catalog(second.connect())).toEqual(original);

      ok(await kiln(['db', 'baseline', '-m', 'base'], { cwd: dir, env: { DATABASE_URL: db.url } }));
      ok(await kiln(['db', 'upgrade'], { cwd: dir, env: { DATABASE_URL: third.url } }));
      const fresh = third.connect();
      expect(await catalog(fresh)).toEqual(original);
      // The baseline's MEDIUMTEXT takes the value a TEXT would refuse.
      await fresh('post').insert({ title: 'b', body: 'y'.repeat(70000) });
      expect(Number((await fresh('post').max({ n: knex.raw('octet_length(body)') }))[0].n)).toBe(70000);
    });
  });

  test('a smaller size is a guarded narrowing, counted in bytes; a larger one is not; down restores', async () => {
    const HEAD = "import { table, Integer, Text, LargeBinary } from 'kiln';\n";
    const models = (dir: string, body: string, blob: string) =>
      writeFile(dir, 'models/post.ts', `${HEAD}export const Post = table('post', { id: Integer().primaryKey(), body: Text(${body}), img: LargeBinary(${blob}) });\n`);
    await withAdoption(dialect, 1, {}, async ({ dir, dbs: [db] }) => {
      const env = { DATABASE_URL: db.url };
      const k = (...args: string[]) => kiln(args, { cwd: dir, env });
      const knex = db.connect();
      const file = (slug: string) => path.join(dir, 'migrations', fs.readdirSync(path.join(dir, 'migrations')).find((n) => n.endsWith(`_${slug}.ts`))!);

      models(dir, "{ size: 'medium' }", "{ size: 'medium' }");
      ok(await k('db', 'migrate', '-m', 'one'));
      ok(await k('db', 'upgrade'));
      // 40,000 two-byte characters: 80,000 bytes, which a TEXT (65,535 bytes) cannot hold.
      const long = 'é'.repeat(40000);
      await knex('post').insert([{ id: 1, body: long, img: Buffer.alloc(70000, 7) }, { id: 2, body: 'short', img: Buffer.from('ab') }]);

      models(dir, '', '');
      const migrate = ok(await k('db', 'migrate', '-m', 'two'));
      expect(migrate.stderr).toContain("'post.body': 1 stored value(s) would change");
      expect(migrate.stderr).toContain("'post.img': 1 stored value(s) would change");
      const source = fs.readFileSync(file('two'), 'utf8');
      expect(source).toContain("await guardValues(knex, { table: 'post', column: 'body', from: { type: 'text', size: 'medium' }, to: { type: 'text' }, allowValueChanges: false });");
      expect(source).toContain("column: 'img', from: { type: 'binary', size: 'medium' }, to: { type: 'binary' }, allowValueChanges: false });");
      expect(source).toContain("narrows column 'post.body' (mediumtext -> text)");

      const refused = await k('db', 'upgrade');
      expectUserError(refused, /changing 'post\.body' from mediumtext to text would change the stored value of 1 row\(s\); nothing was changed/);
      expect((await catalog(knex)).body).toBe('mediumtext | YES | NULL');
      expect((await knex('post').where({ id: 1 }).first()).body).toBe(long);

      fs.writeFileSync(file('two'), source.replace(/allowValueChanges: false/g, 'allowValueChanges: true'));
      ok(await k('db', 'upgrade'));
      const cut = await knex('post').orderBy('id').select('body', 'img', knex.raw('octet_length(body) AS bytes'));
      // Cut by whole characters to what a TEXT holds: 32,767 two-byte characters.
      expect(cut[0].bytes).toBe(65534);
      expect(long.startsWith(cut[0].body)).toBe(true);
      expect((cut[0].img as Buffer).length).toBe(65535);
      expect(cut[1].body).toBe('short');
      expect((await catalog(knex)).body).toBe('text | YES | NULL');
      ok(await k('db', 'check'));

      // Back to MEDIUMTEXT (down): a widening, no guard.
      const down = fs.readFileSync(file('two'), 'utf8').split('export async function down')[1];
      expect(down).not.toContain('await guardValues');
      ok(await k('db', 'downgrade'));
      expect((await catalog(knex)).body).toBe('mediumtext | YES | NULL');

      ok(await k('db', 'upgrade'));
      models(dir, "{ size: 'long' }", "{ size: 'long' }");
      ok(await k('db', 'migrate', '-m', 'three'));
      const wider = fs.readFileSync(file('three'), 'utf8');
      expect(wider.split('export async function down')[0]).not.toContain('await guardValues');
      expect(wider.split('export async function down')[1]).toContain('await guardValues');
      expect(wider).toContain("t.text('body', 'longtext')");
      ok(await k('db', 'upgrade'));
      const after = await catalog(knex);
      expect([after.body, after.img]).toEqual(['longtext | YES | NULL', 'longblob | YES | NULL']);
      ok(await k('db', 'check'));
    });
  });
});

describe.each(testDialects())('Text/LargeBinary sizes in models on $name', (dialect) => {
  test('a size says nothing where the database has one text type; initdb and check agree', async () => {
    const files = {
      'models/doc.ts':
        "import { table, Integer, Text, LargeBinary } from 'kiln';\n" +
        "export const Doc = table('doc', { id: Integer().primaryKey(), title: Text({ size: 'tiny' }), body: Text({ size: 'long' }).default('none'), data: LargeBinary({ size: 'medium' }) });\n",
    };
    await withAdoption(dialect, 1, files, async ({ dir, dbs: [db] }) => {
      await expectInitdb(dir, db.url);
      await expectNoDrift(dir, db.url);
      const knex = db.connect();
      await knex('doc').insert({ id: 1, title: 't', data: Buffer.from('xy') });
      expect((await knex('doc').first()).body).toBe('none');
    });
  });

  test('a size that is not one, on a fixed Binary or an array element, is refused with one error line', async () => {
    const cases: [string, string, RegExp][] = [
      ['Text', "Text({ size: 'huge' })", /size 'huge' is not one of 'tiny', 'medium', 'long'/],
      ['Binary', "LargeBinary({ size: 4 as never })", /size 4 is not one of/],
    ];
    if (dialect.name === 'postgres') cases.push(['Array', "Array(Text({ size: 'long' }))", /an array element takes no size/]);
    for (const [builder, call, message] of cases) {
      const files = { 'models/doc.ts': `import { table, Integer, ${builder === 'Array' ? 'Array, Text' : builder === 'Binary' ? 'LargeBinary' : 'Text'} } from 'kiln';\nexport const Doc = table('doc', { id: Integer().primaryKey(), x: ${call} });\n` };
      await withAdoption(dialect, 1, files, async ({ dir, dbs: [db] }) => {
        expectUserError(await kiln(['db', 'check'], { cwd: dir, env: { DATABASE_URL: db.url } }), message);
      });
    }
  });
});
