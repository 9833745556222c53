/**
 * `kiln db squash [--to REVISION]` (issue 15): one migration that builds the schema at REVISION
 * from empty replaces the files up to it. A database built from the squashed history has the
 * catalog of one built from the original; a database already past REVISION keeps working with
 * kiln and, once kiln rewrote its rows, with the Knex CLI; a database inside the squashed range
 * is refused; `knex migrate:latest` builds a fresh database from the squashed folder.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { copyExample, expectUserError, kiln, rmProject } from '../helpers/cli';
import { freshDatabase, type FreshDatabase } from '../helpers/databases';
import { testDialects } from '../helpers/dialects';
import { addNoteTitle, addTeacherSon, catalogDifference, knexCli, linkKiln, ok, writeKnexfile } from '../helpers/teams';

const migrationsOf = (dir: string) => fs.readdirSync(path.join(dir, 'migrations')).filter((f) => f.endsWith('.ts')).sort();

describe.each(testDialects().map((d) => [d.name, d] as const))('db squash on %s', (_name, dialect) => {
  let dir: string;
  const dbs: FreshDatabase[] = [];
  afterEach(async () => {
    await Promise.all(dbs.splice(0).map((d) => d.cleanup()));
    rmProject(dir);
  });
  const fresh = async () => {
    const d = await freshDatabase(dialect);
    dbs.push(d);
    return d;
  };

  test('squash --to the last but one migration: catalogs agree, old databases keep working, Knex reads them', async () => {
    dir = copyExample();
    linkKiln(dir);
    const [old, mid, built, viaKnex] = [await fresh(), await fresh(), await fresh(), await fresh()];
    const k = (d: FreshDatabase, ...args: string[]) => kiln(args, { cwd: dir, env: { DATABASE_URL: d.url } });
    ok(await k(old, 'db', 'upgrade'));
    ok(await k(mid, 'db', 'upgrade'));
    const repoCount = migrationsOf(dir).length; // the example's history: mid is at its head
    addTeacherSon(dir);
    ok(await k(old, 'db', 'migrate', '-m', 'teacher son'));
    ok(await k(old, 'db', 'upgrade'));
    addNoteTitle(dir);
    ok(await k(old, 'db', 'migrate', '-m', 'note title'));
    ok(await k(old, 'db', 'upgrade'));
    const all = migrationsOf(dir);
    const squashed = all.slice(0, -1);
    const [first, second, third] = [squashed[0], squashed[squashed.length - 1], all[all.length - 1]];
    const id = (f: string) => f.replace(/\.ts$/, '');

    const r = ok(await k(old, 'db', 'squash', '--to', id(second)));
    expect(r.stdout).toContain(`Squashed ${squashed.length} migrations (${id(first)} .. ${id(second)})`);
    const squashFile = `${id(first).slice(0, 14)}_squash.ts`;
    expect(migrationsOf(dir)).toEqual([squashFile, third]);
    const source = fs.readFileSync(path.join(dir, 'migrations', squashFile), 'utf8');
    expect(source).toContain(` * Replaces: ${squashed.map(id).join(', ')}\n`);
    expect(source).toContain(' * Revises: base\n');

    // A database past the squash: understood by kiln, then its rows rewritten by its next upgrade.
    expect((await k(old, 'db', 'current')).stdout.trim()).toBe(`${id(third)} (head)`);
    writeKnexfile(dir, old.url);
    expect((await knexCli(dir, 'migrate:latest')).code).not.toBe(0); // Knex: rows name the deleted files
    expect(ok(await k(old, 'db', 'upgrade')).stdout.trim()).toBe(`Nothing to upgrade: database is at ${id(third)} (head).`);
    const rows = (await old.connect()('knex_migrations').select('name').orderBy('id')).map((x: { name: string }) => x.name);
    expect(rows).toEqual([squashFile, third]);
    expect(ok(await knexCli(dir, 'migrate:latest')).stdout).toContain('Already up to date');
    ok(await k(old, 'db', 'check'));

    // A database inside the squashed range (at the example's head) is refused, unchanged.
    expectUserError(await k(mid, 'db', 'upgrade'), new RegExp(`applied ${repoCount} of the migrations squashed into ${squashFile} but not ${id(squashed[repoCount])}`));

    // A new database from the squashed history: the catalog of the original one.
    ok(await k(built, 'db', 'upgrade'));
    ok(await k(built, 'db', 'check'));
    expect(await catalogDifference(old.connect(), built.connect(), dialect.name)).toEqual([]);
    // The Knex CLI builds the same from the squashed folder.
    writeKnexfile(dir, viaKnex.url);
    expect(ok(await knexCli(dir, 'migrate:latest')).stdout).toContain('Batch 1 run: 2 migrations');
    expect(await catalogDifference(old.connect(), viaKnex.connect(), dialect.name)).toEqual([]);
    // And every down() of the squashed history works.
    ok(await k(built, 'db', 'check', '--roundtrip'));
  }, 240000);
});
