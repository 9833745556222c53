/**
 * The canonical, dialect-free schema. Everything between introspection/model on one side and
 * rendering on the other speaks only this. Plain, frozen data: no classes, no methods.
 *
 * Normal forms (both the model compiler and every introspector must produce exactly these):
 * - `length` is set only for `string` columns (default 255), null otherwise.
 * - `unsigned` is true only on MySQL/MariaDB integer columns that are unsigned; false elsewhere.
 * - `autoIncrement` is true only for a lone integer primary key column.
 * - `default` is null (no default) or a {@link ColumnDefault}; literal values are typed by the
 *   column's type (number for integer/bigint/float, boolean for boolean, string otherwise).
 * - Foreign key actions are upper case; absence of a rule is 'NO ACTION'.
 * - Constraint/index names follow {@link ./naming} unless the database says otherwise; the diff
 *   matches indexes, uniques and foreign keys by their *signature*, never by name.
 */

export const COLUMN_TYPES = [
  'integer',
  'bigint',
  'string',
  'text',
  'date',
  'time',
  'datetime',
  'interval',
  'float',
  'boolean',
  'json',
  'binary',
] as const;

export type ColumnType = (typeof COLUMN_TYPES)[number];

export type ColumnDefault =
  | { readonly kind: 'literal'; readonly value: string | number | boolean }
  /** A SQL expression such as CURRENT_TIMESTAMP, kept verbatim (upper-cased keywords). */
  | { readonly kind: 'expression'; readonly sql: string };

export interface Column {
  readonly name: string;
  readonly type: ColumnType;
  readonly length: number | null;
  readonly nullable: boolean;
  readonly default: ColumnDefault | null;
  readonly autoIncrement: boolean;
  readonly unsigned: boolean;
}

export type ReferentialAction = 'NO ACTION' | 'CASCADE' | 'SET NULL' | 'RESTRICT' | 'SET DEFAULT';

export const REFERENTIAL_ACTIONS: readonly ReferentialAction[] = [
  'NO ACTION',
  'CASCADE',
  'SET NULL',
  'RESTRICT',
  'SET DEFAULT',
];

export interface Index {
  readonly name: string;
  readonly columns: readonly string[];
}

export interface Unique {
  readonly name: string;
  readonly columns: readonly string[];
  /**
   * True only on SQLite, for a UNIQUE constraint written inside CREATE TABLE: it lives in a
   * `sqlite_autoindex_*` index that DROP INDEX refuses, so the SQLite planner rebuilds the
   * table to drop it. Absent everywhere else (models, PostgreSQL, MySQL); the diff ignores it
   * (uniques match by columns) and no renderer reads it.
   */
  readonly inline?: boolean;
}

export interface ForeignKey {
  readonly name: string;
  readonly columns: readonly string[];
  readonly refTable: string;
  readonly refColumns: readonly string[];
  readonly onDelete: ReferentialAction;
  readonly onUpdate: ReferentialAction;
}

export interface PrimaryKey {
  readonly name: string;
  readonly columns: readonly string[];
}

export interface Table {
  readonly name: string;
  /** In declaration (model) or ordinal (database) order. */
  readonly columns: readonly Column[];
  readonly primaryKey: PrimaryKey | null;
  /** Non-unique indexes. */
  readonly indexes: readonly Index[];
  /** Unique constraints and unique indexes alike. */
  readonly uniques: readonly Unique[];
  readonly foreignKeys: readonly ForeignKey[];
}

export interface Schema {
  /** Sorted by name. */
  readonly tables: readonly Table[];
}
