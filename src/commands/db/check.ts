import { check, type CheckResult } from '../../app/check';
import { KilnCommand } from '../../cli/base';

export default class DbCheck extends KilnCommand {
  static summary = 'Exit 0 when the models and the database agree; exit 1 and list the differences when not';
  static description = 'For CI: a drift check. Also fails when migrations are pending.';
  static examples = ['<%= config.bin %> db check', '<%= config.bin %> db check --json'];
  static enableJsonFlag = true;

  async run(): Promise<CheckResult> {
    const { flags } = await this.parse(DbCheck);
    const config = await this.config_(flags);
    const { result, failed } = await check({ config }, this.progress());
    if (failed) process.exitCode = 1;
    return result;
  }
}
