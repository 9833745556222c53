import { Flags } from '@oclif/core';
import { KilnCommand } from '../../cli/base';

export default class DbSquash extends KilnCommand {
  static summary = 'Replace the migrations up to a revision by one migration that builds the same schema from empty';
  static description =
    'The schema is read from a scratch database upgraded to REVISION (exact), then rendered as one migration named so it sorts first; the replaced files are deleted (git keeps them). Databases already past REVISION keep working: their next db upgrade or db stamp rewrites their bookkeeping rows to the new file, after which the Knex CLI reads them too.';
  static examples = ['<%= config.bin %> db squash', '<%= config.bin %> db squash --to 20261201031033'];
  static flags = { to: Flags.string({ description: 'the last migration to squash: a name or unique prefix (default: head)', helpValue: 'REVISION' }) };

  async run(): Promise<void> {
    const { flags } = await this.parse(DbSquash);
    const config = await this.config_(flags);
    const { squash } = await import('../../app/squash.js');
    await squash({ config, to: flags.to }, this.progress());
  }
}
