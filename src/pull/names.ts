/**
 * Names for generated model files: model names, export names, field keys, relationship
 * attributes, file names. Pure functions of the database's names; every result is either a
 * valid JavaScript identifier or goes through `lit()` where it is written.
 */
import { lit } from '../render/literal';

/** Names a generated file imports or that JavaScript reserves: never used for an export. */
const RESERVED = new Set([
  // kiln's names a model file may import
  'model', 'table', 'relationship', 'Integer', 'BigInteger', 'SmallInteger', 'TinyInteger', 'MediumInteger', 'String', 'Text', 'Char', 'Date', 'Time',
  'DateTime', 'Interval', 'Float', 'Double', 'Real', 'Numeric', 'Decimal', 'Boolean', 'JSON', 'Jsonb', 'Uuid',
  'LargeBinary', 'Binary', 'VarBinary', 'Enum', 'Array', 'Custom', 'PickleType', 'ForeignKey',
  // ... and the builders of the views', triggers' and sequences' files (src/pull/views.ts, ...)
  'view', 'trigger', 'sequence',
  // the names a CommonJS module is wrapped with: a model file declaring one does not load
  'module', 'exports', 'require', '__filename', '__dirname',
  // JavaScript's reserved words and globals a module cannot rebind
  'break', 'case', 'catch', 'class', 'const', 'continue', 'debugger', 'default', 'delete', 'do', 'else', 'enum',
  'export', 'extends', 'false', 'finally', 'for', 'function', 'if', 'import', 'in', 'instanceof', 'new', 'null',
  'return', 'super', 'switch', 'this', 'throw', 'true', 'try', 'typeof', 'var', 'void', 'while', 'with', 'yield',
  'let', 'static', 'implements', 'interface', 'package', 'private', 'protected', 'public', 'await', 'arguments',
  'eval', 'undefined', 'NaN', 'Infinity', 'Object', 'Function', 'Symbol', 'Error', 'Promise', 'Map', 'Set',
]);

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** The words of a name: split on anything not a letter or digit, and at lower-to-upper changes. */
export function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w !== '');
}

const cap = (w: string) => w.charAt(0).toUpperCase() + w.slice(1);

/** `invoice_line` -> `InvoiceLine`, `Album` -> `Album`, `Mixed Case` -> `MixedCase`. */
export function pascalCase(name: string): string {
  const out = words(name).map((w) => cap(w.toLowerCase() === w || w.toUpperCase() !== w ? w : w.toLowerCase())).join('');
  if (out === '') return 'Table';
  return /^[0-9]/.test(out) ? `T${out}` : out;
}

/** `InvoiceLine` -> `invoiceLine`; `HTTPRequest` -> `httpRequest`. */
export function camelCase(name: string): string {
  const parts = words(name);
  if (parts.length === 0) return 'item';
  const out = parts.map((w, i) => (i === 0 ? w.toLowerCase() : cap(w.toUpperCase() === w ? w.toLowerCase() : w))).join('');
  return /^[0-9]/.test(out) ? `n${out}` : out;
}

/** `track` -> `tracks`, `category` -> `categories`, `box` -> `boxes`; `books` (a plural table name) stays. */
export function plural(word: string): string {
  if (/[^su]s$/i.test(word)) return word;
  if (/[^aeiou]y$/i.test(word)) return `${word.slice(0, -1)}ies`;
  if (/(s|x|z|ch|sh)$/i.test(word)) return `${word}es`;
  return `${word}s`;
}

/** `InvoiceLine` -> `invoice-line` (a file name, lower case so case-insensitive disks agree). */
export function kebabCase(name: string): string {
  return words(name).map((w) => w.toLowerCase()).join('-') || 'table';
}

/** An identifier usable as an export or a model name, not yet in `taken` (then added to it). */
export function uniqueIdentifier(wanted: string, taken: Set<string>, suffix = 'Model'): string {
  let name = IDENTIFIER.test(wanted) && !RESERVED.has(wanted) ? wanted : `${wanted}${suffix}`;
  if (!IDENTIFIER.test(name)) name = suffix;
  let out = name;
  for (let i = 2; taken.has(out.toLowerCase()); i++) out = `${name}${i}`;
  taken.add(out.toLowerCase());
  return out;
}

/** `name` or `name2`, `name3`... : the first not in `taken` (compared exactly), then added. */
export function uniqueName(wanted: string, taken: Set<string>): string {
  let out = wanted;
  for (let i = 2; taken.has(out); i++) out = `${wanted}${i}`;
  taken.add(out);
  return out;
}

/**
 * An object-literal key for a field: bare when it is an identifier, else a quoted literal;
 * `__proto__` as a computed key (a plain `__proto__:` would set the prototype, not a field).
 */
export function propertyKey(name: string): string {
  if (name === '__proto__') return `[${lit(name)}]`;
  return IDENTIFIER.test(name) ? name : lit(name);
}
