import type { ForeignKey as SchemaForeignKey, ReferentialAction } from '../schema/types';

/** Upper or lower case: 'CASCADE', 'cascade', 'SET NULL', 'set null', ... */
export type ReferentialActionInput = ReferentialAction | Lowercase<ReferentialAction>;

export interface ForeignKeyOptions {
  onDelete?: ReferentialActionInput;
  onUpdate?: ReferentialActionInput;
  /** Constraint name; default `<table>_<column>_foreign`. */
  name?: string;
  /**
   * SQLite only: keep a foreign key whose target is not a key, as hand-written SQLite databases
   * have (a table that no longer exists, a column that is not unique). kiln then does not check
   * the target; PostgreSQL and MySQL/MariaDB refuse such a foreign key. See ForeignKey.loose.
   */
  loose?: boolean;
  /**
   * The target is a table the models do not declare and kiln does not read (another schema than
   * the config's, a table excluded by include/exclude): kiln checks nothing of it, and the
   * database must have it. `db pull` writes it for such a foreign key. See ForeignKey.external.
   */
  external?: boolean;
}

export const FOREIGN_KEY_BRAND: unique symbol = Symbol.for('kiln.foreignKey');

export interface ForeignKeySpec {
  readonly [FOREIGN_KEY_BRAND]: true;
  /** `'table.column'` as written; checked at compile time. */
  readonly target: string;
  /** As written; null when not said ('NO ACTION', or CASCADE from a relationship). */
  readonly onDelete: string | null;
  readonly onUpdate: string | null;
  readonly name: string | null;
  /** As written (checked at compile time). */
  readonly loose: unknown;
  readonly external: unknown;
}

/** A foreign key, SQLAlchemy style: `Integer().foreignKey(ForeignKey('author.id'))`. */
export function ForeignKey(target: string, options: ForeignKeyOptions = {}): ForeignKeySpec {
  return Object.freeze({
    [FOREIGN_KEY_BRAND]: true as const,
    target,
    onDelete: options.onDelete ?? null,
    onUpdate: options.onUpdate ?? null,
    name: options.name ?? null,
    loose: options.loose ?? false,
    external: options.external ?? false,
  });
}

/** As a type, `ForeignKey` stays the canonical schema's foreign key. */
export type ForeignKey = SchemaForeignKey;

export function isForeignKeySpec(value: unknown): value is ForeignKeySpec {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[FOREIGN_KEY_BRAND] === true;
}
