import * as path from 'node:path';
import { Flags } from '@oclif/core';
import { graph } from '../../app/graph';
import { writeFileAtomic } from '../../atomic-write';
import { KilnCommand } from '../../cli/base';
import { formatOfFile, GRAPH_FORMATS, type GraphFormat } from '../../graph';

export default class DbGraph extends KilnCommand {
  static summary = 'Draw the entity-relationship diagram of the models (or, with --from-db, of the database)';
  static description =
    'Mermaid erDiagram text (GitHub renders it), Graphviz DOT, or SVG drawn in-process. Tables with their columns, types and keys; foreign keys as edges in crow\'s-foot notation (one-to-one from a unique key, many-to-many through an association table, drawn dashed).';
  static examples = [
    '<%= config.bin %> db graph',
    '<%= config.bin %> db graph --format svg --out docs/schema.svg',
    '<%= config.bin %> db graph --from-db --format dot --tables student,teacher,association',
  ];
  static flags = {
    format: Flags.string({ char: 'f', options: [...GRAPH_FORMATS], description: 'output format (default: from --out\'s extension, else mermaid)' }),
    out: Flags.string({ char: 'o', description: 'write to FILE (whole or not at all) instead of stdout', helpValue: 'FILE' }),
    'from-db': Flags.boolean({ description: 'draw the live database instead of the models' }),
    tables: Flags.string({ description: 'only these tables (comma-separated) and the keys between them', helpValue: 'A,B,...', multiple: true }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(DbGraph);
    const config = await this.config_(flags);
    const format = (flags.format as GraphFormat | undefined) ?? (flags.out ? formatOfFile(flags.out) : undefined) ?? 'mermaid';
    const tables = flags.tables?.flatMap((t) => t.split(',')).map((t) => t.trim()).filter(Boolean);
    const text = await graph({ config, fromDb: flags['from-db'], format, tables });
    if (!flags.out) {
      process.stdout.write(text);
      return;
    }
    writeFileAtomic(path.resolve(flags.out), text);
    this.line(`Wrote ${flags.out} (${format}).`);
  }
}
