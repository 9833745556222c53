import * as fs from 'node:fs';
import * as path from 'node:path';
import { KilnCommand } from '../../cli/base';
import { CONFIG_FILES, findConfigFile } from '../../config/load';
import { KilnError } from '../../errors';

export default class DbInit extends KilnCommand {
  static summary = 'Create the migrations folder and kiln.config.ts';
  static description = 'Refuses when the migrations folder exists and is not empty. Writes kiln.config.ts only when there is no config file.';
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
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, '.gitkeep'), '');
    this.line(`Creating directory ${dir} ... done`);
    const existing = flags.config ? path.resolve(cwd, flags.config) : findConfigFile(cwd);
    if (existing && fs.existsSync(existing)) {
      this.line(`Keeping ${path.relative(cwd, existing)}: set its 'migrations' option to '${rel}' if it differs`);
    } else {
      const file = path.join(cwd, CONFIG_FILES[0]);
      fs.writeFileSync(file, configTemplate(rel));
      this.line(`Generating ${file} ... done`);
    }
    this.line("Next: declare models in models/, then 'kiln db migrate -m \"initial\"'.");
  }
}

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
