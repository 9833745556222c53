/**
 * `kiln db lint` and `kiln db upgrade --plan` speak this: what one SQL statement does to a live
 * database (the dialect's reading, src/dialect/<name>/lint.ts) and what the rules make of it
 * (./rules.ts). Plain data.
 */

export type Severity = 'error' | 'warning' | 'info';

export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info'];

/** A table-level lock a statement takes on a table that exists before the run. */
export interface TableLock {
  readonly table: string;
  /** As the database names it: 'ACCESS EXCLUSIVE', 'SHARE', 'COPY, LOCK=SHARED', 'write lock'. */
  readonly mode: string;
  readonly blocksReads: boolean;
  readonly blocksWrites: boolean;
  /**
   * The statement must first get a lock that conflicts with running transactions (PostgreSQL
   * SHARE and stronger, MySQL's exclusive metadata lock for any DDL): while it waits, every
   * new query on the table queues behind it. What `missing-lock-timeout` is about.
   */
  readonly queues: boolean;
}

/**
 * What a statement does that a rule may object to. The dialect's reader says these; the rules
 * decide, knowing which tables hold rows and what came before in the migration.
 */
export type LintEvent =
  | { readonly kind: 'create-table'; readonly table: string }
  | { readonly kind: 'drop-table'; readonly table: string }
  | { readonly kind: 'rename-table'; readonly table: string; readonly to: string }
  | { readonly kind: 'index-build'; readonly table: string; readonly index: string; readonly unique: boolean; readonly online: boolean }
  | { readonly kind: 'index-drop'; readonly table: string; readonly index: string; readonly online: boolean }
  /** CREATE/DROP INDEX CONCURRENTLY: refused by PostgreSQL inside a transaction block. */
  | { readonly kind: 'concurrently'; readonly table: string }
  | { readonly kind: 'validate'; readonly table: string; readonly constraint: string; readonly what: 'foreign key' | 'check' }
  | { readonly kind: 'set-not-null'; readonly table: string; readonly column: string }
  /** A `CHECK (column IS NOT NULL)` added: once validated, SET NOT NULL needs no scan (PostgreSQL 12+). */
  | { readonly kind: 'not-null-check'; readonly table: string; readonly constraint: string; readonly column: string }
  /** VALIDATE CONSTRAINT (SHARE UPDATE EXCLUSIVE: reads and writes go on), or a constraint added valid. */
  | { readonly kind: 'validated'; readonly table: string; readonly constraint: string }
  | {
      readonly kind: 'add-column';
      readonly table: string;
      readonly column: string;
      readonly notNull: boolean;
      readonly hasDefault: boolean;
      /** The default is computed per row (random(), gen_random_uuid(), clock_timestamp()...): the table is rewritten. */
      readonly volatileDefault: string | null;
    }
  | { readonly kind: 'drop-column'; readonly table: string; readonly column: string }
  | { readonly kind: 'rename-column'; readonly table: string; readonly column: string; readonly to: string }
  | { readonly kind: 'type-change'; readonly table: string; readonly column: string; readonly to: string; readonly rewrite: boolean }
  /** The whole table is copied under a lock that blocks writes (MySQL ALGORITHM=COPY, SQLite rebuild). */
  | { readonly kind: 'table-copy'; readonly table: string; readonly why: string }
  | { readonly kind: 'lock-timeout'; readonly value: string }
  /** The rows of a table are copied into its rebuilt replacement: the DROP TABLE that follows loses nothing. */
  | { readonly kind: 'rebuild-copy'; readonly table: string };

/** One statement as the dialect reads it. */
export interface StatementReading {
  /** A short name: 'CREATE INDEX', 'ALTER TABLE', 'INSERT'. */
  readonly kind: string;
  readonly locks: readonly TableLock[];
  /** Tables whose every row is rewritten by this statement. */
  readonly rewrites: readonly string[];
  readonly events: readonly LintEvent[];
}

export interface Finding {
  readonly rule: string;
  readonly severity: Severity;
  readonly message: string;
  /** Accepted by a `kiln-lint-allow` comment: shown, never counted. */
  readonly allowed: boolean;
}

export interface AnalyzedStatement extends StatementReading {
  readonly sql: string;
  readonly findings: readonly Finding[];
}

export interface AnalyzedMigration {
  /** The migration's file name. */
  readonly name: string;
  readonly path: string;
  readonly statements: readonly AnalyzedStatement[];
}

/** What the rules know of the database before the run. */
export interface LintContext {
  /** Rows per existing table (an estimate on big tables); a table not listed does not exist before the run. */
  readonly rows: ReadonlyMap<string, number>;
  /** Whether kiln runs migrations inside a transaction (each migration's `config.transaction` can say otherwise). */
  readonly transactional: boolean;
}

/** A dialect's reader of SQL statements (src/dialect/<name>/lint.ts), loaded only by lint and --plan. */
export interface StatementReader {
  /** What `sql` (one statement as Knex sends it; possibly several separated by `;`) does. */
  read(sql: string, schema: import('../schema/types').Schema): StatementReading;
}
