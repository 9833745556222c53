import { dotQuoted, escapeHtml } from './escape';
import type { Graph, GraphEdge, GraphTable } from './model';
import { edgeLabel } from './mermaid';

/**
 * Graphviz DOT: one node per table (an HTML-like label: the table's name, then one row per
 * column with its type and keys), one edge per foreign key from the child's column to the
 * parent's, in crow's-foot notation. Nodes are `t1`, `t2`, ... so no name is ever a DOT
 * identifier; names appear only inside labels and tooltips, escaped for them.
 */
export function renderDot(graph: Graph): string {
  const ports = portsOf(graph);
  const lines = [
    'digraph schema {',
    '  graph [rankdir=BT, fontname="Helvetica", nodesep=0.4, ranksep=0.9, bgcolor="transparent"];',
    '  node [shape=plain, fontname="Helvetica", fontsize=11];',
    '  edge [fontname="Helvetica", fontsize=9, dir=both, color="#64748b"];',
  ];
  for (const t of graph.tables) lines.push(`  ${ports.get(t.name)!.id} [label=<${tableLabel(t)}>, tooltip=${dotQuoted(t.name)}];`);
  for (const e of graph.edges) lines.push(`  ${edgeLine(e, ports)}`);
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

function port(i: number): string {
  return `c${i + 1}`;
}

function tableLabel(t: GraphTable): string {
  const head = t.association ? `${escapeHtml(t.name)}<BR/><I>many-to-many</I>` : escapeHtml(t.name);
  const headColor = t.association ? '#a78bfa' : '#3b82f6';
  const style = t.association ? ' STYLE="dashed"' : '';
  const rows = t.columns.map((c, i) => {
    const keys = [c.primaryKey && 'PK', c.foreignKey && 'FK', c.unique && 'UK'].filter(Boolean).join(' ');
    const name = c.primaryKey ? `<B>${escapeHtml(c.name)}</B>` : escapeHtml(c.name);
    return `<TR><TD ALIGN="LEFT" PORT="${port(i)}">${name}</TD><TD ALIGN="LEFT"><FONT COLOR="#64748b">${escapeHtml(c.type)}${c.nullable ? '?' : ''}</FONT></TD><TD ALIGN="LEFT">${keys}</TD></TR>`;
  });
  return `<TABLE BORDER="1" CELLBORDER="0" CELLSPACING="0" CELLPADDING="4" BGCOLOR="#ffffff" COLOR="#94a3b8"${style}><TR><TD COLSPAN="3" BGCOLOR="${headColor}"><FONT COLOR="#ffffff"><B>${head}</B></FONT></TD></TR>${rows.join('')}</TABLE>`;
}

type Ports = ReadonlyMap<string, { readonly id: string; readonly columns: ReadonlyMap<string, number> }>;

function portsOf(graph: Graph): Ports {
  return new Map(graph.tables.map((t, i) => [t.name, { id: `t${i + 1}`, columns: new Map(t.columns.map((c, j) => [c.name, j])) }]));
}

/** `t3:c2`: the node, at the row of the key's first column (the node alone if that column is unknown). */
function endOf(ports: Ports, table: string, column: string): string {
  const node = ports.get(table)!;
  const i = node.columns.get(column);
  return i === undefined ? node.id : `${node.id}:${port(i)}`;
}

function edgeLine(e: GraphEdge, ports: Ports): string {
  // The tail is the child (many: crow; one-to-one: a bar), the head the parent (one, or zero or one).
  const tail = e.cardinality === 'one-to-one' ? 'teeodot' : 'crowodot';
  const head = e.optional ? 'teeodot' : 'teetee';
  const style = e.manyToManyWith !== undefined ? ', style=dashed' : '';
  const tooltip = dotQuoted(`${e.from} -> ${e.to}: ${edgeLabel(e)}`);
  return `${endOf(ports, e.from, e.columns[0])} -> ${endOf(ports, e.to, e.refColumns[0])} [arrowtail=${tail}, arrowhead=${head}${style}, tooltip=${tooltip}];`;
}
