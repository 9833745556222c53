import { Args, Flags } from '@oclif/core';
import { KilnCommand } from '../../cli/base';

export default class DbDowngrade extends KilnCommand {
  static summary = 'Revert migrations down to TARGET (default: -1, one step)';
  static description = 'TARGET: -N, base (all), or a migration name or unique prefix, which stays applied.';
  static examples = ['<%= config.bin %> db downgrade', '<%= config.bin %> db downgrade -2', '<%= config.bin %> db downgrade base', '<%= config.bin %> db downgrade base --sql'];
  static args = { target: Args.string({ description: '-N, base, NAME or prefix', default: '-1' }) };
  static flags = { sql: Flags.boolean({ description: 'print the SQL instead of running it (offline mode); changes nothing' }) };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(DbDowngrade);
    const config = await this.config_(flags);
    if (flags.sql) {
      const { offlineSql } = await import('../../runner/offline.js');
      await offlineSql(config, 'down', args.target, (l) => this.sqlLine(l));
      return;
    }
    const { downgrade } = await import('../../app/upgrade.js');
    await downgrade({ config, target: args.target }, this.runProgress());
  }
}
