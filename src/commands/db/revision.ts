import { Flags } from '@oclif/core';
import { assertMessage, emptyRevision } from '../../app/revision';
import { KilnCommand } from '../../cli/base';
import { loadConfig } from '../../config/load';

export default class DbRevision extends KilnCommand {
  static summary = 'Create an empty migration to fill in by hand';
  static examples = ['<%= config.bin %> db revision -m "backfill slugs"'];
  static flags = { message: Flags.string({ char: 'm', description: 'what the migration does (names the file)', required: true }) };

  async run(): Promise<void> {
    const { flags } = await this.parse(DbRevision);
    assertMessage(flags.message);
    const config = await loadConfig({ configFile: flags.config, directory: flags.directory, environment: flags.env });
    await emptyRevision({ config, message: flags.message }, this.progress());
  }
}
