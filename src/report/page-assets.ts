/** The report's inline style: light by default, dark under prefers-color-scheme. */
export const STYLE = `
:root{--bg:#ffffff;--fg:#0f172a;--muted:#64748b;--line:#e2e8f0;--panel:#f8fafc;--accent:#2563eb;--ok:#15803d;--warn:#b45309;--bad:#b91c1c}
@media (prefers-color-scheme: dark){:root{--bg:#0f172a;--fg:#e2e8f0;--muted:#94a3b8;--line:#334155;--panel:#1e293b;--accent:#60a5fa;--ok:#4ade80;--warn:#fbbf24;--bad:#f87171}
.diagram svg polygon[fill="#ffffff"]{fill:#1e293b}.diagram svg text:not([fill]){fill:#e2e8f0}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);font:14px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
header,main{max-width:1200px;margin:0 auto;padding:0 16px}
h1{margin:16px 0 0}h2{border-bottom:1px solid var(--line);padding-bottom:4px;margin-top:32px}
a{color:var(--accent)}.muted{color:var(--muted)}code,pre{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12px}
pre{background:var(--panel);padding:8px;overflow:auto;white-space:pre-wrap}
table{border-collapse:collapse;width:100%;margin:8px 0}th,td{border-bottom:1px solid var(--line);padding:4px 8px;text-align:left;vertical-align:top}
th{color:var(--muted);font-weight:600}
section.table{background:var(--panel);border:1px solid var(--line);border-radius:6px;padding:4px 16px 12px;margin:16px 0}
.toc{columns:4 160px;padding-left:16px}
.diagram{height:70vh;min-height:320px;border:1px solid var(--line);border-radius:6px;background:var(--panel);overflow:hidden;cursor:grab;touch-action:none}
.diagram.dragging{cursor:grabbing}.diagram svg{display:block}
.toolbar{display:flex;gap:8px;align-items:center;margin:8px 0}
.toolbar button{background:var(--panel);color:var(--fg);border:1px solid var(--line);border-radius:4px;padding:2px 10px;cursor:pointer}
.badge{display:inline-block;border-radius:4px;padding:0 6px;font-size:12px;border:1px solid currentColor}
.badge.applied{color:var(--ok)}.badge.pending{color:var(--warn)}.badge.edited{color:var(--bad)}.badge.missing{color:var(--bad)}
`;

/** Zoom (wheel, buttons) and pan (drag) by moving the SVG's viewBox. */
export const ZOOM_SCRIPT = `
(function(){var box=document.getElementById('diagram'),svg=document.getElementById('diagram-svg');if(!box||!svg)return;
var b=svg.viewBox.baseVal,home=[b.x,b.y,b.width,b.height],v=home.slice(),drag=null;
function apply(){svg.setAttribute('viewBox',v.join(' '));}
function zoom(f,cx,cy){var r=box.getBoundingClientRect();cx=cx==null?.5:cx;cy=cy==null?.5:cy;var nw=v[2]*f,nh=v[3]*f;v=[v[0]+(v[2]-nw)*cx,v[1]+(v[3]-nh)*cy,nw,nh];apply();}
box.addEventListener('wheel',function(e){e.preventDefault();var r=box.getBoundingClientRect();zoom(e.deltaY>0?1.2:1/1.2,(e.clientX-r.left)/r.width,(e.clientY-r.top)/r.height);},{passive:false});
box.addEventListener('pointerdown',function(e){drag={x:e.clientX,y:e.clientY,v:v.slice()};box.classList.add('dragging');box.setPointerCapture(e.pointerId);});
box.addEventListener('pointermove',function(e){if(!drag)return;var r=box.getBoundingClientRect(),s=Math.max(v[2]/r.width,v[3]/r.height);v=[drag.v[0]-(e.clientX-drag.x)*s,drag.v[1]-(e.clientY-drag.y)*s,v[2],v[3]];apply();});
box.addEventListener('pointerup',function(){drag=null;box.classList.remove('dragging');});
document.querySelectorAll('[data-zoom]').forEach(function(btn){btn.addEventListener('click',function(){var k=btn.getAttribute('data-zoom');if(k==='in')zoom(1/1.2);else if(k==='out')zoom(1.2);else{v=home.slice();apply();}});});
})();
`;
