import { KilnError, messageOf } from '../errors';
import { renderDot } from './dot';
import type { Graph } from './model';

/** The part of @viz-js/viz used here (its types are an ES module's; kiln is CommonJS). */
interface VizModule {
  instance(): Promise<{
    render(dot: string, options: { format: string; engine: string }): { status: 'success'; output: string } | { status: 'failure'; errors: { message: string }[] };
  }>;
}

/**
 * SVG through Graphviz compiled to WebAssembly (@viz-js/viz): no native binary. Loaded here,
 * on first use, so the commands that do not draw never load it.
 */
export async function renderSvg(graph: Graph): Promise<string> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { instance } = require('@viz-js/viz') as VizModule;
  const viz = await instance();
  const result = viz.render(renderDot(graph), { format: 'svg', engine: 'dot' });
  if (result.status !== 'success') {
    const why = result.errors.map((e) => e.message).join('; ') || 'unknown error';
    throw new KilnError('BAD_ARGUMENT', `cannot draw the diagram: Graphviz failed: ${messageOf(why)}`);
  }
  return result.output;
}
