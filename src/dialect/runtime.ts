import type { Knex } from 'knex';
import type { DatabaseUrl } from '../config/url';
import type { GuardType } from './value-guard';
import type { CatalogConnection, CatalogSettings } from './catalog';

/** What a dialect decides about running migrations (see Dialect). */
export interface DialectRuntime {
  /**
   * Whether DDL runs inside a transaction, so that a failed migration's earlier statements
   * roll back with it. MySQL/MariaDB commit every DDL statement at once: there a generated
   * migration of several steps undoes its completed steps itself (kiln/migrate), a failure
   * says which statements stay applied, and `kiln db initdb` runs without a transaction.
   */
  readonly transactionalDdl: boolean;

  // --- connecting (src/runner/database.ts) ---
  /**
   * Before connecting: checks that fail early (SQLite: the file's folder exists), the URL to
   * connect with (SQLite with `noCreate`: an in-memory database when the file does not exist)
   * and the file this open creates, removed again at close while it is empty.
   */
  prepareOpen(url: DatabaseUrl, options: { readonly noCreate?: boolean }): { readonly url: DatabaseUrl; readonly created: string | null };
  /** Adjusts the Knex config: the migration lock's client (SQLite), the schema search path (PostgreSQL). */
  configureKnex(knexConfig: Knex.Config, options: { readonly migrationLock?: boolean; readonly schema?: string }): void;
  /** After connecting: the configured schema exists (PostgreSQL); throws a KilnError otherwise. */
  checkConnected(knex: Knex, url: DatabaseUrl, schema: string | undefined): Promise<void>;
  /**
   * A connection for catalog queries only, through the driver alone (src/dialect/catalog.ts;
   * `db pull` reads the catalog without loading Knex), given the URL and the Knex config
   * openDatabase would connect with. Null where openDatabase must open it (the Knex path would
   * do more than connect: a search path, a schema check; or the dialect cannot say why it
   * failed). A server's failed connect throws the driver's error, mapped by the caller.
   */
  openCatalog(url: DatabaseUrl, settings: CatalogSettings): Promise<CatalogConnection | null>;

  // --- migrations that run without a transaction (`export const config = { transaction: false }`) ---
  /**
   * The migration lock for a step that runs outside any transaction, held until `release`
   * (PostgreSQL: a session advisory lock, MySQL: GET_LOCK, each on a connection of its own, so
   * that a killed process lets go of it). Throws a LOCKED KilnError after `timeoutMs`. null
   * (SQLite, which has no lock outside a transaction): the runner sets Knex's lock row and
   * commits it, which a killed process leaves set for `kiln db unlock`.
   */
  readonly sessionLock: ((knex: Knex, tableName: string, timeoutMs: number) => Promise<{ release(): Promise<void> }>) | null;
  /**
   * Called with each statement a non-transactional step sends, before it runs, on its
   * connection: repairs what an earlier failed or killed run of the same statement left
   * (PostgreSQL: an INVALID index from CREATE INDEX CONCURRENTLY is dropped, so it is rebuilt).
   */
  beforeNonTransactionalStatement: ((sql: string, run: (sql: string, bindings?: unknown[]) => Promise<unknown[]>) => Promise<void>) | null;

