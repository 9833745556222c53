/**
 * The canonical, dialect-free schema. Everything between introspection/model on one side and
 * rendering on the other speaks only this. Plain, frozen data: no classes, no methods.
 *
 * Normal forms (both the model compiler and every introspector must produce exactly these):
 * - `length` is set only for `string` columns (default 255), `char` (default 1), `varbinary`
 *   (required) and a fixed-length `binary` (BINARY(n); a LargeBinary has none); null otherwise.
 * - `unsigned` is true only on MySQL/MariaDB integer columns that are unsigned; false elsewhere.
 * - `autoIncrement` is true only for a lone integer, bigint, smallint, tinyint or mediumint
 *   primary key column.
 * - `default` is null (no default) or a {@link ColumnDefault}; literal values are typed by the
 *   column's type (number for integer/smallint/tinyint/mediumint/bigint/float/real, boolean for boolean, string
 *   otherwise; a decimal's is its canonical decimal text, see ../schema/defaults decimalText).
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
  'smallint',
  'decimal',
  'real',
  'char',
  'uuid',
  'jsonb',
  'varbinary',
  'enum',
  'array',
  'custom',
  'tinyint',
  'mediumint',
] as const;
// Each type has its model builder (src/model/column-types*.ts), its native type per dialect
// (src/dialect/<name>/column-types.ts: projection and render; introspect*.ts: reading back) and
// its render call. The optional fields below carry their parameters.

export type ColumnType = (typeof COLUMN_TYPES)[number];

/**
 * The integer types narrower than `integer`: a lone primary key of one of these auto-increments
 * only when the model says so (Integer/BigInteger keys do unless told otherwise).
 */
export const NARROW_INTEGERS: ReadonlySet<ColumnType> = new Set<ColumnType>(['smallint', 'tinyint', 'mediumint']);

/** Every integer type: Integer, BigInteger and the narrow ones (signedness, auto-increment keys, value ranges). */
export const INTEGER_TYPES: ReadonlySet<ColumnType> = new Set<ColumnType>(['integer', 'bigint', ...NARROW_INTEGERS]);

/** The sizes of MySQL/MariaDB's TEXT and BLOB families other than the plain one (see Column.size). */
export const LOB_SIZES = ['tiny', 'medium', 'long'] as const;
export type LobSize = (typeof LOB_SIZES)[number];

/** The most bytes a TEXT/BLOB column of each size holds on MySQL/MariaDB ('' is the plain TEXT/BLOB). */
export const LOB_BYTES: Readonly<Record<LobSize | '', number>> = { tiny: 255, '': 65535, medium: 16777215, long: 4294967295 };

export type ColumnDefault =
  | { readonly kind: 'literal'; readonly value: string | number | boolean }
  /** A SQL expression such as CURRENT_TIMESTAMP, kept verbatim (upper-cased keywords). */
  | { readonly kind: 'expression'; readonly sql: string };

/** A computed column: `GENERATED ALWAYS AS (expression) STORED|VIRTUAL`. */
export interface GeneratedColumn {
  /** Normalised as the database prints it back (see ../schema/defaults normalizeExpression). */
  readonly expression: string;
  readonly stored: boolean;
}

