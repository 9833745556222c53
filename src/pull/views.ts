/**
 * `kiln db pull` for views: one file per view under `views/` of the models folder
 * (`views/rich-account.ts` for view `rich_account`), declaring it with `view()` and its SELECT as
 * the database stores it (PostgreSQL's pretty-printed text, MySQL's with the database's own name
 * removed, SQLite's as written): what `db check` compares it with. Pure: no database, no files.
 */
import { viewSqlProblem } from '../model/view';
import { blockCommentLines, lit, litList, templateLit } from '../render/literal';
import { indexName, uniqueName as uniqueIndexName } from '../schema/naming';
import type { View, ViewIndex } from '../schema/types';
import { camelCase, kebabCase, uniqueIdentifier, uniqueName } from './names';

export interface PulledView {
  readonly path: string;
  readonly source: string;
  readonly view: string;
  readonly exportName: string;
}

/**
 * The views the model language can say, as files; `exports` holds the export names the tables'
 * files took (each pulled file is evaluated in one scope by the pull's self-check, and a
 * folder's exports should not collide).
 */
export function renderViews(views: readonly View[], exports: Set<string>): PulledView[] {
  const files = new Set<string>();
  return [...views]
    .filter((v) => viewSqlProblem(v.definition) === undefined)
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((v) => {
      const exportName = uniqueIdentifier(camelCase(v.name) || 'view', exports, 'View');
      const file = `views/${uniqueName(kebabCase(v.name) || 'view', files)}.ts`;
      return { path: file, source: renderView(v, exportName), view: v.name, exportName };
    });
}

/** What the models cannot say about the database's views, one line each (the view is left to the database, unmanaged). */
export function viewNotes(views: readonly View[]): string[] {
  const notes: string[] = [];
  for (const v of views) {
    const problem = viewSqlProblem(v.definition);
    if (problem) {
      const what = problem === 'question-mark' ? "a '?'" : "a ';'";
      notes.push(`view ${lit(v.name)} is not pulled: its SELECT holds ${what}, which a model's view cannot say; 'kiln db check' lists it as unmanaged and migrations leave it alone`);
      continue;
    }
    for (const i of v.indexes ?? []) {
      if (i.sql !== undefined) notes.push(`index ${lit(i.name)} of materialized view ${lit(v.name)} is not declared: a model can only say plain btree indexes on plain columns; kiln keeps it as it is (compared and re-created by its statement)`);
    }
    for (const u of v.unmanaged ?? []) notes.push(`view ${lit(v.name)}: ${u} is not managed by kiln (kept as it is)`);
  }
  return notes;
}

function renderView(v: View, exportName: string): string {
  const options = viewOptions(v);
  const args = [lit(v.name), templateLit(v.definition.trim()), ...(options ? [options] : [])];
  return [
    '/**',
    ...blockCommentLines(`View ${lit(v.name)}, pulled from the database by \`kiln db pull\` (its SELECT as the database stores it).`).map((l) => ` * ${l}`),
    ' */',
    "import { view } from 'kiln';",
    '',
    `export const ${exportName} = view(`,
    ...args.map((a) => `  ${a},`),
    ');',
    '',
  ].join('\n');
}

function viewOptions(v: View): string | undefined {
  if (!v.materialized) return undefined;
  const indexes = (v.indexes ?? []).filter((i) => i.sql === undefined).map((i) => indexSource(v.name, i));
  return `{ materialized: true${indexes.length ? `, indexes: [${indexes.join(', ')}]` : ''} }`;
}

function indexSource(view: string, i: ViewIndex): string {
  const named = i.name === (i.unique ? uniqueIndexName(view, [...i.columns]) : indexName(view, [...i.columns]));
  return `{ columns: ${litList(i.columns)}${i.unique ? ', unique: true' : ''}${named ? '' : `, name: ${lit(i.name)}`} }`;
}
