/**
 * A PostgreSQL string literal holding `text` exactly, fit for knex.raw (after the dialect's
 * rawText): quotes doubled; a text with a backslash is written as a Unicode escape string
 * (`U&'a\005C?b'`), so that no backslash stands right before a '?' (knex would drop it).
 */
export function pgStringLiteral(text: string): string {
  const quoted = text.replace(/'/g, "''");
  return text.includes('\\') ? `U&'${quoted.replace(/\\/g, '\\005C')}'` : `'${quoted}'`;
}
