import { KilnCommand } from '../../cli/base';
import { revisionJson, type RevisionJson } from '../../cli/status';
import { revisionId as revisionIdOf } from '../../runner/files';
import { currentLine, editedWarning } from '../../app/messages';
import { editedMigrations, readStatus } from '../../runner/status';

export default class DbCurrent extends KilnCommand {
  static summary = 'Show the current revision of the database';
  static examples = ['<%= config.bin %> db current', '<%= config.bin %> db current --json'];
  static enableJsonFlag = true;

  async run(): Promise<{ current: RevisionJson | null; head: string | null; pending: number; missing: string[] }> {
    const { flags } = await this.parse(DbCurrent);
    const config = await this.config_(flags);
    const db = await this.open(config, { noCreate: true });
    const status = await readStatus(config, db.knex);
    const last = status.applied[status.applied.length - 1];
    if (last && !status.current) this.line(`${revisionIdOf(last.name)} (file missing)`);
    else this.line(currentLine(status));
    if (status.missing.length) this.warn(`applied but missing from the migrations folder: ${status.missing.join(', ')}`);
    const edited = await editedMigrations(db.knex, config, status);
    if (edited.length) this.warn(editedWarning(edited));
    return {
      current: status.current ? revisionJson(status, status.current) : null,
      head: status.head?.id ?? null,
      pending: status.pending.length,
      missing: status.missing,
    };
  }
}
