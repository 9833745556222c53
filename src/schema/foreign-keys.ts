import type { ForeignKey } from './types';

/** What {@link looseReason} reads of a foreign key's target: a Table, or a model's table draft. */
export interface KeyHolder {
  readonly columns: readonly { readonly name: string }[];
  readonly primaryKey: { readonly columns: readonly string[] } | null;
  readonly uniques: readonly { readonly columns: readonly string[] }[];
}

/**
 * Why a foreign key is loose (ForeignKey.loose), or null when its target is a key: `target` is
 * the referenced table where the schema has it. One rule for the model compiler and the SQLite
 * introspector, so the two sides set the flag alike. The phrases finish "the target ...".
 */
export function looseReason(fk: Pick<ForeignKey, 'refTable' | 'refColumns'>, target: KeyHolder | undefined): string | null {
  if (!target) return `table '${fk.refTable}' does not exist`;
  const missing = fk.refColumns.find((c) => !target.columns.some((col) => col.name === c));
  if (missing !== undefined) return `column '${fk.refTable}.${missing}' does not exist`;
  const same = (cols: readonly string[]) => cols.length === fk.refColumns.length && cols.every((c) => fk.refColumns.includes(c));
  if (same(target.primaryKey?.columns ?? []) || target.uniques.some((u) => same(u.columns))) return null;
  return `'${fk.refTable}.${fk.refColumns.join(', ')}' is neither a primary key nor unique`;
}
