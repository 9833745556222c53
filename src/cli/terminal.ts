/**
 * Text from the database (table, column, index names), from migration files or from errors
 * reaches a person's terminal only through this: control characters (C0 but tab, DEL, C1),
 * line and paragraph separators, and bidirectional overrides are shown as escapes
 * (`\x1b`, `\n`, `\u202e`), so a name cannot clear the screen, retitle the window, move the
 * cursor over a warning or make text read differently from what it is. JSON output needs
 * nothing: JSON.stringify escapes them already.
 */
// eslint-disable-next-line no-control-regex -- control characters are exactly what is matched
const UNSAFE = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/g;

const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r' };

export function escapeForTerminal(text: string): string {
  return text.replace(UNSAFE, (c) => {
    if (NAMED[c]) return NAMED[c];
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}
