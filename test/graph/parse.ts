/** Small parsers for the drawing formats, so tests read the output as a reader (or a renderer) would. */

export interface ParsedGraph {
  /** Table names, as the drawing labels them. */
  readonly tables: string[];
  /** `child->parent` per foreign key. */
  readonly edges: string[];
}

/** Mermaid erDiagram: `id["name"] {` or `id {` opens an entity; `parent ||--o{ child : "..."` is a relationship. */
export function parseMermaid(text: string): ParsedGraph & { relations: { parent: string; child: string; card: string }[] } {
  const lines = text.split('\n');
  if (lines[0] !== 'erDiagram') throw new Error(`not an erDiagram: ${lines[0]}`);
  const names = new Map<string, string>();
  const relations: { parent: string; child: string; card: string }[] = [];
  for (const line of lines) {
    const entity = /^ {4}([A-Za-z_][A-Za-z0-9_]*)(?:\["([^"]*)"\])? \{$/.exec(line);
    if (entity) names.set(entity[1], entity[2] ?? entity[1]);
    const rel = /^ {4}(\S+) (\|\||\|o)--(o\||o\{) (\S+) : "[^"]*"$/.exec(line);
    if (rel) relations.push({ parent: rel[1], child: rel[4], card: `${rel[2]}--${rel[3]}` });
  }
  const name = (id: string) => {
    const n = names.get(id);
    if (n === undefined) throw new Error(`relationship to an undeclared entity ${id}`);
    return n;
  };
  return {
    tables: [...names.values()],
    edges: relations.map((r) => `${name(r.child)}->${name(r.parent)}`),
    relations: relations.map((r) => ({ parent: name(r.parent), child: name(r.child), card: r.card })),
  };
}

/** kiln's DOT: `tN [label=<...>, tooltip="name"];` nodes and `tA:cX -> tB:cY [...]` edges. */
export function parseDot(text: string): ParsedGraph {
  if (!/^digraph schema \{\n/.test(text) || !text.trimEnd().endsWith('}')) throw new Error('not a digraph');
  const names = new Map<string, string>();
  const edges: string[] = [];
  for (const line of text.split('\n')) {
    const node = /^ {2}(t\d+) \[label=<.*>, tooltip="((?:[^"\\]|\\.)*)"\];$/.exec(line);
    if (node) names.set(node[1], node[2].replace(/\\(.)/g, '$1'));
    const edge = /^ {2}(t\d+)(?::c\d+)? -> (t\d+)(?::c\d+)? \[/.exec(line);
    if (edge) edges.push(`${names.get(edge[1])}->${names.get(edge[2])}`);
  }
  return { tables: [...names.values()], edges };
}

/** Graphviz SVG: one `<g class="node">` per table, one `<g class="edge">` per key. */
export function countSvg(svg: string): { nodes: number; edges: number } {
  return { nodes: (svg.match(/<g id="node\d+" class="node">/g) ?? []).length, edges: (svg.match(/<g id="edge\d+" class="edge">/g) ?? []).length };
}
