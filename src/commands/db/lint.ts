import { Args, Flags } from '@oclif/core';
import { KilnCommand } from '../../cli/base';
import type { LintReport } from '../../app/lint';

export default class DbLint extends KilnCommand {
  static summary = 'Say which locks the pending migrations take, what they rewrite, and what would stall a busy database';
  static description =
    'Runs the pending migrations offline (as `db upgrade --sql`; nothing changes) and reads every statement they would send: the lock it takes, whether it rewrites the table, and the rules it breaks (docs/lint.md). Exits 1 when a finding at or above --fail-on is left, for CI. Accept a finding with a `kiln-lint-allow: RULE` comment in the migration file or in the statement.';
  static examples = ['<%= config.bin %> db lint', '<%= config.bin %> db lint --json', '<%= config.bin %> db lint 20261201 --fail-on error'];
  static enableJsonFlag = true;
  static strict = false;
  static args = { migration: Args.string({ description: 'only report these pending migrations (names or unique prefixes)' }) };
  static flags = {
    'fail-on': Flags.string({ description: 'exit 1 when a finding of this severity or worse is left', options: ['error', 'warning', 'info', 'never'], default: 'warning' }),
  };

  async run(): Promise<LintReport> {
    const { argv, flags } = await this.parse(DbLint);
    const config = await this.config_(flags);
    const { lint, failsAt } = await import('../../app/lint.js');
    const { lintLines } = await import('../../lint/format.js');
    const report = await lint({ config, only: argv as string[] });
    for (const l of lintLines(report)) this.line(l);
    if (failsAt(report, flags['fail-on'] as 'error' | 'warning' | 'info' | 'never')) process.exitCode = 1;
    return report;
  }
}
