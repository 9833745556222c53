import { KilnCommand } from '../../cli/base';
import { describeOp } from '../../ops/describe';
import { readStatus } from '../../runner/run';

interface CheckResult {
  inSync: boolean;
  pending: string[];
  changes: { kind: string; description: string }[];
}

export default class DbCheck extends KilnCommand {
  static summary = 'Exit 0 when the models and the database agree; exit 1 and list the differences when not';
  static description = 'For CI: a drift check. Also fails when migrations are pending.';
  static examples = ['<%= config.bin %> db check', '<%= config.bin %> db check --json'];
  static enableJsonFlag = true;

  async run(): Promise<CheckResult> {
    const { flags } = await this.parse(DbCheck);
    const config = this.config_(flags);
    const db = await this.open(config, { noCreate: true });
    const status = await readStatus(config, db.knex);
    const { autogenerate, detectedLines } = await import('../../autogenerate.js');
    const result = await autogenerate(config, db.knex, db.url.dialect);
    const pending = status.pending.map((f) => f.id);
    const inSync = result.changes.length === 0 && pending.length === 0 && status.missing.length === 0;
    if (pending.length) this.line(`Target database is not up to date: ${pending.length} migration(s) pending (${pending.join(', ')}).`);
    for (const l of detectedLines(result.changes)) this.line(l);
    if (inSync) this.line('No new upgrade operations detected.');
    else {
      if (result.changes.length) this.line(`New upgrade operations detected: ${result.changes.length}.`);
      process.exitCode = 1;
    }
    return { inSync, pending, changes: result.changes.map((op) => ({ kind: op.kind, description: describeOp(op) })) };
  }
}