  // --- the run's lock and transaction (src/runner/transaction.ts) ---
  /**
   * Takes the migration lock inside the run's transaction (so that it dies with the process),
   * waiting at most `timeoutMs`; throws a LOCKED KilnError when it gives up. SQLite's BEGIN
   * IMMEDIATE has taken it already.
   */
  acquireLock(trx: Knex.Transaction, tableName: string, timeoutMs: number): Promise<void>;
  /** Releases what acquireLock took that the transaction's end does not release. */
  releaseLock(trx: Knex.Transaction, tableName: string): Promise<void>;
  /**
   * Whether the run sets Knex's lock row (`is_locked = 1`) inside its transaction. Where DDL
   * commits at once (MySQL) the row would be committed with the first DDL, so it is only checked.
   */
  readonly setsKnexLockRow: boolean;
  /**
   * Commit boundaries inside a run, or null for one transaction per run. MySQL: autocommit off
   * for the run (`begin`), a COMMIT after each recorded migration (`commit`), autocommit back
   * on at the end (`end`, which commits) or after a ROLLBACK (`rollback`).
   */
  readonly commitEachMigration: CommitBoundaries | null;
  /**
   * Whether a signal lets the running migration finish and stops at the next boundary (where
   * DDL cannot be rolled back), instead of refusing the next statement and rolling back.
   */
  readonly letRunningMigrationFinishOnSignal: boolean;
  /**
   * Constraints the runner turns off during a run and checks after each migration and at
   * `initdb` (SQLite runs with foreign keys off for its ALTER TABLE recipe), or null.
   */
  readonly foreignKeyCheck: ((knex: Knex | Knex.Transaction) => Promise<ForeignKeyViolation[]>) | null;
  /** Whether a failed COMMIT leaves the transaction open, to be rolled back (SQLite). */
  readonly rollbackAfterFailedCommit: boolean;
  /** Whether an insert returns the new row's id only when asked for it (PostgreSQL's RETURNING). */
  readonly insertReturnsIdOnRequest: boolean;
  /** What a driver error means for the runner: the lock wait gave up, the database is read-only, or nothing special. */
  classifyError(e: unknown): 'busy' | 'read-only' | undefined;

  // --- offline SQL (src/runner/offline.ts) ---
  readonly offline: OfflineRuntime;

  // --- kiln/guard (src/public/guard.ts) ---
  /**
   * The SQL condition (with `??` for the column) true for a row whose value a column change
   * alters on this database, or null when the change alters no value here (SQLite).
   */
  changedValueCondition(from: GuardType, to: GuardType): string | null;
  /** Whether an accepted shortening of a string column cuts the too-long values first (MySQL's strict mode refuses to). */
  readonly cutsStringsBeforeShortening: boolean;
  /**
   * For offline SQL: one statement that fails when the script runs if `where` matches a row of
   * `table` (both already quoted), raising `message(count)`; null where plain SQL cannot
   * raise, and the offline script then refuses the guarded migration.
   */
  offlineValueGuard(table: string, where: string, message: (count: string) => string): string | null;

  // --- the fast path (src/cli/fast.ts) ---
  /** Whether `db current`, a no-op `db upgrade` and `db check` can be answered from one driver connection to a database file. */
  readonly driverFastPath: boolean;
}

export interface CommitBoundaries {
  begin(trx: Knex.Transaction): Promise<void>;
  commit(trx: Knex.Transaction): Promise<void>;
  end(trx: Knex.Transaction): Promise<void>;
  rollback(trx: Knex.Transaction): Promise<void>;
}

export interface ForeignKeyViolation {
  readonly table: string;
  readonly rowid: number;
  readonly parent: string;
}

/** The statements around a script's migrations: its transaction and, on SQLite, its checks. */
export interface ScriptFrame {
  readonly head: readonly string[];
  after(migration: string): string[];
  tail(migrations: readonly string[]): string[];
  /** Around a migration that runs without a transaction (`config.transaction = false`): the script's transaction ends before it and starts again after it. */
  readonly outside: { readonly before: readonly string[]; readonly after: readonly string[] };
}

export interface OfflineRuntime {
  /** The script's transaction frame. */
  readonly frame: ScriptFrame;
  /**
   * The Knex the migrations run on: the database itself (writes only recorded) or, on SQLite,
   * an in-memory copy of its schema, on which the writes are recorded and executed.
   */
  workspace(knex: Knex, bookkeeping: readonly string[]): Promise<{ readonly knex: Knex; readonly executeWrites: boolean }>;
  /** The driver's answer to a write that was recorded and not executed. */
  recordedWriteResponse(): unknown;
  /**
   * Statements that give the script's session what kiln's connection has (PostgreSQL: the
   * configured schema as its search_path), after the frame's head; absent: none.
   */
  session?(schema: string | undefined): string[];
  /**
   * One statement as the database's command-line client reads it from a script (without its
   * trailing ';'): absent, the statement and ';'. MySQL/MariaDB's client ends a statement at
   * the first ';', so a trigger body's BEGIN ... ; ... END needs a DELIMITER of its own.
   */
  scriptStatement?(sql: string): string;
}
