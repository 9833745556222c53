import { Flags } from '@oclif/core';
import { pull, type PullResult } from '../../app/pull';
import { KilnCommand } from '../../cli/base';

export default class DbPull extends KilnCommand {
  static summary = 'Write models, in kiln’s model language, from the live database';
  static description =
    'One file per table (and per view, under views/, and per trigger, under triggers/) in the models folder (or --out), with relationships inferred from foreign keys. Refuses to overwrite existing model files without --force. Afterwards `kiln db check` finds nothing to do; what the models cannot say is printed as a warning.';
  static examples = [
    '<%= config.bin %> db pull',
    '<%= config.bin %> db pull --tables "invoice*" --exclude invoice_archive',
    '<%= config.bin %> db pull --out src/models --force',
  ];
  static enableJsonFlag = true;
  static flags = {
    out: Flags.string({ char: 'o', description: 'folder to write the model files to (default: the config’s models folder)', helpValue: 'DIR' }),
    force: Flags.boolean({ description: 'overwrite model files that already exist' }),
    tables: Flags.string({ description: 'only these tables and views (names or globs; repeatable)', multiple: true, helpValue: 'NAME' }),
    exclude: Flags.string({ description: 'leave these tables and views out (names or globs; repeatable)', multiple: true, helpValue: 'NAME' }),
  };

  async run(): Promise<PullResult> {
    const { flags } = await this.parse(DbPull);
    const config = await this.config_(flags);
    return pull({ config, out: flags.out, force: flags.force, tables: flags.tables, exclude: flags.exclude }, this.progress());
  }
}
