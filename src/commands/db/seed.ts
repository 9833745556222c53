import { Flags } from '@oclif/core';
import { KilnCommand } from '../../cli/base';

export default class DbSeed extends KilnCommand {
  static summary = 'Run the seed files in seeds/ in name order (demo data)';
  static description = 'All seeds run in one transaction: a seed that fails leaves the data as it was. Seeds should be idempotent (upserts).';
  static examples = ['<%= config.bin %> db seed', '<%= config.bin %> db seed --specific 01_notes'];
  static flags = { specific: Flags.string({ description: 'run only this seed file', helpValue: 'NAME' }) };

  async run(): Promise<void> {
    const { flags } = await this.parse(DbSeed);
    const config = await this.config_(flags);
    const { seed } = await import('../../app/seed.js');
    await seed({ config, specific: flags.specific }, this.progress());
  }
}
