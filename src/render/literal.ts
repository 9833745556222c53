/**
 * Escaping for everything a renderer puts into generated source. Names, comments and default
 * values come from models and databases: they are always rendered through these helpers,
 * never spliced, so no name can end a string, a comment or the file, or inject code.
 */

/** A single-quoted JavaScript string literal whose value is exactly `s`. */
export function lit(s: string): string {
  let out = "'";
  for (let i = 0; i < s.length; i++) out += escapeChar(s, i);
  return `${out}'`;
}

function escapeChar(s: string, i: number): string {
  const ch = s[i];
  const code = s.charCodeAt(i);
  switch (ch) {
    case '\\':
      return '\\\\';
    case "'":
      return "\\'";
    case '\n':
      return '\\n';
    case '\r':
      return '\\r';
    case '\t':
      return '\\t';
    case '$':
      return s[i + 1] === '{' ? '\\$' : '$';
    default:
      break;
  }
  if (code < 0x20 || (code >= 0x7f && code <= 0x9f) || code === 0x2028 || code === 0x2029 || code === 0xfeff || BIDI.test(ch)) {
    return unicodeEscape(code);
  }
  if (code >= 0xd800 && code <= 0xdbff) {
    const next = s.charCodeAt(i + 1);
    // A valid pair is emitted by the low half's turn; a lone high surrogate is escaped.
    return next >= 0xdc00 && next <= 0xdfff ? ch : unicodeEscape(code);
  }
  if (code >= 0xdc00 && code <= 0xdfff) {
    const prev = s.charCodeAt(i - 1);
    return prev >= 0xd800 && prev <= 0xdbff ? ch : unicodeEscape(code);
  }
  return ch;
}

/**
 * A template literal for a multi-line text (a view's SELECT as the database prints it): line
 * breaks stay as they are, every other character is escaped as in lit(), and so are `` ` `` and `${`.
 */
export function templateLit(s: string): string {
  let out = '`';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (ch === '\n' || ch === "'") out += ch;
    else if (ch === '`') out += '\\`';
    else out += escapeChar(s, i);
  }
  return `${out}\``;
}

/** Bidirectional controls: they make source read differently from what it is ("Trojan Source"). */
const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

function unicodeEscape(code: number): string {
  return `\\u${code.toString(16).padStart(4, '0')}`;
}

/** `['a', 'b']` */
export function litList(items: readonly string[]): string {
  return `[${items.map(lit).join(', ')}]`;
}

/** A JavaScript literal for a column default value. */
export function litValue(value: string | number | boolean): string {
  if (typeof value === 'string') return lit(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (!Number.isFinite(value)) return lit(String(value));
  return Object.is(value, -0) ? '0' : String(value);
}

/**
 * Text safe inside a `//` comment: line terminators and other control characters are shown
 * escaped, so the comment stays on its one line.
 */
export function commentText(s: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is escaped
  return s.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\ufeff\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (c) => unicodeEscape(c.charCodeAt(0)).replace('\\u000a', '\\n'));
}

/**
 * Lines safe inside a `/* ... *\/` block comment: split on every line terminator, control
 * characters escaped, and `*\/` broken so it cannot close the comment.
 */
export function blockCommentLines(s: string): string[] {
  return s.split(/\r\n|[\n\r\u2028\u2029]/).map((line) => commentText(line).replace(/\*\//g, '*\\/'));
}
