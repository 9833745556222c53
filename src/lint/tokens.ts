/**
 * A small SQL tokenizer for the dialects read without a parser (MySQL/MariaDB, SQLite): the
 * statements Knex and kiln send there are regular, and what is not recognised is reported as
 * such, never guessed. Quoted names lose their quotes; strings keep theirs.
 */
export interface Token {
  readonly text: string;
  /** Upper-cased keyword or bare word; the name itself for a quoted identifier. */
  readonly word: string;
  readonly quoted: boolean;
}

const TOKEN_RE = /\s+|--[^\n]*|\/\*[\s\S]*?\*\/|`(?:[^`]|``)*`|"(?:[^"]|"")*"|\[[^\]]*\]|'(?:[^'\\]|\\.|'')*'|[A-Za-z_][\w$]*|\d+(?:\.\d+)?|[(),;.=]|[^\s]/g;

export function tokenize(sql: string): Token[] {
  const out: Token[] = [];
  for (const m of sql.matchAll(TOKEN_RE)) {
    const t = m[0];
    if (/^\s/.test(t) || t.startsWith('--') || t.startsWith('/*')) continue;
    const q = t[0];
    if (q === '`' || q === '"' || q === '[') {
      const inner = q === '[' ? t.slice(1, -1) : t.slice(1, -1).split(q + q).join(q);
      out.push({ text: t, word: inner, quoted: true });
    } else out.push({ text: t, word: /^[A-Za-z_]/.test(t) ? t.toUpperCase() : t, quoted: false });
  }
  return out;
}

/** Splits at commas outside parentheses (ALTER TABLE's clauses, a column list). */
export function splitTopLevel(tokens: readonly Token[], on = ','): Token[][] {
  const parts: Token[][] = [[]];
  let depth = 0;
  for (const t of tokens) {
    if (t.text === '(') depth++;
    if (t.text === ')') depth--;
    if (depth === 0 && !t.quoted && t.text === on) parts.push([]);
    else parts[parts.length - 1].push(t);
  }
  return parts.filter((p) => p.length > 0);
}

/** Whether the words at `at` are `words` (unquoted keywords). */
export function isAt(tokens: readonly Token[], at: number, ...words: string[]): boolean {
  return words.every((w, i) => tokens[at + i] !== undefined && !tokens[at + i].quoted && tokens[at + i].word === w);
}

/** The name at `at`, skipping a `schema.` qualifier: [name, index after it]. */
export function nameAt(tokens: readonly Token[], at: number): [string, number] {
  let i = at;
  if (tokens[i + 1]?.text === '.') i += 2;
  const t = tokens[i];
  return [t === undefined ? '' : t.quoted ? t.word : t.text, i + 1];
}
