import { Args, Flags } from '@oclif/core';
import { KilnCommand } from '../../cli/base';

export default class DbUpgrade extends KilnCommand {
  static summary = 'Apply migrations up to TARGET (default: head)';
  static description = 'TARGET: head, a migration name or unique prefix, or +N. All steps run in one transaction and under a lock: a second process waits.';
  static examples = ['<%= config.bin %> db upgrade', '<%= config.bin %> db upgrade +1', '<%= config.bin %> db upgrade 20261122', '<%= config.bin %> db upgrade --sql', '<%= config.bin %> db upgrade --plan'];
  static args = { target: Args.string({ description: 'head, NAME, prefix or +N', default: 'head' }) };
  static flags = {
    sql: Flags.boolean({ description: 'print the SQL instead of running it (offline mode); changes nothing', exclusive: ['plan'] }),
    plan: Flags.boolean({ description: 'print each statement the upgrade would run with the lock it takes and whether it rewrites the table; changes nothing' }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(DbUpgrade);
    const config = await this.config_(flags);
    if (flags.sql) {
      const { offlineSql } = await import('../../runner/offline.js');
      await offlineSql(config, 'up', args.target, (l) => this.sqlLine(l));
      return;
    }
    if (flags.plan) {
      const { lint } = await import('../../app/lint.js');
      const { planLines } = await import('../../lint/format.js');
      for (const l of planLines(await lint({ config, target: args.target }))) this.line(l);
      return;
    }
    const { upgrade } = await import('../../app/upgrade.js');
    await upgrade({ config, target: args.target }, this.runProgress());
  }
}
