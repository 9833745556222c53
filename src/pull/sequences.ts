/**
 * `kiln db pull` for standalone sequences (PostgreSQL and MariaDB, issue 12 item 4 and issue 13):
 * one file per sequence under `sequences/` of the models folder (`sequences/invoice-number.ts`
 * for `invoice_number`), declaring it with `sequence()` and the options that differ from the
 * database's defaults (its dialect's `sequences.said`). Pure: no database, no files.
 */
import { dialectOf } from '../dialect/registry';
import type { DialectName } from '../dialect/types';
import { KilnError } from '../errors';
import { checkIdentifier } from '../model/checks';
import { compileSequence, sequence } from '../model/sequence';
import { sequencesForDialect } from '../dialect/project';
import { blockCommentLines, lit } from '../render/literal';
import { saidOptions } from '../schema/sequence';
import type { Sequence } from '../schema/types';
import { camelCase, kebabCase, uniqueIdentifier, uniqueName } from './names';

export interface PulledSequence {
  readonly path: string;
  readonly source: string;
  readonly sequence: string;
  readonly exportName: string;
}

/** The sequences the model language can say (their names and options pass its checks), as files; `exports` as renderViews. */
export function renderSequences(sequences: readonly Sequence[], exports: Set<string>, dialect: DialectName): PulledSequence[] {
  const files = new Set<string>();
  return [...sequences]
    .filter((s) => problemOf(s, dialect) === undefined)
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((s) => {
      const exportName = uniqueIdentifier(camelCase(s.name) || 'sequence', exports, 'Sequence');
      const file = `sequences/${uniqueName(kebabCase(s.name) || 'sequence', files)}.ts`;
      return { path: file, source: renderSequence(s, dialect, exportName), sequence: s.name, exportName };
    });
}

/** A sequence left out (a name or an option the models refuse), one line each: it stays unmanaged. */
export function sequenceNotes(sequences: readonly Sequence[], dialect: DialectName): string[] {
  return sequences.flatMap((s) => {
    const problem = problemOf(s, dialect);
    return problem === undefined ? [] : [`sequence ${lit(s.name)} is not pulled (${problem}); 'kiln db check' lists it as unmanaged and migrations leave it alone`];
  });
}

/**
 * Why the models cannot say `s`, or undefined: its name, or the options its file would say
 * compiled as `sequence()` compiles them (MariaDB allows INCREMENT BY 0, the server's
 * auto_increment_increment; the model language does not).
 */
function problemOf(s: Sequence, dialect: DialectName): string | undefined {
  try {
    checkIdentifier('sequence', 'its name', s.name);
  } catch (e) {
    return e instanceof KilnError ? e.message.replace(/^sequence: /, '') : String(e);
  }
  try {
    const options = Object.fromEntries(saidOf(dialect)(s).map((k) => [k, s[k]]));
    sequencesForDialect([compileSequence(sequence(s.name, options))], dialect);
    return undefined;
  } catch (e) {
    if (!(e instanceof KilnError)) return String(e);
    const prefix = `sequence '${s.name}': `;
    return e.message.startsWith(prefix) ? e.message.slice(prefix.length) : e.message;
  }
}

const saidOf = (dialect: DialectName) => dialectOf(dialect).generation.sequences?.said ?? saidOptions;

function renderSequence(s: Sequence, dialect: DialectName, exportName: string): string {
  const options = saidOf(dialect)(s).map((k) => `${k}: ${optionSource(s[k])}`);
  return [
    '/**',
    ...blockCommentLines(`Sequence ${lit(s.name)}, pulled from the database by \`kiln db pull\`.`).map((l) => ` * ${l}`),
    ' */',
    "import { sequence } from 'kiln';",
    '',
    `export const ${exportName} = sequence(${lit(s.name)}${options.length ? `, { ${options.join(', ')} }` : ''});`,
    '',
  ].join('\n');
}

/** A number where JavaScript holds it exactly, else its digits as a string; `as` quoted. */
export function optionSource(value: string | boolean): string {
  if (typeof value === 'boolean') return String(value);
  if (/^-?\d+$/.test(value) && Number.isSafeInteger(Number(value))) return value;
  return lit(value);
}
