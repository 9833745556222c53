import { Args } from '@oclif/core';
import { KilnCommand } from '../../cli/base';

export default class DbRebase extends KilnCommand {
  static summary = 'Move a migration merged in from another branch after the head (alias: db merge)';
  static description =
    "Fixes the divergence db check and db upgrade report: two migrations generated against one parent, or a pending migration ordered before applied ones. Without REVISION, the branch the configured database has not applied moves. The moved file gets a new timestamp and Revises: the head; an unedited generated migration is regenerated from the models on top of the head, an edited one keeps its body (check it). The result is proven on a scratch database before the folder changes. A database that applied the file under its old name is understood, and its next db upgrade renames the bookkeeping row.";
  static aliases = ['db:merge'];
  static examples = ['<%= config.bin %> db rebase', '<%= config.bin %> db rebase 20200101000000_from_branch', '<%= config.bin %> db merge'];
  static args = { revision: Args.string({ description: 'the migration to move (with the ones generated on top of it): a name or unique prefix' }) };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(DbRebase);
    const config = await this.config_(flags);
    const { rebase } = await import('../../app/rebase.js');
    await rebase({ config, revision: args.revision }, this.progress());
  }
}
