import { KilnCommand } from '../../cli/base';
import { checkDrift, type CheckResult } from '../../cli/check';

export default class DbCheck extends KilnCommand {
  static summary = 'Exit 0 when the models and the database agree; exit 1 and list the differences when not';
  static description = 'For CI: a drift check. Also fails when migrations are pending.';
  static examples = ['<%= config.bin %> db check', '<%= config.bin %> db check --json'];
  static enableJsonFlag = true;

  async run(): Promise<CheckResult> {
    const { flags } = await this.parse(DbCheck);
    const config = await this.config_(flags);
    const db = await this.open(config, { noCreate: true });
    const { result, lines, warnings, failed } = await checkDrift(config, db.knex, db.url.dialect);
    for (const w of warnings) this.warn(w);
    for (const l of lines) this.line(l);
    if (failed) process.exitCode = 1;
    return result;
  }
}
