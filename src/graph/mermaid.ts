import { mermaidIdentifier, mermaidQuoted } from './escape';
import type { Graph, GraphEdge, GraphTable } from './model';

/**
 * Mermaid `erDiagram` text (GitHub renders it). Entity and attribute names that are not plain
 * identifiers get a safe identifier and carry the real name as a quoted alias or comment.
 */
export function renderMermaid(graph: Graph): string {
  const ids = new Map(graph.tables.map((t, i) => [t.name, mermaidIdentifier(t.name, `table_${i + 1}`)]));
  const lines = ['erDiagram'];
  for (const t of graph.tables) lines.push(...entityLines(t, ids.get(t.name)!));
  for (const e of graph.edges) lines.push(`    ${ids.get(e.to)} ${relationship(e)} ${ids.get(e.from)} : ${mermaidQuoted(edgeLabel(e))}`);
  return `${lines.join('\n')}\n`;
}

function entityLines(t: GraphTable, id: string): string[] {
  const alias = id === t.name ? '' : `[${mermaidQuoted(t.name)}]`;
  const out = [`    ${id}${alias} {`];
  t.columns.forEach((c, i) => {
    const name = mermaidIdentifier(c.name, `column_${i + 1}`);
    const type = mermaidIdentifier(c.type.replace(/\(.*$/, ''), 'custom');
    const keys = [c.primaryKey && 'PK', c.foreignKey && 'FK', c.unique && 'UK'].filter(Boolean).join(', ');
    const notes = [name !== c.name ? c.name : '', type !== c.type ? c.type : '', c.nullable ? 'null' : ''].filter(Boolean).join(' ');
    out.push(`        ${type} ${name}${keys ? ` ${keys}` : ''}${notes ? ` ${mermaidQuoted(notes)}` : ''}`);
  });
  out.push('    }');
  return out;
}

/** Parent on the left (exactly one, or zero or one when the key is nullable), child on the right. */
function relationship(e: GraphEdge): string {
  const parent = e.optional ? '|o' : '||';
  const child = e.cardinality === 'one-to-one' ? 'o|' : 'o{';
  return `${parent}--${child}`;
}

export function edgeLabel(e: GraphEdge): string {
  const key = `${e.columns.join(', ')} -> ${e.refColumns.join(', ')}`;
  if (e.manyToManyWith !== undefined) return `${key} (many-to-many with ${e.manyToManyWith})`;
  return e.cardinality === 'one-to-one' ? `${key} (one-to-one)` : key;
}
