import { escapeHtml as h } from '../graph/escape';
import { columnTypeText } from '../graph/model';
import type { Column, ColumnDefault, ForeignKey, Schema, Table } from '../schema/types';

/** One `<section>` per table: columns, indexes, constraints, outgoing and incoming keys. Every name escaped. */
export function tableSections(schema: Schema): string {
  const incoming = new Map<string, { from: string; fk: ForeignKey }[]>();
  for (const t of schema.tables) {
    for (const fk of t.foreignKeys) {
      const list = incoming.get(fk.refTable) ?? [];
      list.push({ from: t.name, fk });
      incoming.set(fk.refTable, list);
    }
  }
  const anchors = new Map(schema.tables.map((t, i) => [t.name, `table-${i + 1}`]));
  return schema.tables.map((t) => tableSection(t, anchors, incoming.get(t.name) ?? [])).join('\n');
}

function link(anchors: ReadonlyMap<string, string>, table: string): string {
  const id = anchors.get(table);
  return id ? `<a href="#${id}">${h(table)}</a>` : h(table);
}

function defaultText(d: ColumnDefault | null): string {
  if (d === null) return '';
  return d.kind === 'expression' ? d.sql : JSON.stringify(d.value);
}

function columnRow(t: Table, c: Column): string {
  const keys = [
    t.primaryKey?.columns.includes(c.name) && 'PK',
    t.foreignKeys.some((k) => k.columns.includes(c.name)) && 'FK',
    t.uniques.some((u) => u.columns.length === 1 && u.columns[0] === c.name) && 'UK',
    c.autoIncrement && 'auto',
  ].filter(Boolean);
  return `<tr><td class="name">${h(c.name)}</td><td>${h(columnTypeText(c))}</td><td>${c.nullable ? 'yes' : 'no'}</td><td><code>${h(defaultText(c.default))}</code></td><td>${keys.join(' ')}</td></tr>`;
}

function list(title: string, items: string[]): string {
  if (!items.length) return '';
  return `<h4>${title}</h4><ul>${items.map((i) => `<li>${i}</li>`).join('')}</ul>`;
}

const cols = (names: readonly string[]) => names.map(h).join(', ');

function tableSection(t: Table, anchors: ReadonlyMap<string, string>, incoming: { from: string; fk: ForeignKey }[]): string {
  const indexes = t.indexes.map((i) => `${h(i.name)} (${i.expression ? `<code>${h(i.expression)}</code>` : cols(i.columns)})${i.where ? ` where <code>${h(i.where)}</code>` : ''}`);
  const constraints = [
    ...(t.primaryKey ? [`primary key ${h(t.primaryKey.name)} (${cols(t.primaryKey.columns)})`] : []),
    ...t.uniques.map((u) => `unique ${h(u.name)} (${cols(u.columns)})`),
    ...(t.checks ?? []).map((c) => `check ${h(c.name)} <code>${h(c.expression)}</code>`),
    ...(t.unmanaged ?? []).map((u) => `${h(u.kind)} ${h(u.name)} (not managed by kiln)`),
  ];
  const out = t.foreignKeys.map(
    (k) => `(${cols(k.columns)}) &rarr; ${link(anchors, k.refTable)} (${cols(k.refColumns)}), on delete ${k.onDelete}, on update ${k.onUpdate} <span class="muted">${h(k.name)}</span>`,
  );
  const inc = incoming.map(({ from, fk }) => `${link(anchors, from)} (${cols(fk.columns)}) &rarr; (${cols(fk.refColumns)}) <span class="muted">${h(fk.name)}</span>`);
  return `<section class="table" id="${anchors.get(t.name)}" data-kind="table">
<h3>${h(t.name)}</h3>${t.comment ? `<p class="muted">${h(t.comment)}</p>` : ''}
<table class="columns"><thead><tr><th>column</th><th>type</th><th>nullable</th><th>default</th><th>keys</th></tr></thead>
<tbody>${t.columns.map((c) => columnRow(t, c)).join('')}</tbody></table>
${list('Indexes', indexes)}${list('Constraints', constraints)}${list('Foreign keys (outgoing)', out)}${list('Referenced by (incoming)', inc)}
</section>`;
}
