import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic } from '../../atomic-write';
import { KilnCommand } from '../../cli/base';
import { CONFIG_FILES } from '../../config/load';
import { KilnError } from '../../errors';

export default class DbInit extends KilnCommand {
  static summary = 'Create the migrations folder, models/ with an example, seeds/ and kiln.config.ts';
  static description =
    'Refuses when the migrations folder exists and is not empty. Creates models/ (with a commented example model) and seeds/ when they do not exist, and writes kiln.config.ts only when the current folder has no config file.';
  static examples = ['<%= config.bin %> db init', '<%= config.bin %> db init --directory db/migrations'];

  async run(): Promise<void> {
    const { flags } = await this.parse(DbInit);
    const cwd = process.cwd();
    const dir = path.resolve(cwd, flags.directory ?? 'migrations');
    const rel = path.relative(cwd, dir) || '.';
    if (fs.existsSync(dir)) {
      if (!fs.statSync(dir).isDirectory()) throw new KilnError('DIRECTORY', `${rel} exists and is not a folder`);
      const entries = fs.readdirSync(dir).filter((n) => n !== '.gitkeep');
      if (entries.length) throw new KilnError('DIRECTORY', `folder ${rel} already exists and is not empty`, { hint: 'pass --directory to use another folder' });
    }
    const existing = flags.config ? path.resolve(cwd, flags.config) : CONFIG_FILES.map((n) => path.join(cwd, n)).find((f) => fs.existsSync(f));
    makeFolder(dir, '.gitkeep', '');
    this.line(`Creating directory ${dir} ... done`);
    if (!existing) {
      // A config file elsewhere names its own folders: only a new project gets the defaults.
      for (const [name, file, content] of [['models', 'example.ts', EXAMPLE_MODEL], ['seeds', '.gitkeep', '']] as const) {
        const sub = path.join(cwd, name);
        if (fs.existsSync(sub)) continue;
        makeFolder(sub, file, content);
        this.line(`Creating directory ${sub} ... done`);
      }
    }
    if (existing && fs.existsSync(existing)) {
      this.line(`Keeping ${path.relative(cwd, existing)}: set its 'migrations' option to '${rel}' if it differs`);
    } else {
      const file = path.join(cwd, CONFIG_FILES[0]);
      writeFileAtomic(file, configTemplate(rel), { exclusive: true });
      this.line(`Generating ${file} ... done`);
    }
    this.line("Next: declare models in models/ (see models/example.ts), then 'kiln db migrate -m \"initial\"'.");
  }
}

/** A folder and its first file; a folder that cannot be filled is removed again if kiln made it. */
function makeFolder(dir: string, file: string, content: string): void {
  const made = !fs.existsSync(dir);
  try {
    fs.mkdirSync(dir, { recursive: true });
    writeFileAtomic(path.join(dir, file), content);
  } catch (e) {
    if (made) fs.rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}

export const EXAMPLE_MODEL = `/*
 * An example model. Uncomment the lines below (or write your own models in this folder), then:
 *   kiln db migrate -m "create note"
 *   kiln db upgrade
 * Every file in models/ is read; each exported model() or table() is a table.
 */
// import { model, Integer, Text, DateTime } from 'kiln';
//
// export const Note = model('Note', {
//   id: Integer().primaryKey(),
//   body: Text().notNull(),
//   created_at: DateTime().defaultRaw('CURRENT_TIMESTAMP'),
// });
`;

export function configTemplate(migrations: string): string {
  return `import { defineConfig } from 'kiln';

export default defineConfig({
  // DATABASE_URL, when set, wins over this. SQLAlchemy-style URLs:
  //   sqlite:///data.db   postgresql://user:pass@host:5432/db   mysql://user:pass@host:3306/db
  database: 'sqlite:///data.db',
  models: 'models',
  migrations: ${JSON.stringify(migrations.split(path.sep).join('/')).replace(/"/g, "'")},
  seeds: 'seeds',
});
`;
}
