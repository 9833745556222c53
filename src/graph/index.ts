import { renderDot } from './dot';
import { renderMermaid } from './mermaid';
import type { Graph } from './model';
import { renderSvg } from './svg';

export const GRAPH_FORMATS = ['mermaid', 'dot', 'svg'] as const;
export type GraphFormat = (typeof GRAPH_FORMATS)[number];

/** Draws a graph in a format (an exhaustive table: a new format does not compile until it draws). */
const RENDERERS: Record<GraphFormat, (graph: Graph) => string | Promise<string>> = {
  mermaid: renderMermaid,
  dot: renderDot,
  svg: renderSvg,
};

export function drawGraph(graph: Graph, format: GraphFormat): Promise<string> {
  return Promise.resolve(RENDERERS[format](graph));
}

/** The format a file name asks for (`.mmd`/`.md`, `.dot`/`.gv`, `.svg`), or undefined. */
export function formatOfFile(file: string): GraphFormat | undefined {
  const ext = /\.([a-z]+)$/i.exec(file)?.[1]?.toLowerCase();
  if (ext === 'svg') return 'svg';
  if (ext === 'dot' || ext === 'gv') return 'dot';
  if (ext === 'mmd' || ext === 'mermaid' || ext === 'md') return 'mermaid';
  return undefined;
}

export { buildGraph, type Graph } from './model';
