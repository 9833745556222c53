import { Flags } from '@oclif/core';
import { KilnCommand } from '../cli/base';

export default class Shell extends KilnCommand {
  static summary = 'A Node REPL with the database (knex) and every model in scope';
  static description = [
    "Flask's `flask shell` for Knex: `knex` (connected on first use), every model by name",
    '(`Note.query()` is `knex(\'note\')`, `Note.get(id)` one row, `await author.articles` a relationship)',
    'and what `shellContext` in kiln.config.ts adds. TypeScript and top-level await are accepted;',
    'rows print as a table. At a terminal: history per project, Tab completion (names, tables,',
    'columns), .tables, .schema TABLE, .help, .exit; Ctrl-C cancels the running query. With -e, or',
    'with input from a pipe, the code runs as one program, its value is printed, and an error exits 1.',
  ].join('\n');
  static examples = [
    '<%= config.bin %> shell',
    '<%= config.bin %> shell -e "await Note.query().count()"',
    '<%= config.bin %> shell --json -e "await Note.query().where(\'id\', 1)"',
    'echo "await Post.query().select(\'title\')" | <%= config.bin %> shell',
  ];
  static flags = {
    eval: Flags.string({ char: 'e', description: 'run CODE (TypeScript, top-level await), print its value and exit', helpValue: 'CODE' }),
    json: Flags.boolean({ description: 'print values as JSON instead of tables' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Shell);
    const config = await this.config_(flags);
    const { runShell } = await import('../shell/run.js');
    await runShell({ config, code: flags.eval, json: flags.json, warn: (w) => this.warn(w) });
  }
}
