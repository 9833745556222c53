/**
 * Random schemas and random edits of them, round-tripped on every dialect of this run. Each
 * case (reproduce one with `-t 'seed N '`, or shift them all with KILN_ROUNDTRIP_SEED):
 * models written as source in the model language -> migrate -> upgrade -> check finds nothing
 * -> random rows -> a random edit of the models -> migrate (whose ops must equal the pure
 * diff of the two model schemas) -> upgrade -> check finds nothing -> rows of untouched tables
 * unchanged, every count kept -> downgrade -> the schema of before the edit -> downgrade base
 * -> empty.
 *
 * It drives the functions `kiln db migrate/upgrade/downgrade/check` call (autogenerate,
 * renderMigration, the runner), in this process: the real binary costs 0.5 s a call. Every
 * 20th case also runs `kiln db check` through the binary.
 *
 * Cases: 200 on SQLite, 40 per server; KILN_ROUNDTRIP_CASES=N runs N on each. KILN_RT_DEBUG=FILE
 * writes the schemas before the edit and after the downgrade of the last case run there.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Knex } from 'knex';
import { loadConfig, type ResolvedConfig } from '../../src/config/load';
import type { DialectName } from '../../src/dialect/types';
import { compare, fixedRenames, parseRenameFlags } from '../../src/diff';
import { describeOp } from '../../src/ops/describe';
import { kiln, makeProject, rmProject, writeFile } from '../helpers/cli';
import { freshDatabase, type FreshDatabase } from '../helpers/databases';
import { testDialects, type TestDialect } from '../helpers/dialects';
import { dumpData, liveSchema, type Data } from '../helpers/snapshot';
import { modelSource, randomEdit, randomRows, randomSchema, Rng, vocabularyOf, type Edit, type GSchema } from './generate';
import { check, columnsByName, migrate, normalizedExpressions, projected, run, sortedConstraints } from './library';
import type { Operation } from '../../src/ops/types';

const BASE_SEED = Number(process.env.KILN_ROUNDTRIP_SEED ?? 1000);
const casesFor = (d: DialectName) => Number(process.env.KILN_ROUNDTRIP_CASES ?? (d === 'sqlite' ? 200 : 40));
const BINARY_EVERY = 20;

jest.setTimeout(120000);

async function insertRows(knex: Knex, g: GSchema, rows: ReturnType<typeof randomRows>): Promise<void> {
  // One row at a time: in a multi-row insert knex turns a key one row leaves out into NULL on SQLite.
  for (const t of g.tables) for (const row of rows[t.name] ?? []) await knex(t.name).insert(row);
}

/** Rows of the tables that no edit touched must be exactly the same; every count too. */
function expectRowsKept(before: Data, after: Data, edit: Edit, stage: string, direction: 'up' | 'down'): void {
  const dropped = new Set([...edit.touched].filter((n) => !edit.schema.tables.some((t) => t.name === n)));
  for (const [oldName, rows] of Object.entries(before)) {
    const newName = edit.tableRenames[oldName] ?? oldName;
    const name = direction === 'up' ? newName : oldName;
    const now = after[name];
    if (dropped.has(newName)) {
      // gone after upgrade, back (empty) after downgrade
      expect({ stage, table: name, present: now !== undefined }).toEqual({ stage, table: name, present: direction === 'down' });
      continue;
    }
    if (!now) throw new Error(`${stage}: table '${name}' is gone`);
    if (now.length !== rows.length) throw new Error(`${stage}: table '${name}' had ${rows.length} rows, now ${now.length}`);
    if (!edit.touched.has(newName)) expect({ stage, table: name, rows: now }).toEqual({ stage, table: name, rows });
  }
}

