/**
 * `kiln db pull` for triggers: one file per trigger under `triggers/` of the models folder
 * (`triggers/account-audit.ts` for trigger `account_audit`), declaring it with `trigger()` and
 * the pulled database's body (and condition) as the database gives them back: what `db check`
 * compares them with. The body is this database's only: compiling the models for another one
 * refuses the trigger by name until a body is added for it. Pure: no database, no files.
 */
import type { DialectName } from '../dialect/types';
import { triggerSqlProblem } from '../model/trigger';
import { blockCommentLines, lit, litList, templateLit } from '../render/literal';
import type { Trigger } from '../schema/types';
import { camelCase, kebabCase, uniqueIdentifier, uniqueName } from './names';

export interface PulledTrigger {
  readonly path: string;
  readonly source: string;
  readonly trigger: string;
  readonly exportName: string;
}

/** Why a model cannot say the database's trigger, or undefined. */
function problem(t: Trigger): string | undefined {
  if (t.unsayable) return t.unsayable;
  if (triggerSqlProblem(t.body) || (t.when !== undefined && triggerSqlProblem(t.when))) return "its body or condition holds a '?', which a model's trigger cannot say";
  return undefined;
}

/** The triggers the model language can say, as files (`exports`: the names the other pulled files took). */
export function renderTriggers(triggers: readonly Trigger[], dialect: DialectName, exports: Set<string>): PulledTrigger[] {
  const files = new Set<string>();
  return [...triggers]
    .filter((t) => problem(t) === undefined)
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((t) => {
      const exportName = uniqueIdentifier(camelCase(t.name) || 'trigger', exports, 'Trigger');
      const file = `triggers/${uniqueName(kebabCase(t.name) || 'trigger', files)}.ts`;
      return { path: file, source: renderTrigger(t, dialect, exportName), trigger: t.name, exportName };
    });
}

/** What the models cannot say about the database's triggers, one line each (the trigger stays the database's, unmanaged). */
export function triggerNotes(triggers: readonly Trigger[]): string[] {
  return triggers.flatMap((t) => {
    const why = problem(t);
    return why ? [`trigger ${lit(t.name)} on ${lit(t.table)} is not pulled: ${why}; 'kiln db check' lists it as unmanaged and migrations leave it alone`] : [];
  });
}

function renderTrigger(t: Trigger, dialect: DialectName, exportName: string): string {
  const fields = [
    `table: ${lit(t.table)}`,
    `timing: ${lit(t.timing)}`,
    `events: ${litList(t.events)}`,
    ...(t.of ? [`of: ${litList(t.of)}`] : []),
    ...(t.forEach !== 'row' ? [`forEach: ${lit(t.forEach)}`] : []),
    ...(t.when !== undefined ? [`when: { ${dialect}: ${templateLit(t.when)} }`] : []),
    `body: { ${dialect}: ${templateLit(t.body.trim())} }`,
    ...(t.function !== undefined && t.function !== `${t.name}_fn` ? [`function: ${lit(t.function)}`] : []),
  ];
  return [
    '/**',
    ...blockCommentLines(`Trigger ${lit(t.name)} on ${lit(t.table)}, pulled from the database by \`kiln db pull\` (its ${dialect} body as the database stores it).`).map((l) => ` * ${l}`),
    ' */',
    "import { trigger } from 'kiln';",
    '',
    `export const ${exportName} = trigger(${lit(t.name)}, {`,
    ...fields.map((f) => `  ${f},`),
    '});',
    '',
  ].join('\n');
}
