import { Flags } from '@oclif/core';
import { assertMessage } from '../../app/revision';
import { KilnCommand } from '../../cli/base';

export default class DbBaseline extends KilnCommand {
  static summary = 'Bring an existing database under kiln: a migration that creates its schema, recorded as applied without running';
  static description =
    'Writes one migration that creates every table kiln manages (config include/exclude apply) from an empty database, and stamps this database at it: nothing is run here. A fresh database upgraded from it has the same schema: tables, and the views, triggers and sequences the models declare (the others are named in warnings: run db pull first); on PostgreSQL, first the extensions they use (an installed one nothing uses is named in a warning). Only with an empty migrations folder and no recorded migration.';
  static examples = ['<%= config.bin %> db baseline -m "baseline"'];
  static flags = { message: Flags.string({ char: 'm', description: 'what the migration is (names the file)', default: 'baseline' }) };

  async run(): Promise<void> {
    const { flags } = await this.parse(DbBaseline);
    assertMessage(flags.message);
    const config = await this.config_(flags);
    const { baseline } = await import('../../app/baseline.js');
    await baseline({ config, message: flags.message }, this.progress());
  }
}
