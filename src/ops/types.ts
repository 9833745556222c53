import type { Check, Column, ColumnDefault, ForeignKey, Index, PrimaryKey, Sequence, Table, Trigger, Unique, View } from '../schema/types';

/** A column of a named enum type, with its default at the time the type changes. */
/** An enum value renamed in place: [old value, new value]; rows holding the old value keep their meaning. */
export type ValueRename = readonly [oldValue: string, newValue: string];

export interface EnumUse {
  readonly table: string;
  readonly column: string;
  readonly default: ColumnDefault | null;
}

/**
 * Operations as data. Every op that loses information carries the full prior definition, so
 * `reverseOp` is exact and `down` is the reversed list of reversed ops.
 */
export type Operation =
  | { readonly kind: 'createTable'; readonly table: Table }
  | { readonly kind: 'dropTable'; readonly table: Table }
  | { readonly kind: 'renameTable'; readonly from: string; readonly to: string }
  | { readonly kind: 'addColumn'; readonly table: string; readonly column: Column }
  | { readonly kind: 'dropColumn'; readonly table: string; readonly column: Column }
  /**
   * `renamedValues` (enum columns only, MySQL/MariaDB and SQLite): values renamed, so rows
   * holding an old value get the new one (MySQL: MODIFY to the union, UPDATE, MODIFY).
   */
  | {
      readonly kind: 'alterColumn';
      readonly table: string;
      readonly from: Column;
      readonly to: Column;
      readonly renamedValues?: readonly ValueRename[];
    }
  | { readonly kind: 'renameColumn'; readonly table: string; readonly from: string; readonly to: string }
  | { readonly kind: 'addIndex'; readonly table: string; readonly index: Index }
  | { readonly kind: 'dropIndex'; readonly table: string; readonly index: Index }
  | { readonly kind: 'addUnique'; readonly table: string; readonly unique: Unique }
  | { readonly kind: 'dropUnique'; readonly table: string; readonly unique: Unique }
  | { readonly kind: 'addForeignKey'; readonly table: string; readonly foreignKey: ForeignKey }
  | { readonly kind: 'dropForeignKey'; readonly table: string; readonly foreignKey: ForeignKey }
  | { readonly kind: 'addCheck'; readonly table: string; readonly check: Check }
  | { readonly kind: 'dropCheck'; readonly table: string; readonly check: Check }
  /** A table's comment set, changed or removed (absent: none). */
  | { readonly kind: 'alterTableComment'; readonly table: string; readonly from?: string; readonly to?: string }
  | {
      readonly kind: 'alterPrimaryKey';
      readonly table: string;
      readonly from: PrimaryKey | null;
      readonly to: PrimaryKey | null;
    }
  /**
   * Named enum types (PostgreSQL's CREATE TYPE ... AS ENUM): the diff derives them from the
   * columns whose `enum.name` is set, which only the PostgreSQL projection does.
   */
  | { readonly kind: 'createEnumType'; readonly name: string; readonly values: readonly string[] }
  /**
   * PostgreSQL domains the tables' columns use (`CREATE DOMAIN year AS integer CHECK (...)`): not
   * part of the models; only `db baseline` writes these, so that a fresh database has them
   * before the tables. `name` is the domain as PostgreSQL prints it (quoted where needed);
   * `sql` the CREATE DOMAIN statement read from the catalog.
   */
  | { readonly kind: 'createDomain'; readonly name: string; readonly sql: string }
  | { readonly kind: 'dropDomain'; readonly name: string; readonly sql: string }
  /**
   * PostgreSQL extensions the database has (citext, pg_trgm, uuid-ossp): not part of the
   * models; only `db baseline` writes these, first (after the schemas kiln manages, one of which
   * may hold an extension), so that a fresh database has the types, functions and operator
   * classes the tables use. `schema`: where its objects live;
   * `version`: the one the database has (absent: the server's default).
   */
  | { readonly kind: 'createExtension'; readonly name: string; readonly schema: string; readonly version?: string }
  | { readonly kind: 'dropExtension'; readonly name: string; readonly schema: string; readonly version?: string }
  | { readonly kind: 'dropEnumType'; readonly name: string; readonly values: readonly string[] }
  /**
   * The values of a named enum type change. `method` 'add': the new values are inserted in
   * place (ALTER TYPE ... ADD VALUE); 'swap': a new type replaces the old one in every column
   * of `columns` (CREATE TYPE, ALTER COLUMN ... TYPE ... USING col::text::type, DROP TYPE),
   * after a guard that refuses if a row holds a removed value. `renamedValues` are renamed in
   * place first (ALTER TYPE ... RENAME VALUE); `method` then applies to `from` with the renames.
   */
  | {
      readonly kind: 'alterEnumType';
      readonly name: string;
      readonly from: readonly string[];
      readonly to: readonly string[];
      readonly columns: readonly EnumUse[];
      readonly method: 'add' | 'swap';
      readonly renamedValues?: readonly ValueRename[];
    }
  /**
   * A PostgreSQL schema the models' tables live in and the database lacks (issue 12 item 5):
   * `CREATE SCHEMA` before its tables. The diff never drops a schema; only `down` does (the
   * reverse of the migration that created it), with DROP SCHEMA that fails if it holds anything.
   */
  | { readonly kind: 'createSchema'; readonly name: string }
  | { readonly kind: 'dropSchema'; readonly name: string }
  /** Views (issue 12): a dropped view carries its stored definition, so `down` recreates it. */
  | { readonly kind: 'createView'; readonly view: View }
  | { readonly kind: 'dropView'; readonly view: View }
  /**
   * A view dropped and created again: its definition changed, or (same definition) it reads a
   * table or view that the migration changes in a way the database requires it gone for.
   * `up` runs it as a dropView before every other op and a createView after them
   * (diff/views.ts arrangeViews).
   */
  | { readonly kind: 'replaceView'; readonly from: View; readonly to: View }
  /**
   * Triggers (issue 12 item 2): a dropped trigger carries the database's, so `down` recreates
   * it exactly. A replaced one is dropped before every table op and created after them
   * (diff/triggers.ts arrangeTriggers), like a view.
   */
  | { readonly kind: 'createTrigger'; readonly trigger: Trigger }
  | { readonly kind: 'dropTrigger'; readonly trigger: Trigger }
  | { readonly kind: 'replaceTrigger'; readonly from: Trigger; readonly to: Trigger }
  /**
   * Standalone sequences (PostgreSQL, MariaDB; issue 12 item 4), created before the tables (a column
   * default may call `nextval` on one) and dropped after them. A dropped sequence carries its
   * options, so `down` recreates it (at its start value: the current value is not kept).
   * alterSequence changes the options that differ (ALTER SEQUENCE, never RESTART: the current
   * value stays as it is).
   */
  | { readonly kind: 'createSequence'; readonly sequence: Sequence }
  | { readonly kind: 'dropSequence'; readonly sequence: Sequence }
  | { readonly kind: 'alterSequence'; readonly from: Sequence; readonly to: Sequence }
  /**
   * PostgreSQL only (produced by its planner, never by the diff): the comment on an index or a
   * constraint (`on`) that the migration drops, or drops and creates again, which the models
   * cannot say. `from` is cleared before the drop, `to` set after the add (absent: none), so up
   * carries the comment to the re-created object and down gives it back to the old one.
   */
  | { readonly kind: 'commentOn'; readonly table: string; readonly on: 'index' | 'constraint'; readonly name: string; readonly from?: string; readonly to?: string }
  /**
   * SQLite only (produced by the SQLite planner, never by the diff): the table is rebuilt
   * from `from` to `to` in one copy that keeps every row, index and trigger.
   * `renamed` maps new column names to old ones for the copy; `renamedValues` maps enum values
   * of a copied column (by its new name) in the copy.
   */
  | {
      readonly kind: 'rebuildTable';
      readonly from: Table;
      readonly to: Table;
      readonly renamed: readonly (readonly [oldName: string, newName: string])[];
      readonly renamedValues?: readonly (readonly [column: string, oldValue: string, newValue: string])[];
    };

export type OperationKind = Operation['kind'];

export type OperationOf<K extends OperationKind> = Extract<Operation, { kind: K }>;
