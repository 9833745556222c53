import { KilnError } from '../../errors';
import type { Operation } from '../../ops/types';
import type { Schema, Unmanaged } from '../../schema/types';

/**
 * MySQL/MariaDB column clauses kiln's models cannot say: `ON UPDATE CURRENT_TIMESTAMP` and
 * `INVISIBLE` (issue 11 item 7), and `ZEROFILL` (a display attribute, deprecated by MySQL 8.0.17
 * but kept by MariaDB; the column's type and sign are said as usual) and `UNSIGNED` on a decimal
 * or float (deprecated alike; models sign integers only). Read from
 * information_schema.COLUMNS (EXTRA; COLUMN_TYPE for ZEROFILL and UNSIGNED) by the columns query; each is a Table.unmanaged entry of kind 'column option' whose statement restates the
 * whole column (`ALTER TABLE ... MODIFY ...` from COLUMN_TYPE, nullability, default, collation,
 * the clause and comment), run by the down() that re-creates a dropped table. A generated
 * migration that would restate or drop such a column (MODIFY, DROP COLUMN) is refused
 * (refuseColumnOptions): knex's MODIFY would silently drop the clause.
 */
export interface ColumnOptionRow {
  readonly column_name: string;
  readonly column_type: string;
  readonly is_nullable: string;
  readonly column_default: string | null;
  readonly extra: string;
  readonly collation: string | null;
  readonly comment: string | null;
}

export const COLUMN_OPTION = 'column option';

const CLAUSES = /\b(on update current_timestamp(?:\(\d*\))?|invisible)\b/gi;

const ident = (name: string) => `\`${name.replace(/`/g, '``')}\``;
const str = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;

/** The clauses of EXTRA kiln cannot say, upper case ('ON UPDATE CURRENT_TIMESTAMP', 'INVISIBLE'). */
export function unsaidClauses(extra: string, columnType = ''): string[] {
  const clauses = [...extra.matchAll(CLAUSES)].map((m) => m[1].toUpperCase().replace(/\s+/g, ' '));
  if (/\bzerofill\b/i.test(columnType)) return ['ZEROFILL', ...clauses];
  // A decimal or float may be UNSIGNED too (deprecated by MySQL 8.0.17): kiln's models sign integers only.
  return /^(decimal|numeric|float|double|real)\b.*\bunsigned\b/i.test(columnType) ? ['UNSIGNED', ...clauses] : clauses;
}

function defaultClause(r: ColumnOptionRow, mariadb: boolean): string {
  const d = r.column_default;
  if (d === null || /^null$/i.test(d)) return r.is_nullable.toUpperCase() === 'YES' ? ' DEFAULT NULL' : '';
  if (mariadb) return ` DEFAULT ${d}`;
  if (/^current_timestamp(\(\d*\))?$/i.test(d)) return ` DEFAULT ${d}`;
  return /\bDEFAULT_GENERATED\b/i.test(r.extra) ? ` DEFAULT (${d})` : ` DEFAULT ${str(d)}`;
}

/** The column's option entries (none when EXTRA has no such clause). */
export function columnOptions(table: string, r: ColumnOptionRow, mariadb: boolean): Unmanaged[] {
  const clauses = unsaidClauses(r.extra, r.column_type);
  if (!clauses.length || /\b(virtual|stored|persistent) generated\b/i.test(r.extra)) return [];
  const autoIncrement = /\bauto_increment\b/i.test(r.extra);
  const sql =
    `ALTER TABLE ${ident(table)} MODIFY ${ident(r.column_name)} ${r.column_type}` +
    (r.collation ? ` COLLATE ${r.collation}` : '') +
    (r.is_nullable.toUpperCase() === 'YES' ? ' NULL' : ' NOT NULL') +
    (autoIncrement ? ' AUTO_INCREMENT' : defaultClause(r, mariadb)) +
    clauses.filter((c) => c !== 'ZEROFILL' && c !== 'UNSIGNED').map((c) => ` ${c}`).join('') +
    (r.comment ? ` COMMENT ${str(r.comment)}` : '');
  return [{ kind: COLUMN_OPTION, name: `${r.column_name} ${clauses.join(' ')}`, sql }];
}

/**
 * Refuses an op that would restate (MODIFY) or drop a column holding such a clause: its MODIFY,
 * or the down() re-adding it, would lose the clause without a word.
 */
export function refuseColumnOptions(ops: readonly Operation[], from: Schema): void {
  for (const op of ops) {
    if (op.kind !== 'alterColumn' && op.kind !== 'dropColumn') continue;
    const column = op.kind === 'alterColumn' ? op.from.name : op.column.name;
    const table = from.tables.find((t) => t.name === op.table);
    const found = (table?.unmanaged ?? []).find((u) => u.kind === COLUMN_OPTION && u.name.startsWith(`${column} `) && /^[A-Z_ ]+$/.test(u.name.slice(column.length + 1)));
    if (!found) continue;
    const clause = found.name.slice(column.length + 1);
    throw new KilnError('MODEL', `column '${op.table}.${column}' has ${clause}, which kiln's models cannot say: a generated ${op.kind === 'alterColumn' ? 'MODIFY' : 'DROP COLUMN (its down() re-adding the column)'} would lose it`, {
      hint: `write this change by hand (ALTER TABLE ... MODIFY ... ${clause}), or leave the column as it is in the models`,
    });
  }
}
