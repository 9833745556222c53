import { Args } from '@oclif/core';
import * as path from 'node:path';
import { KilnCommand } from '../../cli/base';
import { revisionJson, type RevisionJson } from '../../cli/status';
import { planUpgrade } from '../../runner/targets';
import { readStatus } from '../../runner/status';
import { KilnError } from '../../errors';

export default class DbShow extends KilnCommand {
  static summary = 'Show one migration: revision, parent, file, message and whether it is applied';
  static examples = ['<%= config.bin %> db show 20261122', '<%= config.bin %> db show head'];
  static enableJsonFlag = true;
  static args = { revision: Args.string({ description: 'migration name, unique prefix, head or current', required: true }) };

  async run(): Promise<RevisionJson & { parent: string | null; path: string }> {
    const { args, flags } = await this.parse(DbShow);
    const config = await this.config_(flags);
    const db = await this.open(config, { noCreate: true });
    const status = await readStatus(config, db.knex);
    let file = args.revision === 'head' ? status.head : args.revision === 'current' ? status.current : undefined;
    if (args.revision === 'base') throw new KilnError('TARGET', "'base' is the empty database before the first migration, not a revision to show");
    if (file === undefined) {
      // Reuse target resolution for names and prefixes (as if nothing were applied).
      const steps = planUpgrade(status.files, [], args.revision).steps;
      file = steps[steps.length - 1] ?? null;
    }
    if (!file) throw new KilnError('TARGET', `no revision for '${args.revision}'`);
    const idx = status.files.indexOf(file);
    const info = revisionJson(status, file);
    const parent = idx > 0 ? status.files[idx - 1].id : null;
    this.line(`Rev: ${info.id}${info.head ? ' (head)' : ''}${info.current ? ' (current)' : ''}`);
    this.line(`Parent: ${parent ?? '<base>'}`);
    this.line(`Path: ${path.relative(process.cwd(), file.path)}`);
    this.line(`Applied: ${info.applied ? `yes, batch ${info.batch}${info.appliedAt ? ` at ${info.appliedAt}` : ''}` : 'no'}`);
    this.line('');
    this.line(`    ${info.message}`);
    return { ...info, parent, path: file.path };
  }
}
