import * as path from 'node:path';
import { Flags } from '@oclif/core';
import { gatherReport } from '../../app/report';
import { writeFileAtomic } from '../../atomic-write';
import { KilnCommand } from '../../cli/base';

export default class DbReport extends KilnCommand {
  static summary = 'Write a self-contained HTML report of the database: diagram, tables, migrations, db check';
  static description =
    'One HTML file with no outside request (works from a CI artifact or an email): the live database\'s diagram (zoom and pan), one section per table (columns, types, defaults, indexes, constraints, incoming and outgoing keys), the migration history (applied with date, pending, edited since applied) and the current `db check` result. Light and dark mode.';
  static examples = ['<%= config.bin %> db report --out schema.html'];
  static flags = {
    out: Flags.string({ char: 'o', description: 'the HTML file to write (whole or not at all)', helpValue: 'FILE', required: true }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(DbReport);
    const config = await this.config_(flags);
    const data = await gatherReport({ config }, this.progress());
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { renderReport } = require('../../report/html') as typeof import('../../report/html');
    writeFileAtomic(path.resolve(flags.out), renderReport(data));
    this.line(`Wrote ${flags.out}: ${data.schema.tables.length} table(s), ${data.history.length} migration(s).`);
  }
}
