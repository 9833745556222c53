/**
 * relationship(): SQLAlchemy's options, camel-cased. Only what reaches the database matters
 * (foreign keys, the association table, uniqueness for a one-to-one, ON DELETE CASCADE); the
 * rest is accepted, checked where it can be, and otherwise ignored.
 */

export type Lazy =
  | 'select'
  | 'joined'
  | 'subquery'
  | 'selectin'
  | 'raise'
  | 'raise_on_sql'
  | 'noload'
  | 'dynamic'
  | 'write_only'
  | 'immediate'
  | boolean;

export interface RelationshipOptions {
  /** The name of the relationship on the target model that points back here. */
  backPopulates?: string;
  /** Creates the reverse attribute on the target (nothing in the database). */
  backref?: string | readonly [string, Record<string, unknown>];
  lazy?: Lazy;
  /** false on a one-to-many makes it a one-to-one: the child's foreign key becomes unique. */
  uselist?: boolean;
  /** e.g. 'all, delete-orphan'; 'all' or 'delete' makes the child's foreign key ON DELETE CASCADE. */
  cascade?: string;
  orderBy?: string | readonly string[];
  /** The association table (its name, or its table() definition) of a many-to-many. */
  secondary?: string | { readonly tableName: string };
  primaryjoin?: string;
  secondaryjoin?: string;
  /** Foreign key column(s) to use when several link the two tables: 'col' or 'table.col'. */
  foreignKeys?: string | readonly string[];
}

export const RELATIONSHIP_BRAND: unique symbol = Symbol.for('kiln.relationship');

export interface RelationshipSpec {
  readonly [RELATIONSHIP_BRAND]: true;
  /** The target model's name. */
  readonly target: string;
  readonly options: Readonly<RelationshipOptions>;
}

export const CASCADE_WORDS = [
  'all',
  'save-update',
  'merge',
  'expunge',
  'delete',
  'delete-orphan',
  'refresh-expire',
  'none',
] as const;

/** `relationship('Comment', { backPopulates: 'post', cascade: 'all, delete-orphan' })` */
export function relationship(target: string | { readonly name: string }, options: RelationshipOptions = {}): RelationshipSpec {
  const name = typeof target === 'string' ? target : target?.name;
  return Object.freeze({ [RELATIONSHIP_BRAND]: true as const, target: name, options: Object.freeze({ ...options }) });
}

export function isRelationship(value: unknown): value is RelationshipSpec {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[RELATIONSHIP_BRAND] === true;
}
