import { Command, Flags } from '@oclif/core';
import type { Progress } from '../app/progress';
import { loadConfig, type ResolvedConfig } from '../config/load';
import { openDatabase, type Database, type OpenOptions } from '../runner/database';
import { escapeForTerminal } from './terminal';
import { tickingProgress } from './ticker';

/**
 * The base of every kiln command: the shared flags, configuration and database access.
 * Commands stay thin: parse, call the core, print.
 */
export abstract class KilnCommand extends Command {
  static baseFlags = {
    config: Flags.string({ description: 'config file (default: the nearest kiln.config.ts, in this folder or above)', helpValue: 'FILE' }),
    directory: Flags.string({ char: 'd', description: 'migrations folder (default: from the config, else migrations/)', helpValue: 'DIR' }),
    schema: Flags.string({ description: 'PostgreSQL schema to manage (default: public, or ?schema= in the URL)', helpValue: 'NAME' }),
    env: Flags.string({ description: "a knexfile project's environment (default: NODE_ENV, else development)", helpValue: 'NAME' }),
    verbose: Flags.boolean({ description: 'print stack traces on errors (also DEBUG=kiln*)' }),
  };

  private database?: Database;

  protected config_(flags: { config?: string; directory?: string; schema?: string; env?: string }): Promise<ResolvedConfig> {
    return loadConfig({ configFile: flags.config, directory: flags.directory, schema: flags.schema, environment: flags.env });
  }

  protected async open(config: ResolvedConfig, options: OpenOptions = {}): Promise<Database> {
    this.database = await openDatabase(config, options);
    return this.database;
  }

  /** A warning is one `warning: ...` line on stderr (oclif's own format wraps and decorates). */
  warn(input: string | Error): string | Error {
    process.stderr.write(`warning: ${escapeForTerminal(typeof input === 'string' ? input : input.message)}\n`);
    return input;
  }

  /** What a use case (src/app/) reports, printed as this command prints: lines unless --json, warnings on stderr. */
  protected progress(): Progress {
    return { line: (l) => this.line(l), warn: (w) => this.warn(w) };
  }

  /** As progress(), but the runner's warnings go to stderr as they are (as they always have). */
  protected runProgress(): Progress {
    return tickingProgress((l) => this.line(l));
  }

  /** Prints SQL exactly as it is (`--sql` output is for a file or a client, not a person). */
  protected sqlLine(text: string): void {
    process.stdout.write(`${text}\n`);
  }

  /** Prints a line unless --json, control characters escaped (src/cli/terminal.ts). */
  protected line(text: string): void {
    if (!this.jsonEnabled()) process.stdout.write(`${escapeForTerminal(text)}\n`);
  }

  protected async finally(err: Error | undefined): Promise<unknown> {
    if (this.database) await this.database.close().catch(() => undefined);
    return super.finally(err);
  }

  /** Errors go to src/main.ts, which prints one line; oclif must not print its own. */
  protected async catch(err: Error & { exitCode?: number }): Promise<unknown> {
    throw err;
  }
}
