import { tokenize } from './expression';
import type { View } from './types';

/**
 * Everything compared about a view: its key, whether it is materialized, and a materialized
 * view's indexes (by name, columns and uniqueness).
 */
export function viewSignature(view: View): string {
  const indexes = (view.indexes ?? []).map((i) => i.sql ?? `${i.unique ? 'unique ' : ''}${i.name}(${i.columns.join(',')})`).sort();
  return [view.materialized ? 'materialized' : 'view', viewKey(view), ...indexes].join('\n');
}

/**
 * A view's comparison key: the tokens of its definition (the database's rendering of it when
 * known, see View.comparable) joined by one space, keywords and names lower case with their
 * quotes removed, a trailing ';' dropped. Textual: whitespace, case and quoting never make a
 * difference; anything else the database rewrote (PostgreSQL's pretty-printing, MySQL's
 * qualified names) is compared in the database's own rendering on both sides.
 */
export function viewKey(view: View): string {
  const tokens = tokenize(view.comparable ?? view.definition);
  while (tokens.length && tokens[tokens.length - 1].text === ';') tokens.pop();
  return tokens.map((t) => t.text).join(' ');
}

/**
 * The tables and views a view reads, among `names`: those its `dependsOn` declares and those
 * its text names (a word token equal to the name, case-insensitively). Over-approximate by
 * design (a column named like a table counts): it only orders views and decides which are
 * re-created around a change.
 */
export function viewReads(view: View, names: Iterable<string>): string[] {
  const words = new Set(tokenize(view.comparable ?? view.definition).filter((t) => t.kind === 'word').map((t) => t.text));
  const out = new Set<string>(view.dependsOn);
  for (const name of names) if (name !== view.name && words.has(name.toLowerCase())) out.add(name);
  out.delete(view.name);
  return [...out].sort();
}
