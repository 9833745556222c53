import { Flags } from '@oclif/core';
import { assertMessage, revision } from '../../app/revision';
import { KilnCommand } from '../../cli/base';

export default class DbMigrate extends KilnCommand {
  static summary = 'Autogenerate a migration from the difference between the models and the database';
  static description =
    'The database must be at head. Prints one line per detected change and writes migrations/YYYYMMDDHHMMSS_<slug>.ts with up and down. Renames are asked in a terminal, or given with --rename. A table that holds rows and that no migration ever created (an existing database) is not dropped: the command stops and names it; pull it into models, exclude it in the config, or pass --allow-drop TABLE.';
  static examples = [
    '<%= config.bin %> db migrate -m "add teacher.son"',
    '<%= config.bin %> db migrate -m "rename title" --rename post.title=headline',
    '<%= config.bin %> db migrate -m "rename table" --rename writer=author',
    "<%= config.bin %> db migrate -m \"rename status\" --rename 'post.status:published=live'",
    '<%= config.bin %> db migrate -m "drop legacy" --allow-drop legacy_orders',
    '<%= config.bin %> db migrate -m "index title" --no-online',
  ];
  static flags = {
    message: Flags.string({ char: 'm', description: 'what the migration does (names the file)', required: true }),
    rename: Flags.string({
      description: 'TABLE.OLD=NEW renames a column, OLD=NEW a table, TABLE.COLUMN:OLD=NEW (or, PostgreSQL, TYPE:OLD=NEW) an enum value (repeatable)',
      multiple: true,
    }),
    lint: Flags.boolean({ description: "print what 'kiln db lint' finds in the file written (--no-lint: skip)", default: true, allowNo: true }),
    online: Flags.boolean({ description: "PostgreSQL/MySQL: write changes to existing tables in their online-safe form (default: config 'online', true); --no-online writes the plain form", allowNo: true }),
    'allow-drop': Flags.string({ description: 'drop TABLE although no migration created it and it holds rows (repeatable)', multiple: true, helpValue: 'TABLE' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(DbMigrate);
    assertMessage(flags.message);
    const config = await this.config_(flags);
    const { assertRenamesUsed, renameResolver, isInteractive } = await import('../../cli/renames.js');
    let resolver: ReturnType<typeof renameResolver> | undefined;
    const written = await revision(
      {
        config,
        message: flags.message,
        renames: () => (resolver = renameResolver(flags.rename, isInteractive())),
        afterDiff: () => resolver && assertRenamesUsed(resolver),
        allowDrop: flags['allow-drop'],
        online: flags.online,
      },
      this.progress(),
    );
    if (written.file && flags.lint) {
      const { lintWritten } = await import('../../app/lint.js');
      await lintWritten(config, written.file, this.progress());
    }
  }
}
