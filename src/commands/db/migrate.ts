import { Flags } from '@oclif/core';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { KilnCommand } from '../../cli/base';
import { writeFileAtomic } from '../../atomic-write';
import { KilnError } from '../../errors';
import { lockMigrationsFolder } from '../../runner/folder-lock';
import { readStatus } from '../../runner/run';

export default class DbMigrate extends KilnCommand {
  static summary = 'Autogenerate a migration from the difference between the models and the database';
  static description =
    'The database must be at head. Prints one line per detected change and writes migrations/YYYYMMDDHHMMSS_<slug>.ts with up and down. Renames are asked in a terminal, or given with --rename.';
  static examples = [
    '<%= config.bin %> db migrate -m "add teacher.son"',
    '<%= config.bin %> db migrate -m "rename title" --rename post.title=headline',
    '<%= config.bin %> db migrate -m "rename table" --rename writer=author',
  ];
  static flags = {
    message: Flags.string({ char: 'm', description: 'what the migration does (names the file)', required: true }),
    rename: Flags.string({ description: 'TABLE.OLD=NEW renames a column, OLD=NEW a table (repeatable)', multiple: true }),
  };

  private unlockFolder?: () => void;

  async run(): Promise<void> {
    const { flags } = await this.parse(DbMigrate);
    if (!flags.message.trim()) throw new KilnError('BAD_ARGUMENT', 'the message (-m) must not be empty');
    const config = await this.config_(flags);
    const db = await this.open(config, { noCreate: true });
    // Held until the file is written: a second run waits, then sees this one's file as pending.
    if (fs.existsSync(config.migrations)) this.unlockFolder = await lockMigrationsFolder(config.migrations, config.lockTimeoutMs);
    const status = await readStatus(config, db.knex);
    if (status.missing.length || status.pending.length) {
      throw new KilnError('NOT_UP_TO_DATE', `database is not up to date: ${status.pending.length} migration(s) pending${status.missing.length ? `, ${status.missing.length} applied migration(s) missing from the folder` : ''}`, {
        hint: status.missing.length
          ? "restore the missing file(s), or rewrite the record with 'kiln db stamp <revision>'"
          : "run 'kiln db upgrade' first",
      });
    }
    const { assertRenamesUsed, renameResolver, isInteractive } = await import('../../cli/renames.js');
    const { autogenerate, detectedLines } = await import('../../autogenerate.js');
    const { migrationFileName, renderMigration } = await import('../../render/index.js');
    const { dropAddWarnings } = await import('../../cli/warnings.js');
    const resolver = renameResolver(flags.rename, isInteractive());
    const result = await autogenerate(config, db.knex, db.url.dialect, resolver);
    assertRenamesUsed(resolver);
    if (result.changes.length === 0) {
      this.line('No changes in schema detected.');
      return;
    }
    for (const l of detectedLines(result.changes)) this.line(l);
    for (const w of dropAddWarnings(result.changes)) this.warn(w);
    const { liveValueWarnings } = await import('../../cli/value-warnings.js');
    for (const w of await liveValueWarnings(db.knex, result)) this.warn(w);
    const createdAt = new Date();
    const existing = fs.existsSync(config.migrations) ? fs.readdirSync(config.migrations) : [];
    const name = migrationFileName(createdAt, flags.message, existing);
    const revision = name.replace(/\.ts$/, '');
    const source = renderMigration({ message: flags.message.trim(), revision, createdAt, dialect: result.dialect, up: [...result.up], down: [...result.down] });
    const file = path.join(config.migrations, name);
    writeFileAtomic(file, source, { exclusive: true });
    this.line(`Generating ${file} ... done`);
  }

  protected async finally(err: Error | undefined): Promise<unknown> {
    this.unlockFolder?.();
    return super.finally(err);
  }
}
