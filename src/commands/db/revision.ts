import { Flags } from '@oclif/core';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic } from '../../atomic-write';
import { KilnCommand } from '../../cli/base';
import { loadConfig } from '../../config/load';
import { parseDatabaseUrl } from '../../config/url';
import { KilnError } from '../../errors';

export default class DbRevision extends KilnCommand {
  static summary = 'Create an empty migration to fill in by hand';
  static examples = ['<%= config.bin %> db revision -m "backfill slugs"'];
  static flags = { message: Flags.string({ char: 'm', description: 'what the migration does (names the file)', required: true }) };

  async run(): Promise<void> {
    const { flags } = await this.parse(DbRevision);
    if (!flags.message.trim()) throw new KilnError('BAD_ARGUMENT', 'the message (-m) must not be empty');
    const config = await loadConfig({ configFile: flags.config, directory: flags.directory });
    if (!fs.existsSync(config.migrations)) {
      throw new KilnError('DIRECTORY', `migrations folder not found: ${path.relative(process.cwd(), config.migrations)}`, { hint: "run 'kiln db init' first" });
    }
    const { migrationFileName, renderMigration } = await import('../../render/index.js');
    const createdAt = new Date();
    const name = migrationFileName(createdAt, flags.message, fs.readdirSync(config.migrations));
    const dialect = parseDatabaseUrl(config.databaseUrl, config.root).dialect;
    const source = renderMigration({ message: flags.message.trim(), revision: name.replace(/\.ts$/, ''), createdAt, dialect, up: [], down: [] });
    const file = path.join(config.migrations, name);
    writeFileAtomic(file, source, { exclusive: true });
    this.line(`Generating ${file} ... done`);
  }
}
