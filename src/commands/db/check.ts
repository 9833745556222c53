import { Flags } from '@oclif/core';
import { check, type CheckResult } from '../../app/check';
import { KilnCommand } from '../../cli/base';

export default class DbCheck extends KilnCommand {
  static summary = 'Exit 0 when the models and the database agree; exit 1 and list the differences when not';
  static description =
    'For CI: a drift check. Also fails when migrations are pending, or when the history diverged (see db rebase).\n\n' +
    '--roundtrip instead proves the migrations themselves on a scratch database of the same dialect (a temporary SQLite file, or a database created and dropped on the configured server): every migration up one at a time, down to base, up again; it fails naming the revision when a step fails or the schema at a revision differs between passes. The configured database is not changed.';
  static examples = ['<%= config.bin %> db check', '<%= config.bin %> db check --json', '<%= config.bin %> db check --roundtrip'];
  static enableJsonFlag = true;
  static flags = { roundtrip: Flags.boolean({ description: 'apply every migration up, down to base and up again on a scratch database, comparing schemas' }) };

  async run(): Promise<CheckResult | { roundtrip: { migrations: number; steps: number } }> {
    const { flags } = await this.parse(DbCheck);
    const config = await this.config_(flags);
    if (flags.roundtrip) {
      const { roundtrip } = await import('../../app/roundtrip.js');
      return { roundtrip: await roundtrip({ config }, this.progress()) };
    }
    const { result, failed } = await check({ config }, this.progress());
    if (failed) process.exitCode = 1;
    return result;
  }
}
