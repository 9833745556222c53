/**
 * The diff's live path: for a few edits, what `db migrate` detects against a database built
 * by `db upgrade` from the old models (introspection -> compare) equals the pure diff of the
 * old and new model schemas, on every dialect. (The random round trip asserts the same on
 * every one of its cases.)
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadConfig } from '../../src/config/load';
import { compare, fixedRenames, parseRenameFlags } from '../../src/diff';
import { describeOp } from '../../src/ops/describe';
import { makeProject, rmProject, writeFile } from '../helpers/cli';
import { freshDatabase } from '../helpers/databases';
import { testDialects } from '../helpers/dialects';
import { migrate, projected, run, sortedConstraints } from './library';

const BASE = `import { model, Integer, String, Text, DateTime, Boolean } from 'kiln';
export const Author = model('Author', {
  id: Integer().primaryKey(),
  name: String(70).unique(),
  bio: Text(),
});
export const Post = model('Post', {
  id: Integer().primaryKey(),
  title: String(50).index(),
  published: Boolean().notNull().default(false),
  created: DateTime().defaultRaw('CURRENT_TIMESTAMP'),
  author_id: Integer().references('author.id', { onDelete: 'CASCADE' }),
});
`;

const EDITS: [string, [string, string][], string[]?][] = [
  ['add a column with a default', [['bio: Text(),', "bio: Text(),\n  rank: Integer().notNull().default(3),"]]],
  ['change a length and drop a unique rule', [['name: String(70).unique(),', 'name: String(120),']]],
  ['nullable, default and index changes', [["title: String(50).index(),", "title: String(50).notNull().default('untitled'),"], ['default(false)', 'default(true)']]],
  ['a foreign key action and an index on it', [["{ onDelete: 'CASCADE' })", "{ onDelete: 'SET NULL' }).index()"]]],
  ['rename a column and a table', [["'Author', {", "'Writer', {"], ["'author.id'", "'writer.id'"], ['bio: Text(),', 'about: Text(),']], ['author=writer', 'writer.bio=about']],
];

describe.each(testDialects().map((d) => [d.name, d] as const))('the live diff equals the pure diff on %s', (dialectName, dialect) => {
  test.each(EDITS)('%s', async (_label, replacements, renames = []) => {
    const db = await freshDatabase(dialect);
    const dir = makeProject({ 'models1/m.ts': BASE });
    try {
      let edited = BASE;
      for (const [from, to] of replacements) {
        if (!edited.includes(from)) throw new Error(`'${from}' not in the models`);
        edited = edited.replace(from, to);
      }
      writeFile(dir, 'models2/m.ts', edited);
      fs.mkdirSync(path.join(dir, 'migrations'));
      const config1 = { ...(await loadConfig({ cwd: dir, env: { DATABASE_URL: db.url } })), models: path.join(dir, 'models1') };
      const config2 = { ...config1, models: path.join(dir, 'models2') };
      await migrate(config1, 'initial');
      await run(config1, 'up', 'head');

      const pure = await compare(await projected(config1.models, dialectName), await projected(config2.models, dialectName), fixedRenames(parseRenameFlags(renames)));
      const live = await migrate(config2, 'edit', renames);
      expect(pure.length).toBeGreaterThan(0);
      expect(live.map(describeOp)).toEqual(pure.map(describeOp));
      expect(live.map(sortedConstraints)).toEqual(pure.map(sortedConstraints));
      await run(config2, 'up', 'head');
      expect(await migrate(config2, 'nothing')).toEqual([]);
    } finally {
      await db.cleanup();
      rmProject(dir);
    }
  });
});
