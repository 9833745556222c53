import { Flags } from '@oclif/core';
import { KilnCommand } from '../cli/base';
import { KilnError } from '../errors';

export const DROP_QUESTION = 'This operation will delete the database, do you want to continue?';

export default class InitDb extends KilnCommand {
  static summary = "Create the models' tables (create_all); --drop first drops them, after confirmation";
  static description =
    'Without --drop, creates the tables that do not exist yet and leaves the others alone. Does not touch the migration record: stamp it afterwards if migrations/ matches the models.';
  static examples = ['<%= config.bin %> initdb', '<%= config.bin %> initdb --drop', '<%= config.bin %> initdb --drop --yes'];
  static flags = {
    drop: Flags.boolean({ description: "drop the models' tables first (asks for confirmation)" }),
    yes: Flags.boolean({ char: 'y', description: 'answer yes to the confirmation (for scripts and CI)' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(InitDb);
    const config = await this.config_(flags);
    if (flags.drop && !flags.yes) await this.confirmDrop();
    const { initdb } = await import('../app/initdb.js');
    await initdb({ config, drop: flags.drop }, this.progress());
  }

  private async confirmDrop(): Promise<void> {
    const { isInteractive } = await import('../cli/renames.js');
    if (!isInteractive()) {
      throw new KilnError('ABORTED', `refusing to drop tables: ${process.env.CI === 'true' ? 'CI=true, no one' : 'no terminal'} to ask for confirmation; pass --yes to confirm`);
    }
    const { default: confirm } = await import('@inquirer/confirm');
    const yes = await confirm({ message: DROP_QUESTION, default: false });
    if (!yes) throw new KilnError('ABORTED', 'aborted: nothing was dropped');
  }
}
