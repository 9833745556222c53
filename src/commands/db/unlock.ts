import { KilnCommand } from '../../cli/base';
import { forceUnlock } from '../../runner/lock';

export default class DbUnlock extends KilnCommand {
  static summary = "Clear Knex's migration lock row left by a killed 'knex migrate' (kiln's own locks never stay)";
  static examples = ['<%= config.bin %> db unlock'];

  async run(): Promise<void> {
    const { flags } = await this.parse(DbUnlock);
    const config = await this.config_(flags);
    const db = await this.open(config);
    const found = await forceUnlock(db.knex, config.tableName);
    this.line({ cleared: 'Lock cleared.', 'not-locked': 'Not locked: nothing to clear.', 'no-table': 'No lock table: nothing to clear.' }[found]);
  }
}
