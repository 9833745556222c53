import { KilnCommand } from '../../cli/base';
import { appliedRow, marks, revisionJson, type RevisionJson } from '../../cli/status';
import { readMessage } from '../../runner/files';
import { editedWarning } from '../../app/messages';
import { editedMigrations, readStatus } from '../../runner/status';

export default class DbHistory extends KilnCommand {
  static summary = 'List the migrations, newest first, with the applied ones marked';
  static examples = ['<%= config.bin %> db history', '<%= config.bin %> db history --json'];
  static enableJsonFlag = true;

  async run(): Promise<{ revisions: RevisionJson[]; missing: string[] }> {
    const { flags } = await this.parse(DbHistory);
    const config = await this.config_(flags);
    const db = await this.open(config, { noCreate: true });
    const status = await readStatus(config, db.knex);
    const files = status.files;
    for (let i = files.length - 1; i >= 0; i--) {
      const f = files[i];
      const applied = appliedRow(status, f) ? '' : ' [pending]';
      this.line(`${i === 0 ? '<base>' : files[i - 1].id} -> ${f.id}${marks(status, f)}${applied}, ${readMessage(f)}`);
    }
    if (files.length === 0) this.line('No migrations yet.');
    for (const name of status.missing) this.line(`!! ${name} is recorded as applied but its file is missing`);
    const edited = await editedMigrations(db.knex, config, status);
    if (edited.length) this.warn(editedWarning(edited));
    return { revisions: [...files].reverse().map((f) => revisionJson(status, f)), missing: status.missing };
  }
}
