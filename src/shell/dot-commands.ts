import type { REPLServer } from 'node:repl';
import { escapeForTerminal } from '../cli/terminal';
import type { Schema, Table } from '../schema/types';
import { renderTable } from './format';

/** What the dot commands need: the live schema (read on demand) and how to report a failure. */
export interface DotContext {
  liveSchema(): Promise<Schema>;
  fail(e: unknown): void;
  /** Names in scope, for `.help`. */
  scopeNames(): string[];
}

/** `.tables`, `.schema TABLE` and `.help` (Node's REPL keeps `.exit`, `.editor`, `.break`, ...). */
export function defineDotCommands(server: REPLServer, ctx: DotContext): void {
  const out = (text: string) => server.output.write(`${text}\n`);
  const run = (work: () => Promise<void>) => {
    server.pause();
    work()
      .catch((e) => ctx.fail(e))
      .finally(() => {
        server.resume();
        server.displayPrompt();
      });
  };
  server.defineCommand('tables', {
    help: 'List the tables of the database',
    action: () =>
      run(async () => {
        const schema = await ctx.liveSchema();
        out(schema.tables.length ? schema.tables.map((t) => escapeForTerminal(t.name)).join('\n') : '(no tables)');
      }),
  });
  server.defineCommand('schema', {
    help: 'Show a table of the database: .schema TABLE',
    action: (arg: string) =>
      run(async () => {
        const name = arg.trim();
        const schema = await ctx.liveSchema();
        if (!name) throw new Error('usage: .schema TABLE (see .tables)');
        const table = schema.tables.find((t) => t.name === name);
        if (!table) throw new Error(`no table '${name}' in the database (see .tables)`);
        out(describeTable(table));
      }),
  });
  server.defineCommand('help', {
    help: 'Show this help',
    action: () => {
      out(helpText(ctx.scopeNames(), server));
      server.displayPrompt();
    },
  });
}

export function describeTable(table: Table): string {
  const pk = new Set(table.primaryKey?.columns ?? []);
  const rows = table.columns.map((c) => ({
    column: c.name,
    type: c.type === 'string' && c.length ? `string(${c.length})` : c.type,
    nullable: c.nullable ? 'yes' : 'no',
    default: c.default === null ? '' : c.default.kind === 'literal' ? JSON.stringify(c.default.value) : c.default.sql,
    key: pk.has(c.name) ? 'primary key' : '',
  }));
  const lines = [`table ${table.name}`, renderTable(rows)];
  for (const u of table.uniques) lines.push(`unique ${u.name} (${u.columns.join(', ')})`);
  for (const i of table.indexes) lines.push(`index ${i.name} (${i.columns.join(', ') || i.expression || ''})`);
  for (const f of table.foreignKeys) {
    const actions = [f.onDelete !== 'NO ACTION' ? ` on delete ${f.onDelete.toLowerCase()}` : '', f.onUpdate !== 'NO ACTION' ? ` on update ${f.onUpdate.toLowerCase()}` : ''].join('');
    lines.push(`foreign key ${f.name} (${f.columns.join(', ')}) -> ${f.refTable} (${f.refColumns.join(', ')})${actions}`);
  }
  return lines.map((l, i) => (i === 1 ? l : escapeForTerminal(l))).join('\n');
}

function helpText(names: string[], server: REPLServer): string {
  const commands = Object.entries(server.commands)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, c]) => `  .${name.padEnd(8)} ${c?.help ?? ''}`);
  return [
    `In scope: ${names.join(', ')}`,
    '  Model.query()         knex(<table>) for that model: await Note.query().where({ id: 1 })',
    '  Model.get(id)         the row with that primary key',
    '  row.<relationship>    a query for the related rows: await author.articles',
    '  knex                  the configured Knex instance (connects on first use)',
    'TypeScript and top-level await are accepted. Ctrl-C cancels a running query; Ctrl-D or .exit leaves.',
    'Commands:',
    ...commands,
  ].join('\n');
}
