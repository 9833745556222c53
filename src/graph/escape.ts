/**
 * Escaping of names (from the models or the database) for each drawing format. A name is first
 * made visible: control characters, line separators and bidirectional overrides become escapes
 * as text (`\x07`, `\n`, `\u202e`), so a name cannot break a line of DOT or Mermaid, nor read
 * differently from what it is; then it is escaped for the format it goes into.
 */
// eslint-disable-next-line no-control-regex -- control characters are exactly what is matched
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/g;

export function visibleText(text: string): string {
  return text.replace(UNSAFE, (c) => {
    if (c === '\n') return '\\n';
    if (c === '\r') return '\\r';
    if (c === '\t') return '\\t';
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

const HTML: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text for HTML, XML and Graphviz HTML-like labels: visible, then entity-escaped. */
export function escapeHtml(text: string): string {
  return visibleText(text).replace(/[&<>"']/g, (c) => HTML[c]);
}

/** A DOT double-quoted string (for attributes such as tooltip): visible, backslash and quote escaped. */
export function dotQuoted(text: string): string {
  return `"${visibleText(text).replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/**
 * Text inside a Mermaid double-quoted label: Mermaid has no backslash escape, it uses its own
 * entity codes (`#quot;`, `#lt;`, ...), and `#` itself starts one.
 */
export function mermaidQuoted(text: string): string {
  const codes: Record<string, string> = { '#': '#35;', '"': '#quot;', '<': '#lt;', '>': '#gt;', '&': '#amp;', '{': '#123;', '}': '#125;' };
  return `"${visibleText(text).replace(/[#"<>&{}]/g, (c) => codes[c])}"`;
}

/** A Mermaid identifier (entity, attribute name or type): the name itself when it is one, else `fallback`. */
export function mermaidIdentifier(text: string, fallback: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(text) ? text : fallback;
}