export interface Column {
  readonly name: string;
  readonly type: ColumnType;
  readonly length: number | null;
  readonly nullable: boolean;
  readonly default: ColumnDefault | null;
  readonly autoIncrement: boolean;
  readonly unsigned: boolean;
  // Optional fields: absent means "none / the dialect's default" and is the normal form (an
  // introspector never sets a field to its default value, so deep equality compares like with
  // like). Each is compared by the diff and said by renderers.
  /** decimal: total digits; datetime/time: fractional-second digits. */
  readonly precision?: number;
  /** decimal: digits after the point. */
  readonly scale?: number;
  /** datetime/time that store a zone (PostgreSQL timestamptz/timetz). */
  readonly timezone?: boolean;
  /** enum: the allowed values in order, and the type's name where the database names it (PostgreSQL). */
  readonly enum?: { readonly name: string | null; readonly values: readonly string[] };
  /**
   * array: the element's canonical type (PostgreSQL arrays), e.g. 'integer', 'string(20)',
   * 'decimal(10,2)', or a custom spelling (see ./element).
   */
  readonly element?: string;
  /** custom: the database's own spelling of the type, normalised (lower case, single spaces). */
  readonly custom?: string;
  /**
   * text and a LargeBinary (binary without a length): MySQL/MariaDB's TINYTEXT/TINYBLOB (255
   * bytes), MEDIUMTEXT/MEDIUMBLOB (16 MB) or LONGTEXT/LONGBLOB (4 GB); absent: TEXT/BLOB (64 KB).
   * PostgreSQL and SQLite have one size: their projections drop it.
   */
  readonly size?: LobSize;
  readonly generated?: GeneratedColumn;
  /** PostgreSQL identity columns (autoIncrement stays true for a lone key). */
  readonly identity?: 'always' | 'by default';
  /**
   * An identity's sequence options that differ from PostgreSQL's defaults for the column's type
   * (`START WITH 1000`), in SEQUENCE_OPTIONS order (../schema/sequence identityOptionsOf); absent: none.
   */
  readonly identityOptions?: IdentityOptions;
  readonly comment?: string;
  /**
   * The column's collation where it is not the default one (SQLite: not BINARY; PostgreSQL: not
   * the database's; MySQL/MariaDB: not the table's), in the database's spelling (SQLite upper
   * case, MySQL lower case, PostgreSQL as named). Said by `.collate(name)`; where the models do
   * not say it, the database's is kept (src/diff/keep-unsaid.ts), never dropped.
   */
  readonly collation?: string;
  /**
   * Model side only: `.unsigned(false)` said, so MySQL/MariaDB's projection keeps the column
   * signed where it would make it unsigned (a lone auto-increment key, a foreign key to an
   * unsigned column). Every dialect's projection removes it: the diff never sees it.
   */
  readonly signed?: true;
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
  /** Plain column keys; empty when the key is an expression. */
  readonly columns: readonly string[];
  // Optional, absent = none/default (see Column):
  /** The whole key as SQL when it is not plain columns (`lower(email)`), normalised. */
  readonly expression?: string;
  /** Per key part, 'desc' where descending; absent when all ascending. */
  readonly order?: readonly ('asc' | 'desc')[];
  /** Partial index predicate, normalised. */
  readonly where?: string;
  /** PostgreSQL access method other than btree. */
  readonly method?: string;
  /** PostgreSQL INCLUDE columns. */
  readonly include?: readonly string[];
  /**
   * A unique index that a plain {@link Unique} cannot say (partial, on an expression, with an
   * order, method or include). Absent when false; a unique rule on plain columns is a Unique.
   */
  readonly unique?: boolean;
  /**
   * Models only: the databases (dialect names) the index exists on. Each dialect's projection
   * keeps the index there, without this field, and leaves it out elsewhere; absent = everywhere.
   */
  readonly dialects?: readonly string[];
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
  /**
   * True only on PostgreSQL's side, for a unique index with no constraint (`CREATE UNIQUE
   * INDEX`, made by hand): dropping it is DROP INDEX (ALTER TABLE ... DROP CONSTRAINT finds
   * nothing), and a down() or a baseline re-creates it as an index. The diff ignores it.
   */
  readonly indexOnly?: true;
}

export interface ForeignKey {
  readonly name: string;
  readonly columns: readonly string[];
  readonly refTable: string;
  readonly refColumns: readonly string[];
  readonly onDelete: ReferentialAction;
  readonly onUpdate: ReferentialAction;
  /**
   * True when the target is not a key kiln can check (./foreign-keys looseReason): a table the
   * schema does not have, a column it does not have, or columns that are neither its primary key
   * nor a unique rule. SQLite accepts such a foreign key in CREATE TABLE (hand-written legacy
   * databases hold them); PostgreSQL and MySQL/MariaDB refuse it, so their projections refuse
   * it (src/dialect/table-options.ts refuseLooseForeignKeys). A model says it with `loose: true`;
   * both sides set it by the same rule, absent when false. The diff ignores it (foreign keys
   * match by columns and target), renderers write the foreign key as any other.
   */
  readonly loose?: true;
  /**
   * True when the target is a table kiln does not read (another schema than the config's, a table
   * excluded by include/exclude): a model says it with `external: true`, and kiln checks nothing
   * of the target, which the database must have; `db pull` sets it by the same rule. The diff
   * ignores it, renderers write the foreign key as any other.
   */
  readonly external?: true;
}

