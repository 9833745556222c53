import { Args } from '@oclif/core';
import { KilnCommand } from '../../cli/base';

export default class DbStamp extends KilnCommand {
  static summary = "Record TARGET as the database's revision without running any migration";
  static examples = ['<%= config.bin %> db stamp head', '<%= config.bin %> db stamp base', '<%= config.bin %> db stamp 20261122'];
  static args = { target: Args.string({ description: 'head, base, NAME, prefix, +N or -N', required: true }) };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(DbStamp);
    const config = await this.config_(flags);
    const { stamp } = await import('../../app/upgrade.js');
    await stamp({ config, target: args.target }, this.progress());
  }
}
