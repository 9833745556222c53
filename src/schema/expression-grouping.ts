/**
 * Grouping parentheses that change nothing, removed by operator precedence, so that an
 * expression and the fully parenthesised form a database prints back (PostgreSQL and MySQL
 * print `a + b * c` as `(a + (b * c))`) share one key, while `(a + b) * c` keeps its
 * parentheses and stays a different expression. Used for generated columns, whose change must
 * not go unseen; where a token's role is unclear the parentheses are kept (a difference is
 * then reported rather than hidden).
 */
import type { Token } from './expression';

interface Group {
  readonly group: true;
  readonly call: boolean;
  readonly items: readonly Item[];
}
type Item = Token | Group;

/** PostgreSQL's binary operator precedence, lowest first (a sound order for MySQL too). */
const BINARY: Readonly<Record<string, number>> = {
  or: 1,
  and: 2,
  is: 4,
  '=': 5, '<>': 5, '!=': 5, '<': 5, '>': 5, '<=': 5, '>=': 5,
  like: 6, ilike: 6, in: 6, between: 6, similar: 6, '~~': 6, '!~~': 6, '~~*': 6, '!~~*': 6,
  '||': 7,
  '+': 8, '-': 8,
  '*': 9, '/': 9, '%': 9,
  '^': 10,
};
/** Words after which a group starts a clause, not an operand's call (`when (a = b) then`). */
const CLAUSE = new Set(['when', 'then', 'else', 'case', 'where', 'distinct']);
const PREFIX = 11;
const ATOM = Infinity;

const isGroup = (i: Item | undefined): i is Group => i !== undefined && 'group' in i;
const text = (i: Item | undefined): string | undefined => (i === undefined || isGroup(i) || i.kind === 'string' ? undefined : i.text);
const isOperand = (i: Item | undefined): boolean => isGroup(i) || (i !== undefined && i.kind !== 'op' && BINARY[i.text] === undefined && i.text !== 'not');

/** Tokens (casts already dropped) with grouping parentheses that precedence makes redundant removed. */
export function dropRedundantGrouping(tokens: readonly Token[], callBefore: (prev: Token | undefined) => boolean): Token[] {
  const [items] = nest(tokens, 0, callBefore);
  return flatten(simplify(items));
}

function nest(tokens: readonly Token[], start: number, callBefore: (prev: Token | undefined) => boolean): [Item[], number] {
  const items: Item[] = [];
  let i = start;
  for (; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.kind === 'op' && t.text === ')') return [items, i];
    if (t.kind === 'op' && t.text === '(') {
      const prev = items[items.length - 1];
      const [inner, end] = nest(tokens, i + 1, callBefore);
      items.push({ group: true, call: !isGroup(prev) && callBefore(prev), items: inner });
      i = end;
      continue;
    }
    items.push(t);
  }
  return [items, i];
}

function simplify(items: readonly Item[]): Item[] {
  const out: Item[] = [];
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (!isGroup(item)) {
      out.push(item);
      continue;
    }
    let inner = simplify(item.items);
    while (!item.call && inner.length === 1 && isGroup(inner[0]) && !inner[0].call) inner = [...inner[0].items];
    if (!item.call && redundant(inner, out, items[i + 1])) out.push(...inner);
    else out.push({ ...item, items: inner });
  }
  return out;
}

/** Whether `( inner )` may go, given what stands before it (`out`) and the item after it. */
function redundant(inner: readonly Item[], before: readonly Item[], after: Item | undefined): boolean {
  const own = lowestBinary(inner);
  if (own === null) return false;
  if (own === ATOM) return true;
  const left = leftBinding(before);
  const right = rightBinding(after);
  return left !== null && right !== null && own > left && own >= right;
}

/** The lowest precedence of a binary operator at the top of `items`; ATOM if none; null if unsure. */
function lowestBinary(items: readonly Item[]): number | null {
  let lowest = ATOM;
  for (let i = 0; i < items.length; i++) {
    const t = text(items[i]);
    if (t === ',' || t === 'case' || t === 'not') return null;
    const p = t === undefined ? undefined : BINARY[t];
    if (p === undefined) continue;
    if (!isOperand(items[i - 1])) {
      if (t !== '-' && t !== '+') return null;
      continue; // a sign
    }
    lowest = Math.min(lowest, p);
  }
  return lowest;
}

function leftBinding(before: readonly Item[]): number | null {
  const prev = before[before.length - 1];
  if (prev === undefined) return 0;
  const t = text(prev);
  if (t === ',' || (t !== undefined && CLAUSE.has(t))) return 0;
  if (t === 'not') return 3;
  if (t === undefined || BINARY[t] === undefined) return null;
  return isOperand(before[before.length - 2]) ? BINARY[t] : PREFIX;
}

function rightBinding(after: Item | undefined): number | null {
  if (after === undefined) return 0;
  const t = text(after);
  if (t === ',' || t === 'then' || t === 'else' || t === 'end' || t === 'when') return 0;
  if (t === 'not') return 6; // `not like`, `not in`, `not between`
  return t === undefined || BINARY[t] === undefined ? null : BINARY[t];
}

function flatten(items: readonly Item[]): Token[] {
  const out: Token[] = [];
  for (const item of items) {
    if (!isGroup(item)) out.push(item);
    else out.push({ kind: 'op', text: '(' }, ...flatten(item.items), { kind: 'op', text: ')' });
  }
  return out;
}
