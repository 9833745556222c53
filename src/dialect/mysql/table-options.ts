import type { Unmanaged } from '../../schema/types';

/**
 * MySQL/MariaDB table options the models cannot say: a storage engine other than the server's
 * default, a default collation (and so character set) other than the one kiln's tables get.
 * Read at the boundary (./introspect.ts) into Unmanaged entries of kind 'table option', whose
 * SQL is the clause (`ENGINE=MyISAM`, `DEFAULT CHARSET=latin1 COLLATE=latin1_swedish_ci`); a
 * table re-created from the database (a baseline, a down()) restates them in its CREATE TABLE,
 * so its columns get the table's character set as the original's did.
 */

/** The database's defaults a table is compared with, as read alongside its options. */
export interface TableOptionRow {
  readonly engine: string | null;
  readonly collation: string | null;
  /** @@default_storage_engine. */
  readonly default_engine: string | null;
  /**
   * The collation a table kiln creates gets: utf8mb4's default (kiln's connection sets utf8mb4,
   * which knex writes as the table's `default character set`).
   */
  readonly kiln_collation: string | null;
  /** MariaDB 11.2+'s @@character_set_collations (`utf8mb4=utf8mb4_uca1400_ai_ci,...`); null elsewhere. */
  readonly charset_collations?: string | null;
}

/** The collation a table kiln creates (`DEFAULT CHARACTER SET utf8mb4`) gets on this server. */
export function kilnCollation(row: TableOptionRow): string | null {
  const mapped = (row.charset_collations ?? '')
    .split(',')
    .map((pair) => pair.trim().split('='))
    .find(([charset, collation]) => charset.toLowerCase() === 'utf8mb4' && collation);
  return mapped ? mapped[1] : row.kiln_collation;
}

/** The character set a collation belongs to: its name up to the first '_' ('binary' is its own). */
export const charsetOf = (collation: string): string => collation.split('_')[0];

/** The table's options that differ from what a table kiln creates gets, as Unmanaged entries. */
export function tableOptionEntries(row: TableOptionRow): Unmanaged[] {
  const out: Unmanaged[] = [];
  if (row.engine && row.default_engine && row.engine.toLowerCase() !== row.default_engine.toLowerCase()) {
    out.push({ kind: 'table option', name: `ENGINE=${row.engine}`, sql: `ENGINE=${row.engine}` });
  }
  const kiln = kilnCollation(row);
  if (row.collation && kiln && row.collation.toLowerCase() !== kiln.toLowerCase()) {
    const clause = `DEFAULT CHARSET=${charsetOf(row.collation)} COLLATE=${row.collation}`;
    out.push({ kind: 'table option', name: clause, sql: clause });
  }
  return out;
}

const ENGINE = /^ENGINE=(\w+)$/;
const COLLATE = /^DEFAULT CHARSET=(\w+) COLLATE=(\w+)$/;

/** knex's createTable builder calls restating one entry's clause (as tableOptionEntries writes it). */
export function mysqlTableOptionCalls(sql: string): string[] {
  const engine = ENGINE.exec(sql);
  if (engine) return [`t.engine('${engine[1]}')`];
  const collate = COLLATE.exec(sql);
  if (collate) return [`t.charset('${collate[1]}')`, `t.collate('${collate[2]}')`];
  throw new Error(`kiln bug: MySQL table option '${sql}' has no builder call`);
}