/** A CHECK constraint, compared by normalised expression (names differ between databases). */
export interface Check {
  readonly name: string;
  readonly expression: string;
}

/**
 * Something the database holds that the models cannot say (an exclusion constraint, a column
 * collation, ...): never diffed, never dropped; kept by every SQLite rebuild and every `down`
 * that recreates the table, and listed by `db check` as unmanaged.
 */
export interface Unmanaged {
  readonly kind: string;
  readonly name: string;
  /** The statement that recreates it, as the database prints it. */
  readonly sql: string;
  /** A comment's text (kind 'comment'), for a migration that re-creates what it is on. */
  readonly text?: string;
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
  // Optional, absent = none (see Column):
  readonly checks?: readonly Check[];
  readonly comment?: string;
  readonly unmanaged?: readonly Unmanaged[];
}

/**
 * A view (issue 12). Compared by `comparable ?? definition` through ./view-sql's key, never by
 * name alone: each database rewrites a view's text (PostgreSQL pretty-prints it, MySQL expands
 * `*` and qualifies every name, SQLite keeps it as written).
 */
export interface View {
  readonly name: string;
  /** The SELECT: as the models say it for this dialect, or as the database stores it (runnable). */
  readonly definition: string;
  /** Tables and views the models say it reads, beyond those its text names (ordering only). */
  readonly dependsOn: readonly string[];
  /**
   * The database's own rendering of a model's definition, when the dialect could ask it
   * (autogenerate sets it; absent on the database side, whose `definition` already is one).
   */
  readonly comparable?: string;
  /** PostgreSQL: a materialized view (absent: a plain view). */
  readonly materialized?: true;
  /** A materialized view's indexes (plain column keys, `unique` when unique), sorted by name; absent: none. */
  readonly indexes?: readonly ViewIndex[];
  /**
   * Models only: a definition per dialect ('sqlite', 'postgres', 'mysql') where the SQL
   * differs; autogenerate picks this database's into `definition` and removes the field.
   */
  readonly variants?: { readonly [dialect: string]: string };
  /**
   * Database only: options of the view no model can say (PostgreSQL's `security_barrier=true`,
   * `check_option=cascaded`; MySQL/MariaDB's `WITH CASCADED CHECK OPTION`, `SQL SECURITY
   * INVOKER`): listed by `db check`, and a migration that would re-create the view without
   * them is refused (src/render/views.ts); absent: none.
   */
  readonly unmanaged?: readonly string[];
  /**
   * Database only: the statements that set what `unmanaged` names again after CREATE VIEW
   * (PostgreSQL: `ALTER VIEW v SET (security_barrier=true)`, `COMMENT ON VIEW v IS '...'`), for
   * a view re-created from the database (a baseline, a down()) or replaced by a model's that
   * does not say them; absent where they cannot be restated (MySQL/MariaDB's options): such a
   * view is refused re-creation.
   */
  readonly restate?: readonly string[];
}

export interface ViewIndex {
  readonly name: string;
  readonly columns: readonly string[];
  readonly unique?: true;
  /**
   * Database side only: the statement of an index the models cannot say (anything but a plain
   * btree on plain columns: an expression key, a predicate, gist/gin/brin, an operator class, a
   * sort order, a collation, a storage parameter, INCLUDE), as the database prints it; compared
   * and re-created as it is, and kept on a model's view that does not name it (../diff/views).
   */
  readonly sql?: string;
  /**
   * Database side only (PostgreSQL): its comment, which the models cannot say; set again after
   * a re-create (a replaced view keeps the old index's of the same name). Never compared.
   */
  readonly comment?: string;
}

