import { Args, Flags } from '@oclif/core';
import { KilnCommand } from '../../cli/base';

export default class DbUpgrade extends KilnCommand {
  static summary = 'Apply migrations up to TARGET (default: head)';
  static description = 'TARGET: head, a migration name or unique prefix, or +N. All steps run in one transaction and under a lock: a second process waits.';
  static examples = ['<%= config.bin %> db upgrade', '<%= config.bin %> db upgrade +1', '<%= config.bin %> db upgrade 20261122', '<%= config.bin %> db upgrade --sql'];
  static args = { target: Args.string({ description: 'head, NAME, prefix or +N', default: 'head' }) };
  static flags = { sql: Flags.boolean({ description: 'print the SQL instead of running it (offline mode); changes nothing' }) };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(DbUpgrade);
    const config = await this.config_(flags);
    if (flags.sql) {
      const { offlineSql } = await import('../../runner/offline.js');
      await offlineSql(config, 'up', args.target, (l) => this.sqlLine(l));
      return;
    }
    const { upgrade } = await import('../../app/upgrade.js');
    await upgrade({ config, target: args.target }, this.runProgress());
  }
}
