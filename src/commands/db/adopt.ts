import { Flags } from '@oclif/core';
import { adopt, type AdoptResult } from '../../app/adopt';
import { KilnCommand } from '../../cli/base';

export default class DbAdopt extends KilnCommand {
  static summary = 'Write models for a Knex project from its hand-written migrations';
  static description =
    'Replays the migrations folder into a scratch database of the configured dialect (a temporary SQLite file, or a temporary database on the configured server, dropped afterwards, also on failure), then writes models from it as `kiln db pull` does. The configured database is not touched; the next `kiln db migrate` works on top of the existing history.';
  static examples = ['<%= config.bin %> db adopt', '<%= config.bin %> db adopt --out src/models --exclude audit_log'];
  static enableJsonFlag = true;
  static flags = {
    out: Flags.string({ char: 'o', description: 'folder to write the model files to (default: the config’s models folder)', helpValue: 'DIR' }),
    force: Flags.boolean({ description: 'overwrite model files that already exist' }),
    tables: Flags.string({ description: 'only these tables (names or globs; repeatable)', multiple: true, helpValue: 'NAME' }),
    exclude: Flags.string({ description: 'leave these tables out (names or globs; repeatable)', multiple: true, helpValue: 'NAME' }),
  };

  async run(): Promise<AdoptResult> {
    const { flags } = await this.parse(DbAdopt);
    const config = await this.config_(flags);
    return adopt({ config, out: flags.out, force: flags.force, tables: flags.tables, exclude: flags.exclude }, this.progress());
  }
}