export type TriggerEvent = 'insert' | 'update' | 'delete';

/**
 * A trigger (issue 12 item 2), in the same shape for the models and the database. Compared by
 * ../schema/trigger-sql triggerKey: table, timing, events, `of`, row/statement, the condition
 * (the database's rendering of a model's when known: `comparable`) and the body's tokens.
 */
export interface Trigger {
  readonly name: string;
  readonly table: string;
  readonly timing: 'before' | 'after';
  /** One on SQLite and MySQL/MariaDB; several (OR) on PostgreSQL. */
  readonly events: readonly TriggerEvent[];
  /** `UPDATE OF` these columns (SQLite, PostgreSQL). */
  readonly of?: readonly string[];
  readonly forEach: 'row' | 'statement';
  /** The condition (`WHEN`, SQLite and PostgreSQL). */
  readonly when?: string;
  /**
   * This dialect's body: SQLite's statements between BEGIN and END; PostgreSQL's plpgsql
   * function body (`BEGIN ... END`, its `prosrc`); MySQL/MariaDB's trigger statement.
   */
  readonly body: string;
  /** PostgreSQL: the function the trigger executes (kiln creates and drops it with the trigger). */
  readonly function?: string;
  /** Database side: the CREATE TRIGGER statement as the database gives it back (re-created as it is). */
  readonly sql?: string;
  /** Database side: why a model cannot say this trigger (db pull leaves it out; compared by `sql`). */
  readonly unsayable?: string;
  /** Models: the database's rendering of `when` (PostgreSQL's probe; src/dialect/triggers.ts). */
  readonly comparable?: string;
  /** Models only: per-dialect bodies/conditions and the dialects it exists on; autogenerate picks this database's. */
  readonly variants?: {
    readonly body: { readonly [dialect: string]: string };
    readonly when?: { readonly [dialect: string]: string };
    readonly dialects?: readonly string[];
  };
}

/**
 * A standalone sequence (PostgreSQL, MariaDB; issue 12 item 4): one that no serial or identity column
 * owns. Every option is in its normal form, filled with the database's defaults for its type and
 * direction (a model's: PostgreSQL's, ../model/sequence.ts sequenceDefaults, until its dialect's
 * projection puts in its own, e.g. MariaDB's), so two sequences compare field by field.
 * Values are decimal strings: a bigint bound does not fit a JavaScript number.
 */
export interface Sequence {
  readonly name: string;
  readonly as: 'smallint' | 'integer' | 'bigint';
  readonly start: string;
  readonly increment: string;
  readonly minValue: string;
  readonly maxValue: string;
  readonly cache: string;
  readonly cycle: boolean;
  /**
   * Models only: the options the model says (SEQUENCE_OPTIONS order). The others hold
   * PostgreSQL's defaults until the dialect's projection fills in its database's own (MariaDB's
   * cache is 1000, its bounds a step inside bigint's); absent after projection and on the database side.
   */
  readonly given?: readonly import('./sequence').SequenceOption[];
}

/** The options of an identity column's sequence (its type is the column's). */
export type IdentityOptions = Partial<Pick<Sequence, 'increment' | 'minValue' | 'maxValue' | 'start' | 'cache' | 'cycle'>>;

export interface Schema {
  /**
   * Sorted by name. A table outside the default PostgreSQL schema is named `schema.table`
   * (./qualified), its foreign keys' `refTable` likewise.
   */
  readonly tables: readonly Table[];
  /**
   * Database side only: the managed PostgreSQL schemas other than the default that exist, sorted,
   * tables or not; absent: the schemas of the tables' names (./qualified schemasOf).
   */
  readonly schemas?: readonly string[];
  /** Sorted by name; absent = none. */
  readonly views?: readonly View[];
  /** Sorted by name; absent = none. */
  readonly triggers?: readonly Trigger[];
  /** Standalone sequences (PostgreSQL, MariaDB; issue 12 item 4), sorted by name; absent = none. */
  readonly sequences?: readonly Sequence[];
}
