import type { DialectConnection } from './connection';
import type { DialectGeneration } from './generation';
import type { DialectLint } from './lint';
import type { DialectRuntime } from './runtime';
import type { ScratchRules } from './scratch';
import type { DialectName } from './types';

/**
 * Everything one database differs in, as one object (Kysely's Dialect, Alembic's DefaultImpl).
 * Code outside src/dialect/ asks the object (`dialectOf(name).runtime.transactionalDdl`) and
 * never branches on the dialect's name. Each dialect lives in its own folder
 * (src/dialect/<name>/) and is listed once in the registry (src/dialect/registry.ts); an
 * incomplete one does not compile.
 */
export interface Dialect {
  readonly name: DialectName;
  /** How messages name the database ('PostgreSQL', 'MySQL/MariaDB'). */
  readonly label: string;
  /** How migrations run: transactions, locks, commit boundaries, checks, errors. */
  readonly runtime: DialectRuntime;
  /** How a schema is read, projected, planned and rendered. */
  readonly generation: DialectGeneration;
  /** How a database URL reads and becomes a Knex connection: options, TLS, driver settings. */
  readonly connection: DialectConnection;
  /** How migration SQL reads for `kiln db lint` and `db upgrade --plan`: locks, rewrites, rule events. */
  readonly lint: DialectLint;
  /** How a scratch database is created and dropped (src/app/scratch.ts). */
  readonly scratch: ScratchRules;
}

/** The parts of a dialect loaded on first use (each a `require` of the dialect's own module). */
export interface LazyParts {
  readonly runtime: () => DialectRuntime;
  readonly generation: () => DialectGeneration;
  readonly lint: () => DialectLint;
}

/**
 * A dialect whose connection rules load with it (parsing a URL asks every dialect for its
 * schemes) and whose runtime, generation and lint load on first use: a command on one
 * database never loads the other dialects' renderers and planners (about 40 ms of start-up).
 */
export function lazyDialect(fixed: Omit<Dialect, keyof LazyParts>, parts: LazyParts): Dialect {
  return {
    ...fixed,
    get runtime() {
      return parts.runtime();
    },
    get generation() {
      return parts.generation();
    },
    get lint() {
      return parts.lint();
    },
  };
}