describe.each(testDialects().map((d) => [d.name, d] as const))('random schemas and edits on %s', (dialectName, dialect: TestDialect) => {
  let server: FreshDatabase | null = null;
  const seeds = Array.from({ length: casesFor(dialectName) }, (_, i) => BASE_SEED + i);
  let started = Date.now();
  const stats = { ops: new Map<string, number>(), invisible: [] as string[], kinds: new Map<string, number>(), vocabulary: new Map<string, number>() };
  const bump = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);

  beforeAll(async () => {
    started = Date.now();
    if (dialectName !== 'sqlite') server = await freshDatabase(dialect);
  });
  afterAll(async () => {
    await server?.cleanup();
    const ops = [...stats.ops].sort().map(([k, n]) => `${k} ${n}`).join(', ');
    const count = (m: Map<string, number>) => [...m].sort().map(([k, n]) => `${k} ${n}`).join(', ');
    console.log(
      `random round trip on ${dialectName}: ${seeds.length} cases in ${((Date.now() - started) / 1000).toFixed(1)} s; edits invisible to the database: ${stats.invisible.length} (${stats.invisible.slice(0, 5).join(' | ')}); up ops of the edits: ${ops}` +
        `\nedit kinds round-tripped: ${count(stats.kinds)}\ncases whose first schema holds: ${count(stats.vocabulary)}`,
    );
  });

  test.each(seeds)(`seed %i (${dialectName})`, async (seed) => {
    const rng = new Rng(seed);
    const g1 = randomSchema(rng);
    const db = server ?? (await freshDatabase(dialect));
    const knex = db.connect();
    const dir = makeProject({
      'kiln.config.ts': "export default { models: process.env.KILN_T_MODELS ?? 'models1', migrations: 'migrations' };\n",
      'models1/m.ts': modelSource(g1, dialectName),
    });
    fs.mkdirSync(path.join(dir, 'migrations'));
    const env = { DATABASE_URL: db.url };
    const config1 = await loadConfig({ cwd: dir, env });
    const config2: ResolvedConfig = { ...config1, models: path.join(dir, 'models2') };
    let edit: Edit | undefined;
    let ok = false;
    try {
      const start = await liveSchema(knex, dialectName);
      if (start.tables.length || start.views?.length || start.triggers?.length) throw new Error('database not empty at the start');
      expect((await migrate(config1, 'initial')).length).toBeGreaterThan(0);
      await run(config1, 'up', 'head');
      expect(await check(config1)).toEqual([]);
      const schema1 = await liveSchema(knex, dialectName);
      for (const v of vocabularyOf(g1)) bump(stats.vocabulary, v);

      await insertRows(knex, g1, randomRows(rng, g1));
      const data1 = await dumpData(knex, schema1);

      edit = randomEdit(rng, g1, data1);
      writeFile(dir, 'models2/m.ts', modelSource(edit.schema, dialectName));
      const resolver = fixedRenames(parseRenameFlags(edit.renames));
      const pure = await compare(await projected(config1.models, dialectName), await projected(config2.models, dialectName), resolver);
      const live = await migrate(config2, 'edit', edit.renames);
      // The diff tests' live path: introspecting what upgrade built gives the pure diff's ops.
      // Expressions by their comparison key: the live ops carry the database's spelling.
      const same = (ops: readonly Operation[]) => ops.map(normalizedExpressions);
      expect(same(live).map(describeOp)).toEqual(same(pure).map(describeOp));
      expect(same(live).map(sortedConstraints)).toEqual(same(pure).map(sortedConstraints));
      if (live.length) {
        await roundTripEdit();
        for (const kind of edit.kinds ?? []) bump(stats.kinds, kind);
      }
      else stats.invisible.push(`${seed}: ${edit.label}`); // an edit the database cannot see

      async function roundTripEdit(): Promise<void> {
        for (const f of fs.readdirSync(config1.migrations)) {
          if (!f.endsWith('_edit.ts')) continue;
          const text = fs.readFileSync(path.join(config1.migrations, f), 'utf8');
          const up = text.slice(text.indexOf('export async function up'), text.indexOf('export async function down'));
          for (const m of up.matchAll(/(rebuildTable|knex\.schema\.(\w+)|knex\.raw)/g)) stats.ops.set(m[2] ?? m[1], (stats.ops.get(m[2] ?? m[1]) ?? 0) + 1);
        }
        await run(config2, 'up', 'head');
        expect(await check(config2)).toEqual([]);
        if (seed % BINARY_EVERY === 0) {
          const r = await kiln(['db', 'check'], { cwd: dir, env: { ...env, KILN_T_MODELS: 'models2' } });
          expect({ code: r.code, stdout: r.stdout, stderr: r.stderr }).toEqual({ code: 0, stdout: 'No new upgrade operations detected.\n', stderr: '' });
        }
        const schema2 = await liveSchema(knex, dialectName);
        expectRowsKept(data1, await dumpData(knex, schema2), edit!, 'after upgrade', 'up');

        await run(config2, 'down', '-1');
        const down = await liveSchema(knex, dialectName);
        if (process.env.KILN_RT_DEBUG) fs.writeFileSync(process.env.KILN_RT_DEBUG, JSON.stringify({ schema1, down }, null, 1));
        // A column dropped and added back comes last on PostgreSQL and MySQL (ADD COLUMN appends).
        expect(columnsByName(down, dialectName)).toEqual(columnsByName(schema1, dialectName));
        expect(down.views ?? []).toEqual(schema1.views ?? []);
        expect(down.triggers ?? []).toEqual(schema1.triggers ?? []);
        expectRowsKept(data1, await dumpData(knex, schema1), edit!, 'after downgrade', 'down');
      }

      await run(config1, 'down', 'base');
      const empty = await liveSchema(knex, dialectName);
      expect({ tables: empty.tables, views: empty.views ?? [], triggers: empty.triggers ?? [] }).toEqual({ tables: [], views: [], triggers: [] });
      ok = true;
    } catch (e) {
      const migrations = fs.existsSync(config1.migrations) ? fs.readdirSync(config1.migrations).map((f) => `--- ${f}\n${fs.readFileSync(path.join(config1.migrations, f), 'utf8')}`) : [];
      const context = [
        `seed ${seed} on ${dialectName}: ${edit ? edit.label : '(before the edit)'}`,
        `--- models1\n${modelSource(g1, dialectName)}`,
        edit ? `--- models2\n${modelSource(edit.schema, dialectName)}` : '',
        ...migrations,
      ].join('\n');
      (e as Error).message = `${(e as Error).message}\n\n${context}`;
      throw e;
    } finally {
      if (server && !ok) {
        // leave no half-migrated tables for the next case
        await server.cleanup();
        server = await freshDatabase(dialect);
      } else if (!server) {
        await db.cleanup();
      }
      await knex.destroy();
      rmProject(dir);
    }
  });
});
