import { lit } from './literal';

/** Indents every line of a block by `n` spaces (empty lines stay empty). */
export function indent(block: string, n = 2): string {
  const pad = ' '.repeat(n);
  return block
    .split('\n')
    .map((l) => (l ? pad + l : l))
    .join('\n');
}

/** A table-builder callback body as a statement block: `(t) => {\n  ...;\n}` */
export function builderCallback(lines: readonly string[]): string {
  if (!lines.length) return '(t) => {}';
  return `(t) => {\n${lines.map((l) => indent(`${l};`)).join('\n')}\n}`;
}

/** `await knex.schema.alterTable('post', (t) => { ... });` */
export function alterTable(table: string, lines: readonly string[]): string {
  return `await knex.schema.alterTable(${lit(table)}, ${builderCallback(lines)});`;
}
