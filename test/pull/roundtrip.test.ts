/**
 * Pull ∘ create is the identity on the random schemas of the round-trip suite, on every
 * dialect of this run: create from models A (migrate + upgrade), pull models B from the
 * database (its views and triggers too), and `db check` with B finds nothing. Cases: 30 on SQLite, 10 per server;
 * KILN_PULL_CASES=N runs N on each; KILN_ROUNDTRIP_SEED shifts the seeds.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadConfig, type ResolvedConfig } from '../../src/config/load';
import type { DialectName } from '../../src/dialect/types';
import { pull } from '../../src/app/pull';
import { QUIET, type Progress } from '../../src/app/progress';
import { kiln, makeProject, rmProject } from '../helpers/cli';
import { freshDatabase, type FreshDatabase } from '../helpers/databases';
import { testDialects, type TestDialect } from '../helpers/dialects';
import { modelSource, randomSchema, Rng } from '../roundtrip/generate';
import { check, migrate, run } from '../roundtrip/library';

const BASE_SEED = Number(process.env.KILN_ROUNDTRIP_SEED ?? 1000);
const casesFor = (d: DialectName) => Number(process.env.KILN_PULL_CASES ?? (d === 'sqlite' ? 30 : 10));

jest.setTimeout(120000);

describe.each(testDialects().map((d) => [d.name, d] as const))('pull after create on %s', (dialectName, dialect: TestDialect) => {
  const seeds = Array.from({ length: casesFor(dialectName) }, (_, i) => BASE_SEED + i);

  test.each(seeds)(`seed %i (${dialectName})`, async (seed) => {
    const g = randomSchema(new Rng(seed));
    const db: FreshDatabase = await freshDatabase(dialect);
    const dir = makeProject({
      'kiln.config.ts': "export default { models: process.env.KILN_T_MODELS ?? 'models1', migrations: 'migrations' };\n",
      'models1/m.ts': modelSource(g, dialectName),
    });
    fs.mkdirSync(path.join(dir, 'migrations'));
    const env = { DATABASE_URL: db.url };
    try {
      const config1 = await loadConfig({ cwd: dir, env });
      const config2: ResolvedConfig = { ...config1, models: path.join(dir, 'models2') };
      await migrate(config1, 'initial');
      await run(config1, 'up', 'head');
      expect(await check(config1)).toEqual([]);

      const warnings: string[] = [];
      const progress: Progress = { ...QUIET, warn: (w) => warnings.push(w) };
      const result = await pull({ config: config2 }, progress);
      expect(warnings).toEqual([]);
      expect(result.tables.sort()).toEqual(g.tables.map((t) => t.name).sort());
      expect(result.views.sort()).toEqual((g.views ?? []).map((v) => v.name).sort());
      expect(result.triggers.sort()).toEqual((g.triggers ?? []).map((t) => t.name).sort());
      expect(await check(config2)).toEqual([]);
      if (seed % 10 === 0) {
        const r = await kiln(['db', 'check'], { cwd: dir, env: { ...env, KILN_T_MODELS: 'models2' } });
        expect({ code: r.code, stdout: r.stdout, stderr: r.stderr }).toEqual({ code: 0, stdout: 'No new upgrade operations detected.\n', stderr: '' });
      }
    } catch (e) {
      const pulled = fs.existsSync(path.join(dir, 'models2'))
        ? fs.readdirSync(path.join(dir, 'models2')).map((f) => `--- ${f}\n${fs.readFileSync(path.join(dir, 'models2', f), 'utf8')}`)
        : [];
      (e as Error).message = `${(e as Error).message}\n\nseed ${seed} on ${dialectName}\n--- models1\n${modelSource(g, dialectName)}\n${pulled.join('\n')}`;
      throw e;
    } finally {
      await db.cleanup();
      rmProject(dir);
    }
  });
});
