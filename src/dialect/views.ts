import type { Knex } from 'knex';
import type { IntrospectOptions } from '../introspect';
import type { View } from '../schema/types';

/**
 * How a dialect reads views and renders a model's view its own way (issue 12). Each database
 * rewrites a view's text when it stores it (PostgreSQL pretty-prints and qualifies where
 * needed, MySQL/MariaDB expand `*` and qualify every name); kiln compares a model's view with
 * the database's by asking the database to store the model's text too (`probe`) and comparing
 * the two renderings (src/schema/view-sql viewKey). SQLite stores the text as written: no probe.
 */
export interface DialectViews {
  /** The database's views, definitions as stored (runnable), in one catalog query. */
  read(knex: Knex, options: IntrospectOptions): Promise<View[]>;
  /**
   * The database's rendering of each model view's definition, by view name, for those it could
   * create as they are now (a view reading a column the migration adds cannot be probed: it is
   * compared as written, so it differs and is re-created). Leaves nothing behind.
   */
  probe(knex: Knex, views: readonly View[], options: IntrospectOptions): Promise<Map<string, string>>;
}

/** Probe views are named `kiln_probe_<pid>_<n>`; one left by a killed process is never read as the user's. */
export const PROBE_PREFIX = 'kiln_probe_';

export const probeName = (n: number): string => `${PROBE_PREFIX}${process.pid}_${n}`;

/** A stored definition without its trailing ';' and surrounding white space. */
export const trimDefinition = (sql: string): string => sql.trim().replace(/;\s*$/, '').trim();
