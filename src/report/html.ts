import { escapeHtml as h } from '../graph/escape';
import type { ReportData } from './data';
import { checkSection, historySection } from './history';
import { STYLE, ZOOM_SCRIPT } from './page-assets';
import { tableSections } from './tables';

/** The SVG element alone (Graphviz writes an XML prolog and a doctype first), sized by its container. */
export function inlineSvg(svg: string): string {
  const start = svg.indexOf('<svg');
  if (start < 0) return '';
  return svg
    .slice(start)
    .replace(/^<svg width="[^"]*" height="[^"]*"/, '<svg id="diagram-svg" width="100%" height="100%" role="img" aria-label="entity-relationship diagram"');
}

/**
 * The report: one self-contained HTML page (inline CSS, SVG and script; no request to
 * anywhere), readable in light and dark mode. Every name from the database is escaped here;
 * the SVG's text was escaped by Graphviz from labels escaped by src/graph/dot.ts.
 */
export function renderReport(data: ReportData): string {
  const tables = data.schema.tables;
  const toc = tables.map((t, i) => `<li><a href="#table-${i + 1}">${h(t.name)}</a></li>`).join('');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<title>Schema report (${h(data.database)})</title>
<style>${STYLE}</style>
</head>
<body>
<header><h1>Schema report</h1><p class="muted">${h(data.database)} database, ${tables.length} table${tables.length === 1 ? '' : 's'}, generated ${h(data.generatedAt)} by kiln db report</p></header>
<main>
<section id="diagram-section"><h2>Diagram</h2>
<div class="toolbar"><button type="button" data-zoom="in" aria-label="zoom in">+</button><button type="button" data-zoom="out" aria-label="zoom out">&minus;</button><button type="button" data-zoom="reset">reset</button><span class="muted">scroll to zoom, drag to pan</span></div>
<div id="diagram" class="diagram">${inlineSvg(data.svg)}</div>
</section>
<section id="check"><h2>db check</h2>${checkSection(data.check)}</section>
<section id="history"><h2>Migrations</h2>${historySection(data.history)}</section>
<section id="tables"><h2>Tables</h2><nav><ul class="toc">${toc}</ul></nav>
${tableSections(data.schema)}
</section>
</main>
<script>${ZOOM_SCRIPT}</script>
</body>
</html>
`;
}
